"""The chain as an administrator or a script would run it from the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case, Report
from barnskydd.cli import app
from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.staff import service as staff
from barnskydd.staff.models import Unit
from barnskydd.voice.models import ChildVoiceRecord
from tests.factories import OTHER_CHILD_PNR

runner = CliRunner()
UNIT = "Barn och unga Centrum"


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database with one unit and one case worker, configured for the CLI."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name=UNIT, municipality_code="1480")
        staff.create(
            session, username="anna", display_name="Anna", role=Role.CASE_WORKER, unit_id=unit.id
        )
    engine.dispose()
    yield database_url
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        [*args, "--as", "anna"]
        if args[0] in ("report", "case") and args[1] not in ("list",)
        else list(args),
    )
    return result.exit_code, result.stdout, result.stderr


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(model)).scalar_one()
    engine.dispose()
    return count


REGISTER = [
    "report",
    "register",
    "--child",
    "20150916-9874",
    "--first-name",
    "Saga",
    "--last-name",
    "Lind",
    "--received",
    "2025-06-19T10:00",
    "--reporter",
    "school",
    "--mandatory",
    "--concern",
    "neglect",
    "--unit",
    UNIT,
]


def test_a_report_is_carried_through_the_chain_from_the_command_line(db: str) -> None:
    code, out, _ = _run(*REGISTER)
    assert code == 0
    assert "Förhandsbedömning senast 2025-07-03" in out
    number = out.split("Registrerad: ")[1].split()[0]
    for step in (
        ["case", "protection", number, "--at", "2025-06-19T11:00"],
        ["case", "preliminary", number, "--on", "2025-07-01", "--outcome", "investigation_opened"],
        [
            "case",
            "bbic",
            number,
            "--side",
            "parenting_capacity",
            "--area",
            "safety",
            "--text",
            "Utkast",
        ],
        [
            "case",
            "extend",
            number,
            "--on",
            "2025-10-01",
            "--until",
            "2025-12-15",
            "--reason",
            "Inväntar utlåtande",
        ],
        [
            "case",
            "intervention",
            number,
            "--on",
            "2025-10-15",
            "--category",
            "contact_person_or_family",
        ],
        ["case", "complete", number, "--on", "2025-10-20", "--outcome", "interventions"],
        ["case", "follow-up", number, "--on", "2026-01-10", "--voice", "declined_by_child"],
        [
            "case",
            "end-intervention",
            number,
            "--intervention",
            "1",
            "--on",
            "2026-01-11",
            "--reason",
            "Klar",
        ],
        ["case", "close", number, "--on", "2026-01-12"],
    ):
        code, out, err = _run(*step)
        assert code == 0, (step, err)
    code, out, _ = _run("case", "show", number, "--purpose", "kontroll")
    shown = json.loads(out)
    assert shown["status"] == "closed"
    assert [d["on_time"] for d in shown["deadlines"]] == [True, True, True]
    assert shown["deadlines"][2]["due"] == "2025-12-15"
    code, out, _ = _run("audit", "verify")
    assert code == 0
    assert "hel" in out


def test_a_forbidden_step_exits_2_with_a_message_and_writes_nothing(db: str) -> None:
    _, out, _ = _run(*REGISTER)
    number = out.split("Registrerad: ")[1].split()[0]
    audit_before = _count(db, AuditEntry)
    code, out, err = _run("case", "close", number, "--on", "2025-06-20")
    assert code == 2
    assert "Det går inte att avsluta ärendet" in err
    assert out == ""
    # Nothing of the step is written; the command's audited read of the case is kept.
    engine = make_engine(db)
    with engine.connect() as conn:
        added = conn.scalars(select(AuditEntry.action).where(AuditEntry.seq > audit_before))
        assert list(added) == ["read"]
    engine.dispose()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--child", "20150916-9875"), "Kontrollsiffran"),
        (("--received", "2025-02-30T10:00"), "--received"),
        (("--unit", "Finns inte"), "--unit"),
    ],
)
def test_bad_report_input_exits_2_naming_what_was_wrong_and_writes_nothing(
    db: str, change: tuple[str, str], message: str
) -> None:
    args = list(REGISTER)
    args[args.index(change[0]) + 1] = change[1]
    code, _out, err = _run(*args)
    assert code == 2
    assert message in err
    assert _count(db, Case) == 0
    assert _count(db, AuditEntry) == 0


def test_an_unknown_case_number_exits_3(db: str) -> None:
    code, _, err = _run("case", "show", "BU-2025-999999", "--purpose", "kontroll")
    assert code == 3
    assert "finns inte" in err


def test_audit_verify_exits_nonzero_naming_the_tampered_entry(db: str) -> None:
    _run(*REGISTER)
    engine = make_engine(db)
    with engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(role="admin"))
    engine.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "post 2" in result.stderr


def _staff(url: str, username: str, role: Role) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.name == UNIT)).one()
        staff.create(session, username=username, display_name=username, role=role, unit_id=unit_id)
    engine.dispose()


def _as(user: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--as", user])
    return result.exit_code, result.stdout, result.stderr


def _level(url: str) -> ProtectedIdentity:
    engine = make_engine(url)
    with engine.connect() as conn:
        level = conn.scalars(select(Child.protected_identity)).one()
    engine.dispose()
    return ProtectedIdentity(level)


def test_a_registration_from_the_command_line_never_lowers_a_childs_protection(db: str) -> None:
    _staff(db, "bo", Role.CASE_WORKER)
    code, out, _ = _as("anna", *REGISTER, "--protected", "protected_registration")
    assert code == 0
    earlier = out.split("Registrerad: ")[1].split()[0]
    code, _, _ = _as("bo", *REGISTER, "--protected", "confidentiality_marking")
    assert code == 0
    assert _level(db) is ProtectedIdentity.PROTECTED_REGISTRATION
    code, _, err = _as("bo", "case", "show", earlier, "--purpose", "kontroll")
    assert code == 3
    assert "finns inte" in err


def test_only_a_team_lead_or_admin_lowers_it_from_the_command_line(db: str) -> None:
    _staff(db, "lisa", Role.TEAM_LEAD)
    _, out, _ = _as("anna", *REGISTER, "--protected", "protected_registration")
    number = out.split("Registrerad: ")[1].split()[0]
    lower = ("child", "protection", number, "--level", "none", "--reason", "register_decision")
    audit_before = _count(db, AuditEntry)
    code, out, err = _as("anna", *lower)
    assert (code, out) == (4, "")
    assert "Bara arbetsledare och administratörer" in err
    code, _, err = _as("lisa", *lower[:2], "BU-2025-999999", *lower[3:])
    assert code == 3
    assert "finns inte" in err
    assert _count(db, AuditEntry) == audit_before
    assert _level(db) is ProtectedIdentity.PROTECTED_REGISTRATION
    code, out, _ = _as("lisa", *lower)
    assert code == 0
    assert "Skyddad identitet: Ingen." in out
    assert _level(db) is ProtectedIdentity.NONE
    engine = make_engine(db)
    with engine.connect() as conn:
        entry = conn.execute(
            select(AuditEntry.actor, AuditEntry.purpose).where(
                AuditEntry.entity == "protected_identity"
            )
        ).one()
    engine.dispose()
    assert tuple(entry) == ("lisa", "Skatteverkets beslut: Skyddad folkbokföring till Ingen")


def test_a_too_long_end_reason_exits_2_in_swedish_and_writes_nothing(db: str) -> None:
    _, out, _ = _run(*REGISTER)
    number = out.split("Registrerad: ")[1].split()[0]
    for step in (
        ["case", "protection", number, "--at", "2025-06-19T11:00"],
        ["case", "preliminary", number, "--on", "2025-07-01", "--outcome", "investigation_opened"],
        [
            "case",
            "intervention",
            number,
            "--on",
            "2025-07-02",
            "--category",
            "contact_person_or_family",
        ],
    ):
        code, _, err = _run(*step)
        assert code == 0, (step, err)
    audit_before = _count(db, AuditEntry)
    code, out, err = _run(
        "case",
        "end-intervention",
        number,
        "--intervention",
        "1",
        "--on",
        "2025-07-03",
        "--reason",
        "x" * 201,
    )
    assert code == 2
    assert "--reason: Högst 200 tecken." in err
    assert out == ""
    assert _count(db, AuditEntry) == audit_before


def test_the_reporter_asking_for_feedback_is_recorded_from_the_command_line(db: str) -> None:
    code, _out, err = _run(*REGISTER, "--feedback-requested")
    assert code == 0, err
    engine = make_engine(db)
    with engine.connect() as conn:
        asked = conn.execute(select(Report.feedback_requested, Report.feedback_requested_on)).one()
    engine.dispose()
    assert asked == (True, dt.date(2025, 6, 19))
    private = [a for a in REGISTER if a != "--mandatory"]
    private[private.index("school")] = "private_person"
    code, _out, err = _run(*private, "--child", OTHER_CHILD_PNR, "--feedback-requested")
    assert code == 2
    assert "bara till en anmälningsskyldig anmälare" in err
    assert _count(db, Case) == 1


def test_a_placement_review_from_the_command_line_needs_the_childs_voice(db: str) -> None:
    code, out, _ = _run(*REGISTER)
    number = out.split("Registrerad: ")[1].split()[0]
    for step in (
        ["case", "protection", number, "--at", "2025-06-19T11:00"],
        ["case", "preliminary", number, "--on", "2025-07-01", "--outcome", "investigation_opened"],
        ["case", "intervention", number, "--on", "2025-07-10", "--category", "family_home"],
    ):
        code, _, err = _run(*step)
        assert code == 0, (step, err)
    review = ["case", "review-placement", number, "--placement", "1", "--on", "2025-12-20"]
    code, _, err = _run(*review)
    assert code != 0
    assert "--voice" in err
    code, _, err = _run(*review, "--voice", "not_offered")
    assert code != 0
    assert "Ange varför barnet inte fick svara" in err
    assert _count(db, ChildVoiceRecord) == 0
    code, _, err = _run(*review, "--voice", "not_offered", "--voice-reason", "not_reached")
    assert code == 0, err
    assert _count(db, ChildVoiceRecord) == 1
