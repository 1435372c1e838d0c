"""The one rule for purposes: the same refusal on every path, and in the audit trail itself."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.audit.purpose import MSG_CONTROL, MSG_LENGTH, MSG_PERSONAL, check_purpose
from barnskydd.cases import search
from barnskydd.cli import app
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import InvalidInput
from barnskydd.core.settings import get_settings
from barnskydd.lookup.schemas import LookupRequest
from barnskydd.people.rules import luhn_check_digit, parse_identity
from tests.factories import CHILD_PNR, registered_case, unit_and_worker

ACTOR = Actor(username="anna", role=Role.CASE_WORKER, staff_id=1, unit_id=1)
TODAY = dt.date(2025, 6, 19)


def _coordination() -> str:
    """A samordningsnummer (day + 60) with a valid check digit."""
    nine = "150976" + "987"
    return f"20{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"


def _written_forms() -> list[str]:
    """Every way people.rules reads an identity number, each checked to parse."""
    long = CHILD_PNR  # YYYYMMDD-NNNC
    short = long[2:]
    coordination = _coordination()
    forms = [
        long,
        long.replace("-", ""),
        short,
        short.replace("-", ""),
        coordination,
        coordination[2:].replace("-", ""),
        "20150916R001",
        "20150916-R001",
        "20150916-r001",
    ]
    for form in forms:
        parse_identity(form, today=TODAY)  # the rule covers what the parser accepts
    return forms


@pytest.mark.parametrize("number", _written_forms())
def test_every_written_form_of_an_identity_number_is_refused(number: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_purpose(f"kontroll av {number} inför möte")
    assert (refused.value.message, refused.value.field) == (MSG_PERSONAL, "purpose")
    assert number not in refused.value.message


@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        ("kontroll av ２０１５０９１６９８７４", MSG_PERSONAL),  # fullwidth digits
        ("mejl till saga.lind@example.se", MSG_PERSONAL),
        ("utredning 150916", MSG_PERSONAL),  # a birth date is enough
        ("hand\x00läggning", MSG_CONTROL),
        ("hand\u202eläggning", MSG_CONTROL),  # a format character
        ("ab", MSG_LENGTH),
        ("  a  ", MSG_LENGTH),
        ("x" * 201, MSG_LENGTH),
        ("x" * 100_000, MSG_LENGTH),
    ],
)
def test_identifiers_controls_and_lengths_are_refused(purpose: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_purpose(purpose)
    assert refused.value.message == message


def test_an_ordinary_purpose_is_kept_with_its_whitespace_collapsed() -> None:
    assert check_purpose("  uppföljning  av möte 2025-01-10\n") == "uppföljning av möte 2025-01-10"
    assert check_purpose("statistikuttag, 123 456 anmälningar")  # thousands apart are no number


def test_the_audit_trail_refuses_an_identity_number_as_the_last_line_of_defence(
    session: Session,
) -> None:
    with pytest.raises(InvalidInput):
        audit.record(session, actor=ACTOR, action="read", entity="case", purpose=CHILD_PNR)
    audit.record(session, actor=ACTOR, action="read", entity="case", purpose="handläggning")
    assert [e.purpose for e in audit.get_all(session)] == ["handläggning"]


def test_a_service_read_with_a_personal_purpose_is_refused(session: Session) -> None:
    from barnskydd.cases import service as cases

    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    with pytest.raises(InvalidInput):
        cases.get_by_number(
            session, actor=worker, case_number=case.case_number, purpose=f"om {CHILD_PNR}"
        )


def test_the_desk_search_refuses_what_the_rule_refuses() -> None:
    query = search.parse_query("Saga")
    with pytest.raises(InvalidInput) as refused:
        search.purpose_text("other", "svar till saga.lind@example.se", query)
    assert refused.value.field == "purpose_other"
    with pytest.raises(InvalidInput) as refused:
        search.purpose_text("other", "begäran\x00från polisen", query)
    assert refused.value.field == "purpose_other"


def test_the_national_index_refuses_an_identity_number_as_purpose() -> None:
    body = {"pseudonyms": [{"key_version": 1, "pseudonym": "ab" * 64}], "asked_by": "Bo"}
    body["contact"] = "Barn och unga"
    with pytest.raises(ValueError, match="personnummer"):
        LookupRequest.model_validate({**body, "purpose": f"uppslag {CHILD_PNR}"})


@pytest.fixture
def cli_db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """One registered case on a database configured for the CLI."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        unit_id, worker = unit_and_worker(session)
        number = registered_case(session, unit_id, worker).case_number
    engine.dispose()
    yield number
    get_settings.cache_clear()


def test_the_cli_refuses_a_personal_purpose_with_exit_2_and_audits_nothing(
    cli_db: str, database_url: str
) -> None:
    runner = CliRunner()
    refused = runner.invoke(app, ["case", "show", cli_db, "--purpose", CHILD_PNR, "--as", "anna"])
    assert refused.exit_code == 2
    assert "--purpose" in refused.stderr
    assert CHILD_PNR not in refused.stderr + refused.stdout
    shown = runner.invoke(app, ["case", "show", cli_db, "--purpose", "kontroll", "--as", "anna"])
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["case_number"] == cli_db
    engine = make_engine(database_url)
    with engine.connect() as conn:
        purposes = list(conn.scalars(select(AuditEntry.purpose)))
    engine.dispose()
    assert CHILD_PNR not in purposes
    assert "kontroll" in purposes
