"""Store, list and read a case's documents; every read of a file is audited.

The edge has read the case (audited, CaseNotFound for one the actor may not see); the
service checks the access again, since it may be called by any edge. The listing is part of
the case and covered by the read of the case; each download of a file is an entry of its own
(entity `document`). A document that is not in the case named is answered as one that does
not exist, and the attempt is audited (`refused`) against the case it belongs to.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case
from barnskydd.cases.service import audit_case, authorize, load
from barnskydd.core.actor import Actor
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.documents import rules
from barnskydd.documents.models import Document
from barnskydd.documents.schemas import DocumentCreate

MSG_NOT_FOUND = "Dokumentet finns inte."
MSG_NO_ENTRY = "Journalanteckningen finns inte i ärendet."


def create(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    data: DocumentCreate,
    filename: str,
    content: bytes,
    now: dt.datetime | None = None,
) -> Document:
    """Store an uploaded file in the case once its content passes rules.check.

    A document linked to a journal entry must name an entry of the same case (another
    case's entry is answered as one that does not exist). `now` is the upload's time (the
    synthetic generator's history); the clock's by default.
    """
    authorize(actor, case)
    if data.journal_entry is not None:
        entry_case = session.scalar(
            select(JournalEntry.case_id).where(JournalEntry.id == data.journal_entry)
        )
        if entry_case != case.id:
            raise InvalidInput(MSG_NO_ENTRY, field="journal_entry")
    checked = rules.check(filename, content)
    document = Document(
        case_id=case.id,
        journal_entry_id=data.journal_entry,
        title=data.title,
        kind=data.kind,
        filename=checked.filename,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor.username,
        uploaded_at=now or utcnow(),
        content=content,
    )
    session.add(document)
    session.flush()
    audit_case(session, actor, case, action="create", entity="document", entity_id=document.id)
    return document


def get_all(session: Session, *, actor: Actor, case: Case) -> list[Document]:
    """Return the case's documents, newest first, without their content."""
    authorize(actor, case)
    query = (
        select(Document)
        .where(Document.case_id == case.id)
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    )
    return list(session.scalars(query))


def get(session: Session, *, actor: Actor, case: Case, document_id: int, purpose: str) -> Document:
    """Return one document of the case with its content, auditing the read and its purpose."""
    authorize(actor, case)
    document = session.get(Document, document_id)  # its content loads when it is read
    if document is None:
        raise NotFound(MSG_NOT_FOUND)
    if document.case_id != case.id:
        owner = load(session, document.case_id, whole_chain=False)
        audit_case(
            session,
            actor,
            owner,
            action="refused",
            entity="document",
            entity_id=document.id,
            purpose=purpose,
        )
        raise NotFound(MSG_NOT_FOUND)
    audit_case(
        session,
        actor,
        case,
        action="read",
        entity="document",
        entity_id=document.id,
        purpose=purpose,
    )
    return document
