"""The journal's rules through the service layer, without the web, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import MSG_HTML, JournalAdd, JournalEdit
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case
from barnskydd.core.actor import SYSTEM, Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.core.messages import field_errors
from barnskydd.staff import service as staff
from tests.factories import registered_case, unit_and_worker

AT = dt.datetime(2025, 6, 20, 9, 30, tzinfo=SWEDEN)  # the day after the report (factories)


def _add(**overrides: Any) -> JournalAdd:
    fields: dict[str, Any] = {
        "kind": "child_talk",
        "at": AT,
        "minutes": 45,
        "child_alone": True,
        "participants": "Barnet, handläggaren",
        "text": "Syntetisk anteckning för test.",
    }
    fields.update(overrides)
    return JournalAdd.model_validate(fields)


def _world(session: Session) -> tuple[Case, Actor]:
    unit_id, worker = unit_and_worker(session)
    return registered_case(session, unit_id, worker), worker


def _colleague(session: Session, case: Case, role: Role = Role.CASE_WORKER) -> Actor:
    member = staff.create(
        session, username=f"kollega-{role}", display_name="K", role=role, unit_id=case.unit_id
    )
    return staff.actor_for(member)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(JournalEntry)) or 0


def test_an_entry_is_an_unsigned_draft_of_its_author(session: Session) -> None:
    case, worker = _world(session)
    entry = journal.create(session, actor=worker, case=case, data=_add())
    assert (entry.signed_at, entry.signed_by, entry.author) == (None, None, "anna")
    assert entry.kind is JournalKind.CHILD_TALK
    assert entry.child_alone
    assert entry.minutes == 45


def test_a_signed_entry_cannot_be_edited_or_deleted_and_nothing_changes(
    session: Session,
) -> None:
    case, worker = _world(session)
    entry = journal.create(session, actor=worker, case=case, data=_add())
    journal.sign(session, actor=worker, case=case, entry_id=entry.id)
    with pytest.raises(journal.EntrySigned):
        journal.update(
            session,
            actor=worker,
            case=case,
            entry_id=entry.id,
            data=JournalEdit(text="Ändrad i efterhand."),
        )
    with pytest.raises(journal.EntrySigned):
        journal.delete(session, actor=worker, case=case, entry_id=entry.id)
    with pytest.raises(journal.EntrySigned, match="redan signerad"):
        journal.sign(session, actor=worker, case=case, entry_id=entry.id)
    session.expire_all()
    stored = session.get(JournalEntry, entry.id)
    assert stored is not None
    assert stored.text == "Syntetisk anteckning för test."


def test_an_unsigned_entry_is_edited_and_deleted_by_its_author_only(session: Session) -> None:
    case, worker = _world(session)
    entry = journal.create(session, actor=worker, case=case, data=_add())
    for other in (_colleague(session, case), _colleague(session, case, Role.TEAM_LEAD)):
        with pytest.raises(PermissionDenied):
            journal.update(
                session, actor=other, case=case, entry_id=entry.id, data=JournalEdit(text="x")
            )
        with pytest.raises(PermissionDenied):
            journal.delete(session, actor=other, case=case, entry_id=entry.id)
        with pytest.raises(PermissionDenied):
            journal.sign(session, actor=other, case=case, entry_id=entry.id)
    journal.update(
        session, actor=worker, case=case, entry_id=entry.id, data=JournalEdit(minutes=50)
    )
    assert entry.minutes == 50
    assert entry.text == "Syntetisk anteckning för test."
    journal.delete(session, actor=worker, case=case, entry_id=entry.id)
    assert _count(session) == 0


def test_a_correction_points_at_a_signed_entry_and_both_are_listed(session: Session) -> None:
    case, worker = _world(session)
    first = journal.create(session, actor=worker, case=case, data=_add())
    with pytest.raises(InvalidInput, match="Bara en signerad") as refused:
        journal.correct(session, actor=worker, case=case, entry_id=first.id, data=_add())
    assert refused.value.field == "corrects"
    journal.sign(session, actor=worker, case=case, entry_id=first.id)
    fixed = journal.correct(
        session,
        actor=_colleague(session, case),
        case=case,
        entry_id=first.id,
        data=_add(text="Rättelse: samtalet var 30 minuter.", at=AT + dt.timedelta(hours=2)),
    )
    assert fixed.corrects_id == first.id
    assert fixed.signed_at is None
    listed = journal.get_all(session, actor=worker, case=case, purpose="handläggning")
    assert [e.id for e in listed] == [fixed.id, first.id]  # newest first


def test_an_entry_of_another_case_is_not_found_there(session: Session) -> None:
    case, worker = _world(session)
    other = registered_case(session, case.unit_id, worker, child_identity="20120512-9271")
    entry = journal.create(session, actor=worker, case=other, data=_add())
    with pytest.raises(NotFound):
        journal.sign(session, actor=worker, case=case, entry_id=entry.id)
    journal.sign(session, actor=worker, case=other, entry_id=entry.id)
    with pytest.raises(InvalidInput, match="finns inte i ärendet"):
        journal.create(session, actor=worker, case=case, data=_add(corrects=entry.id))


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (dt.datetime(2025, 6, 19, 9, 59, tzinfo=SWEDEN), "före anmälan"),
        (dt.datetime.now(SWEDEN) + dt.timedelta(hours=1), "i framtiden"),
    ],
)
def test_an_entry_dated_before_the_report_or_in_the_future_is_refused(
    session: Session, at: dt.datetime, message: str
) -> None:
    case, worker = _world(session)
    with pytest.raises(InvalidInput, match=message) as refused:
        journal.create(session, actor=worker, case=case, data=_add(at=at))
    assert refused.value.field == "at"
    assert _count(session) == 0


def test_an_entry_in_the_minute_the_report_came_in_is_taken(session: Session) -> None:
    case, worker = _world(session)
    journal.create(session, actor=worker, case=case, data=_add(at=case.report.received_at))
    assert _count(session) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", 0, "Värdet är för litet (minst 1)."),
        ("minutes", -5, "Värdet är för litet (minst 1)."),
        ("minutes", 601, "Värdet är för stort (högst 600)."),
        ("text", "<script>alert(1)</script>", MSG_HTML),
        ("participants", "Mamma <b>Eva</b>", MSG_HTML),
        ("text", "", "Fältet måste fyllas i."),
        ("text", "x" * 20_001, "Högst 20000 tecken."),
        ("kind", "meeting", "Välj ett av: 'child_talk', 'guardian_talk', 'home_visit', "),
    ],
)
def test_bad_input_is_refused_in_swedish_by_the_input_model(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(**{field: value})
    assert field_errors(refused.value.errors())[field].startswith(message)


def test_a_lone_less_than_sign_is_plain_text() -> None:
    assert _add(text="Barnet väger < 15 kg.").text == "Barnet väger < 15 kg."


def test_text_mode_reads_the_desk_and_the_command_line() -> None:
    data = JournalAdd.from_text(
        {"kind": "home_visit", "at": "2025-06-20T09:30", "minutes": "90", "text": "Besök."}
    )
    assert (data.at, data.minutes, data.child_alone) == (AT, 90, False)


def test_an_edit_that_changes_nothing_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        JournalEdit.model_validate({})
    assert field_errors(refused.value.errors()) == {"__form__": "Ange minst ett fält att ändra."}


def test_the_analyst_and_the_system_job_write_no_journal(session: Session) -> None:
    case, _ = _world(session)
    analyst = staff.actor_for(
        staff.create(session, username="ana", display_name="A", role=Role.ANALYST, unit_id=None)
    )
    for who in (analyst, SYSTEM):
        with pytest.raises(PermissionDenied):
            journal.create(session, actor=who, case=case, data=_add())
    with pytest.raises(PermissionDenied):
        journal.get_all(session, actor=analyst, case=case, purpose="statistik")


def test_another_units_worker_is_refused(session: Session) -> None:
    case, worker = _world(session)
    _, other = unit_and_worker(session, name="Väster", username="bo")
    entry = journal.create(session, actor=worker, case=case, data=_add())
    with pytest.raises(PermissionDenied):
        journal.get_all(session, actor=other, case=case, purpose="handläggning")
    with pytest.raises(PermissionDenied):
        journal.sign(session, actor=other, case=case, entry_id=entry.id)


def test_every_write_and_read_is_audited_with_ids_only(session: Session) -> None:
    case, worker = _world(session)
    entry = journal.create(session, actor=worker, case=case, data=_add())
    journal.update(session, actor=worker, case=case, entry_id=entry.id, data=JournalEdit(text="Ny"))
    journal.sign(session, actor=worker, case=case, entry_id=entry.id)
    journal.get_all(
        session, actor=worker, case=case, purpose="utredning", kind=JournalKind.HOME_VISIT
    )
    rows = [
        (e.action, e.entity, e.entity_id, e.purpose)
        for e in audit.get_all(session, case_id=case.id)
        if e.entity != "report"
    ]
    assert rows == [
        ("create", "journal_entry", entry.id, None),
        ("update", "journal_entry", entry.id, None),
        ("sign", "journal_entry", entry.id, None),
        ("read", "journal", None, "utredning"),
    ]


def test_the_list_filters_by_kind(session: Session) -> None:
    case, worker = _world(session)
    journal.create(session, actor=worker, case=case, data=_add())
    visit = journal.create(session, actor=worker, case=case, data=_add(kind="home_visit"))
    listed = journal.get_all(
        session, actor=worker, case=case, purpose="handläggning", kind=JournalKind.HOME_VISIT
    )
    assert [e.id for e in listed] == [visit.id]
