"""Storing and reading documents: nothing kept of a refusal, every download audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.documents import service as documents
from barnskydd.documents.models import Document
from barnskydd.documents.schemas import DocumentCreate
from tests.documents import samples
from tests.factories import OTHER_CHILD_PNR, registered_case, unit_and_worker

DATA = DocumentCreate(title="Läkarintyg")


def _document_entries(session: Session, case: Case) -> list[tuple[str, int | None, str | None]]:
    return [
        (e.action, e.entity_id, e.purpose)
        for e in audit.get_all(session, case_id=case.id)
        if e.entity == "document"
    ]


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0


PDF = samples.pdf()  # once: fpdf2 stamps each file with the time it was made


def _store(session: Session, actor: Actor, case: Case) -> Document:
    return documents.create(
        session, actor=actor, case=case, data=DATA, filename="intyg.pdf", content=PDF
    )


def test_a_stored_document_reads_back_with_its_bytes_and_the_read_is_audited(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    stored = _store(session, worker, case)
    session.expire_all()
    read = documents.get(
        session, actor=worker, case=case, document_id=stored.id, purpose="utredning"
    )
    assert (read.content, read.media_type, read.filename) == (
        PDF,
        "application/pdf",
        "intyg.pdf",
    )
    assert [d.id for d in documents.get_all(session, actor=worker, case=case)] == [stored.id]
    assert _document_entries(session, case) == [
        ("create", stored.id, None),
        ("read", stored.id, "utredning"),
    ]


def test_a_refused_file_stores_nothing_and_leaves_no_entry(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    with pytest.raises(InvalidInput):
        documents.create(
            session, actor=worker, case=case, data=DATA, filename="x.pdf", content=b"<html>"
        )
    assert _count(session) == 0
    assert _document_entries(session, case) == []


def test_a_document_asked_for_under_another_case_is_not_found_and_the_attempt_audited(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    mine = registered_case(session, unit_id, worker)
    other = registered_case(session, unit_id, worker, child_identity=OTHER_CHILD_PNR)
    stored = _store(session, worker, other)
    with pytest.raises(NotFound, match=r"^Dokumentet finns inte\.$"):
        documents.get(session, actor=worker, case=mine, document_id=stored.id, purpose="utredning")
    with pytest.raises(NotFound, match=r"^Dokumentet finns inte\.$"):
        documents.get(session, actor=worker, case=mine, document_id=999_999, purpose="utredning")
    assert _document_entries(session, other)[-1] == ("refused", stored.id, "utredning")
    assert _document_entries(session, mine) == []


def test_another_units_worker_may_neither_store_nor_read(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    _, stranger = unit_and_worker(session, name="Barn och unga Väster", username="bo")
    case = registered_case(session, unit_id, worker)
    stored = _store(session, worker, case)
    with pytest.raises(PermissionDenied):
        _store(session, stranger, case)
    with pytest.raises(PermissionDenied):
        documents.get(session, actor=stranger, case=case, document_id=stored.id, purpose="x y")
    with pytest.raises(PermissionDenied):
        documents.get_all(session, actor=stranger, case=case)
    assert _count(session) == 1


def _entry(session: Session, actor: Actor, case: Case) -> int:
    data = JournalAdd.model_validate(
        {
            "kind": "home_visit",
            "at": dt.datetime(2025, 6, 20, 9, 30, tzinfo=SWEDEN),
            "minutes": 60,
            "text": "Syntetiskt hembesök för test.",
        }
    )
    return journal.create(session, actor=actor, case=case, data=data).id


def test_a_document_links_to_an_entry_of_its_own_case_and_outlives_a_deleted_draft(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    entry_id = _entry(session, worker, case)
    data = DocumentCreate(title="Foto från hembesöket", journal_entry=entry_id)
    stored = documents.create(
        session, actor=worker, case=case, data=data, filename="foto.png", content=samples.png()
    )
    assert stored.journal_entry_id == entry_id
    assert journal.headings(session, actor=worker, case=case)[0][0] == entry_id

    journal.delete(session, actor=worker, case=case, entry_id=entry_id)
    session.expire_all()
    kept = session.get(Document, stored.id)
    assert kept is not None
    assert kept.case_id == case.id
    assert kept.journal_entry_id is None  # the draft is gone; the document stays in the case


def test_a_link_to_another_cases_entry_is_refused_and_nothing_stored(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    mine = registered_case(session, unit_id, worker)
    other = registered_case(session, unit_id, worker, child_identity=OTHER_CHILD_PNR)
    foreign = _entry(session, worker, other)
    for entry_id in (foreign, 999_999):
        with pytest.raises(InvalidInput) as refused:
            documents.create(
                session,
                actor=worker,
                case=mine,
                data=DocumentCreate(title="Intyg", journal_entry=entry_id),
                filename="intyg.pdf",
                content=PDF,
            )
        assert refused.value.field == "journal_entry"
        assert refused.value.message == "Journalanteckningen finns inte i ärendet."
    assert _count(session) == 0
