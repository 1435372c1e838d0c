"""Competence from the command line: set, show --json, the programme, indicators, the check."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core.actor import Role
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings
from barnskydd.staff import service as staff
from barnskydd.staff.competence.models import QualificationWarning

runner = CliRunner()
UNIT = "Barn och unga Centrum"


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database with a unit, a socionom, a worker not recorded and a team lead."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name=UNIT, municipality_code="1480")
        for username, role, socionom in (
            ("anna", Role.CASE_WORKER, True),
            ("bo", Role.CASE_WORKER, False),
            ("lisa", Role.TEAM_LEAD, True),
        ):
            staff.create(
                session,
                username=username,
                display_name=username.title(),
                role=role,
                unit_id=unit.id,
                socionom=socionom,
                employed_from=dt.date(2019, 1, 1),  # before the reference dates used below
            )
    engine.dispose()
    yield database_url
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_set_and_show_json_as_the_issue_names_them(db: str) -> None:
    code, out, err = _run(
        "staff", "competence", "set", "bo", "--degree", "socionom", "--degree-date",
        "2019-06-01", "--experience-from", "2019-08-15", "--earlier", "2016-01-01:2016-12-31",
        "--as", "lisa",
    )  # fmt: skip
    assert code == 0, err
    assert "Kompetensen för bo är sparad." in out
    code, out, err = _run("staff", "competence", "show", "bo", "--json", "--on", "2025-08-15")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["degree"] == "socionom"
    assert shown["degree_date"] == "2019-06-01"
    assert shown["experience_periods"] == [
        {"from": "2016-01-01", "to": "2016-12-31"},
        {"from": "2019-08-15", "to": None},
    ]
    assert shown["experience_years"] == 7.0
    assert shown["independent"] is True


def test_bad_input_exits_non_zero_naming_the_problem_and_writes_nothing(db: str) -> None:
    code, _, err = _run("staff", "competence", "set", "bo", "--degree", "other_relevant")
    assert code == 2
    assert "Ange vilken examen det är." in err
    code, _, err = _run("staff", "competence", "set", "bo", "--experience-from", "2019-13-01")
    assert code == 2
    assert "--experience-from" in err
    code, _, err = _run("staff", "competence", "show", "ingen")
    assert code == 3
    code, _, err = _run("staff", "competence", "show", "bo", "--json", "--as", "anna")
    assert code == 3  # another worker's record is not shown
    code, out, _ = _run("staff", "competence", "show", "bo", "--json")
    assert json.loads(out)["recorded"] is False


def test_the_introduction_and_its_items_from_the_command_line(db: str) -> None:
    code, out, err = _run(
        "staff", "competence", "introduction", "bo", "--start", "2025-09-01", "--mentor", "anna"
    )
    assert code == 0, err
    assert "0 av 8 delar klara" in out
    code, out, err = _run("staff", "competence", "item", "bo", "bbic", "--done", "2025-09-10")
    assert code == 0, err
    assert "bo: 1 av 8 delar klara." in out
    code, _, err = _run("staff", "competence", "item", "bo", "okand")
    assert code == 2
    assert "Programmet har ingen del 'okand'" in err


def test_indicators_json(db: str) -> None:
    _run("staff", "competence", "set", "bo", "--degree", "none")
    _run("staff", "competence", "set", "anna", "--experience-from", "2020-01-01")
    code, out, err = _run("competence", "indicators", "--on", "2026-01-01", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["on"] == "2026-01-01"
    assert found["headcount"] == 2  # the team lead is not counted
    assert found["indicators"]["socionom_3_years"] == {"count": 1, "share": 0.5}
    assert found["indicators"]["socionom_over_5_years"] == {"count": 1, "share": 0.5}
    assert found["indicators"]["qualified"] == {"count": 1, "share": 0.5}


def _to_preliminary(as_user: str) -> str:
    code, out, err = _run(
        "report", "register", "--child", "20150916-9874", "--first-name", "Saga",
        "--last-name", "Lind", "--received", "2025-06-19T10:00", "--reporter", "school",
        "--mandatory", "--concern", "neglect", "--unit", UNIT, "--as", as_user,
    )  # fmt: skip
    assert code == 0, err
    number = out.split()[0].rstrip(":")
    if not number.startswith("BU-"):
        number = next(w for w in out.split() if w.startswith("BU-")).rstrip(".:,")
    at = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    code, _, err = _run("case", "protection", number, "--at", at, "--no-immediate", "--as", as_user)
    assert code == 0, err
    return number


def _warnings(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = len(conn.scalars(select(QualificationWarning.id)).all())
    engine.dispose()
    return found


def test_the_cli_warns_by_default_and_refuses_in_refuse_mode(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _to_preliminary("bo")
    code, _, err = _run(
        "case", "preliminary", number, "--outcome", "not_opened", "--on",
        today().isoformat(), "--as", "bo",
    )  # fmt: skip
    assert code == 0, err
    assert "Varning: Kompetensen för bo är inte registrerad" in err
    assert _warnings(db) == 1
    monkeypatch.setenv("BARNSKYDD_QUALIFICATION_CHECK", "refuse")
    get_settings.cache_clear()
    other = _to_preliminary("bo")
    code, _, err = _run(
        "case", "preliminary", other, "--outcome", "not_opened", "--on",
        today().isoformat(), "--as", "bo",
    )  # fmt: skip
    assert code == 2
    assert "25 kap. 1 § första stycket socialtjänstlagen (2025:400)" in err
    assert _warnings(db) == 1
