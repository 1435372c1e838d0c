"""The migration to one automatic deviation per occurrence rewrites the keys already there."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from barnskydd.core import migrate
from barnskydd.core.db import make_engine

BEFORE = "7d3e5a9b1c20"


def test_an_old_key_becomes_case_rule_and_last_day(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, BEFORE)
    engine = make_engine(empty_database_url)
    now = dt.datetime(2026, 6, 23, 8, 0, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO unit (id, name, municipality_code) VALUES (1, 'U', '1480')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO deviation (kind, status, unit_id, reported_at, occurred_on,"
                " what_happened, rule, due, auto_key) VALUES ('auto', 'to_assess', 1, :now,"
                " :day, 'x', 'investigation', :due, '7:investigation')"
            ),
            {"now": now, "day": dt.date(2026, 6, 23), "due": dt.date(2026, 6, 22)},
        )
    migrate.upgrade(empty_database_url)
    with engine.connect() as conn:
        key = conn.scalar(sa.text("SELECT auto_key FROM deviation"))
    assert key == "7:investigation:2026-06-22"
    command.downgrade(migrate.alembic_config(empty_database_url), BEFORE)  # and back
    with engine.connect() as conn:
        key = conn.scalar(sa.text("SELECT auto_key FROM deviation"))
    engine.dispose()
    assert key == "7:investigation"
