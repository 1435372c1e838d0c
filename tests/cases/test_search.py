"""Search by identity number, name or case number: scope, screened-out reports and the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import search
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus, PreliminaryOutcome
from barnskydd.cases.models import Case
from barnskydd.cases.search import QueryKind, parse_query, purpose_text
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.rules import MSG_CHECK_DIGIT, MSG_FORMAT
from barnskydd.staff import service as staff
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR, registered_case, take, unit_and_worker

THIRD_CHILD_PNR = "20130304-2384"  # synthetic, valid check digit
RECEIVED = dt.datetime(2025, 9, 1, 10, 0, tzinfo=SWEDEN)
PURPOSE = "new_report"


def _screened_out(session: Session, case: Case, actor: Actor) -> None:
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=RECEIVED.date() + dt.timedelta(days=3),
        outcome=PreliminaryOutcome.NOT_OPENED,
    )


def _find(session: Session, actor: Actor, query: str) -> list[str]:
    result = search.search(session, actor=actor, query=query, purpose=PURPOSE)
    return [hit.case_number for hit in result.hits]


def _audit_count(session: Session) -> int:
    return audit.count(session)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("20150916-9874", QueryKind.IDENTITY),
        ("150916-9874", QueryKind.IDENTITY),
        ("201509169874", QueryKind.IDENTITY),
        ("20150976-9871", QueryKind.IDENTITY),  # samordningsnummer: day + 60
        ("20150916R001", QueryKind.IDENTITY),
        ("bu-2025-000001", QueryKind.CASE_NUMBER),
        ("Saga Lind", QueryKind.NAME),
        ("åsa", QueryKind.NAME),
        ("Anna-Karin O'Brien", QueryKind.NAME),
        ("Bure", QueryKind.NAME),
    ],
)
def test_a_query_is_told_apart_by_its_form(text: str, kind: QueryKind) -> None:
    assert parse_query(text).kind is kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", search.MSG_QUERY),
        ("   ", search.MSG_QUERY),
        ("20150916-9875", MSG_CHECK_DIGIT),
        ("BU-2025-1", search.MSG_CASE_NUMBER),
        ("BU2025-000001", search.MSG_CASE_NUMBER),
        ("BU 2025", MSG_FORMAT),
        ("Saga%", search.MSG_QUERY),
        ("<script>", search.MSG_QUERY),
        ("S", search.MSG_NAME),
        ("x" * 101, search.MSG_QUERY),
    ],
)
def test_a_garbage_query_is_refused_in_swedish(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_query(text)
    assert error.value.field == "query"
    assert error.value.message == message


def test_the_identity_number_is_not_in_the_query_repr() -> None:
    assert "9874" not in repr(parse_query(CHILD_PNR))
    assert "Saga" not in repr(parse_query("Saga Lind"))


def test_a_chosen_purpose_is_audited_by_its_label() -> None:
    assert purpose_text("preliminary_assessment", "", parse_query("Saga")) == (
        "sökning: förhandsbedömning"
    )


@pytest.mark.parametrize(
    ("purpose", "other", "field", "message"),
    [
        ("", "", "purpose", search.MSG_PURPOSE),
        ("nyfikenhet", "", "purpose", search.MSG_PURPOSE),
        ("other", "", "purpose_other", search.MSG_PURPOSE_OTHER),
        ("other", "ab", "purpose_other", search.MSG_PURPOSE_OTHER),
        ("other", "x" * 151, "purpose_other", search.MSG_PURPOSE_OTHER),
        ("other", "kolla 150916-9874 igen", "purpose_other", search.MSG_PURPOSE_PERSONAL),
        ("other", "samtal om saga från skolan", "purpose_other", search.MSG_PURPOSE_PERSONAL),
    ],
)
def test_a_missing_or_personal_purpose_is_refused(
    purpose: str, other: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        purpose_text(purpose, other, parse_query("Saga Lind"))
    assert (error.value.field, error.value.message) == (field, message)


def test_a_described_purpose_is_kept() -> None:
    assert purpose_text("other", "  Samråd med   polisen ", parse_query("Saga")) == (
        "sökning: Samråd med polisen"
    )


def test_a_screened_out_report_is_found_by_personnummer(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    _screened_out(session, case, worker)
    assert case.status is CaseStatus.CLOSED
    result = search.search(session, actor=worker, query="150916-9874", purpose=PURPOSE)
    assert [h.case_number for h in result.hits] == [case.case_number]
    assert result.hits[0].preliminary_outcome is PreliminaryOutcome.NOT_OPENED
    assert result.hits[0].child_identity == "20150916-9874"
    assert not result.truncated


def test_name_search_matches_the_start_of_first_or_last_name_in_any_case(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    saga = registered_case(session, unit_id, worker, received_at=RECEIVED)
    asa = registered_case(
        session,
        unit_id,
        worker,
        child_identity=OTHER_CHILD_PNR,
        child_first_name="Åsa",
        child_last_name="Öberg",
        received_at=RECEIVED + dt.timedelta(days=1),
    )
    assert _find(session, worker, "saga") == [saga.case_number]
    assert _find(session, worker, "LIN") == [saga.case_number]
    assert _find(session, worker, "åsa öberg") == [asa.case_number]
    assert _find(session, worker, "ÖBERG") == [asa.case_number]
    assert _find(session, worker, "Saga Öberg") == []
    assert _find(session, worker, "berg") == []


def test_name_search_folds_letter_case_but_keeps_a_ring_and_dots(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    asa = registered_case(
        session,
        unit_id,
        worker,
        child_identity=OTHER_CHILD_PNR,
        child_first_name="Åsa",
        child_last_name="Öberg",
        received_at=RECEIVED,
    )
    for query in ("åsa", "ÅSA", "Åsa", "ÅS", "öBERG"):
        assert _find(session, worker, query) == [asa.case_number], query
    assert _find(session, worker, "asa") == []
    assert _find(session, worker, "Oberg") == []


def test_a_hyphenated_or_double_name_is_found_by_the_start_of_its_first_part(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(
        session,
        unit_id,
        worker,
        child_identity=THIRD_CHILD_PNR,
        child_first_name="Anna-Karin",
        child_last_name="Ek Sjöberg",
        received_at=RECEIVED,
    )
    for query in ("Ann", "anna-k", "ANNA-KARIN", "ek", "anna ek"):
        assert _find(session, worker, query) == [case.case_number], query


def test_a_renamed_child_is_found_by_the_new_name_only(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    case.child.first_name = "Åke"
    session.flush()
    assert _find(session, worker, "åke lind") == [case.case_number]
    assert _find(session, worker, "saga") == []


def test_name_search_walks_the_name_key_indexes_on_sqlite(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    _, worker = unit_and_worker(session)
    statement = search._statement(worker, parse_query("Åsa Öberg"), search.LIMIT, dialect="sqlite")
    sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = " ".join(
        row[-1] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
    )
    assert "ix_child_first_name_key" in plan
    assert "ix_child_last_name_key" in plan
    assert "ix_case_unit_id" not in plan


def test_case_number_search_finds_one_case(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    assert _find(session, worker, case.case_number.lower()) == [case.case_number]
    assert _find(session, worker, "BU-1999-999999") == []


def test_results_stay_within_the_actors_unit(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    _, other = unit_and_worker(session, name="Barn och unga Väster", username="bertil")
    admin = Actor(username="admin", role=Role.ADMIN)
    assert _find(session, other, CHILD_PNR) == []
    assert _find(session, other, case.case_number) == []
    assert _find(session, admin, CHILD_PNR) == [case.case_number]


def test_an_analyst_cannot_search(session: Session) -> None:
    analyst = Actor(username="ana", role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        search.search(session, actor=analyst, query=CHILD_PNR, purpose=PURPOSE)


def test_a_protected_child_is_found_only_by_named_staff(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    lead = staff.actor_for(
        staff.create(
            session, username="lisa", display_name="Lisa", role=Role.TEAM_LEAD, unit_id=unit_id
        )
    )
    case = registered_case(
        session,
        unit_id,
        worker,
        received_at=RECEIVED,
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
    )
    assert case.assigned_to_id is None
    assert _find(session, worker, CHILD_PNR) == []
    assert _find(session, lead, CHILD_PNR) == [case.case_number]
    cases.grant_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    assert _find(session, worker, CHILD_PNR) == [case.case_number]


def test_each_search_is_audited_with_its_purpose_and_no_identity(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    before = _audit_count(session)
    search.search(
        session,
        actor=worker,
        query=CHILD_PNR,
        purpose="other",
        purpose_other="Samråd med BUP",
    )
    search.search(session, actor=worker, query="Ingen Alls", purpose=PURPOSE)
    audit.append_pending(session)  # entries are chained and written at commit
    entries = list(session.scalars(select(AuditEntry).where(AuditEntry.seq > before)))
    assert [(e.action, e.entity, e.child_id) for e in entries] == [
        ("search", "child", case.child_id),
        ("search", "case", None),
    ]
    assert entries[0].purpose == "sökning: Samråd med BUP"
    assert entries[1].purpose == "sökning: ny anmälan: tidigare anmälningar om barnet"
    stored = " ".join(f"{e.actor} {e.role} {e.entity} {e.entity_id} {e.purpose}" for e in entries)
    for secret in ("9874", "150916", "Saga", "Lind", "Ingen", "Alls"):
        assert secret not in stored


def test_a_refused_search_writes_nothing(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    registered_case(session, unit_id, worker, received_at=RECEIVED)
    before = _audit_count(session)
    with pytest.raises(InvalidInput):
        search.search(session, actor=worker, query=CHILD_PNR, purpose="")
    with pytest.raises(InvalidInput):
        search.search(session, actor=worker, query="20150916-9875", purpose=PURPOSE)
    assert _audit_count(session) == before


def test_more_hits_than_the_limit_are_cut_and_flagged(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    for day in range(3):
        registered_case(session, unit_id, worker, received_at=RECEIVED + dt.timedelta(days=day))
    result = search.search(session, actor=worker, query="Saga", purpose=PURPOSE, limit=2)
    assert len(result.hits) == 2
    assert result.truncated
    assert result.hits[0].received_on > result.hits[1].received_on
