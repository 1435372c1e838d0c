"""barnskydd drafts purge: drafts not saved for 30 days are deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import get_settings
from barnskydd.drafts import service as drafts
from barnskydd.staff import service as staff


def test_purge_deletes_only_expired_drafts(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = make_engine(database_url)
    factory = session_factory(engine)
    old = utcnow() - dt.timedelta(days=drafts.DRAFT_DAYS + 1)
    with transaction(factory) as session:
        member = staff.create(
            session, username="anna", display_name="Anna", role=Role.ADMIN, unit_id=None
        )
        drafts.save(session, staff_id=member.id, key="case:1:close", data={"notes": "ny"})
        drafts.save(session, staff_id=member.id, key="report_new", data={"notes": "gl"}, now=old)
    try:
        result = CliRunner().invoke(app, ["drafts", "purge"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("1 utkast äldre än 30 dagar raderade.")
        with transaction(factory) as session:
            assert drafts.get(session, staff_id=member.id, key="case:1:close") is not None
            assert drafts.get(session, staff_id=member.id, key="report_new", now=old) is None
    finally:
        engine.dispose()
        get_settings.cache_clear()
