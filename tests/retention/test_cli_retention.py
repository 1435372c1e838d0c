"""barnskydd retention plan / run / log as a user runs them; bad input weeds nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from barnskydd.audit import service as audit
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import PreliminaryOutcome
from barnskydd.cases.models import Case
from barnskydd.cli import app
from barnskydd.core.actor import Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings
from barnskydd.people.models import Child
from barnskydd.retention.models import WeedingLog
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR, registered_case, take

runner = CliRunner()
AS_OF = "2026-12-31"


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Oskarshamn (no research area): a report screened out in 2019, one still open from 2026."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name="Barn och unga", municipality_code="0882")
        worker = staff.actor_for(
            staff.create(
                session,
                username="anna",
                display_name="Anna",
                role=Role.CASE_WORKER,
                unit_id=unit.id,
            )
        )
        staff.create(
            session, username="arkiv", display_name="Arkiv", role=Role.ADMIN, unit_id=unit.id
        )
        old = registered_case(
            session, unit.id, worker, received_at=dt.datetime(2019, 3, 4, 10, tzinfo=SWEDEN)
        )
        take(session, Step.ASSESS_PROTECTION, actor=worker, case_id=old.id,
             assessed_at=dt.datetime(2019, 3, 4, 11, tzinfo=SWEDEN),
             immediate_protection_needed=False)  # fmt: skip
        take(session, Step.DECIDE_PRELIMINARY, actor=worker, case_id=old.id,
             decided_on=dt.date(2019, 3, 12), outcome=PreliminaryOutcome.NOT_OPENED)  # fmt: skip
        registered_case(
            session, unit.id, worker, child_identity=OTHER_CHILD_PNR,
            received_at=dt.datetime(2026, 11, 2, 10, tzinfo=SWEDEN),
        )  # fmt: skip
    engine.dispose()
    yield database_url
    get_settings.cache_clear()


def _state(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        counts = (
            session.scalar(select(func.count()).select_from(Case)) or 0,
            session.scalar(select(func.count()).select_from(Child)) or 0,
            session.scalar(select(func.count()).select_from(WeedingLog)) or 0,
        )
    engine.dispose()
    return counts


def test_plan_then_run_then_log(db: str) -> None:
    plan = runner.invoke(app, ["retention", "plan", "--as-of", AS_OF, "--json", "--as", "arkiv"])
    assert plan.exit_code == 0, plan.output
    listed = json.loads(plan.stdout)
    assert listed["by_class"]["not_opened_report"] == 1
    assert listed["total"] == 1
    assert listed["persons"] == 1
    assert listed["kept"] == {"open_case": 1}
    assert "20150916" not in plan.stdout  # counts only, never a person

    done = runner.invoke(app, ["retention", "run", "--as-of", AS_OF, "--as", "arkiv"])
    assert done.exit_code == 0, done.output
    assert "Gallring nr 1" in done.stdout
    assert _state(db) == (1, 1, 1)

    log = runner.invoke(app, ["retention", "log", "--json", "--as", "arkiv"])
    (line,) = json.loads(log.stdout)
    assert (line["class"], line["count"], line["rule"]) == (
        "not_opened_report", 1, "five_years_after_last_entry",
    )  # fmt: skip
    engine = make_engine(db)
    with session_factory(engine)() as session:
        assert audit.verify(session) is None
    engine.dispose()
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "named"),
    [
        (["--as-of", "2026-02-30"], 2, "--as-of"),
        (["--as-of", "9999-12-31"], 2, "--as-of"),
        (["--as-of", AS_OF, "--as", "anna"], 4, "administratör"),
        (["--as-of", AS_OF, "--as", "nobody"], 3, ""),
    ],
)
def test_bad_input_or_the_wrong_person_weeds_nothing(
    db: str, args: list[str], code: int, named: str
) -> None:
    before = _state(db)
    result = runner.invoke(app, ["retention", "run", *args])
    assert result.exit_code == code
    assert result.stdout == ""
    assert named in result.stderr
    assert _state(db) == before
