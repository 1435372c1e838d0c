"""Write and read a case's journal: the one path for the desk, the API, the CLI and the generator.

The edge loads the case with its audited read (cases.service.get_by_number, which answers a
hidden case as one that does not exist); each function here checks the actor again. An entry
is a draft until its author signs it; a signed entry is never changed or deleted, only
corrected by a new entry that points at it. Refusals raise before anything is written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.codes import JOURNAL_KIND_LABELS as KIND_LABELS
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal.inputs import JournalAdd, JournalEdit
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied

ENTITY = "journal_entry"
WRITERS = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN)
MSG_WRITERS = "Journalanteckningar skrivs av handläggare, arbetsledare och administratörer."
MSG_AUTHOR = "Bara den som skrev anteckningen kan ändra, ta bort eller signera den."


class EntryNotFound(NotFound):
    """No entry with this id in this case (another case's entry is answered the same way)."""

    MESSAGE = "Journalanteckningen finns inte i ärendet."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class EntrySigned(ForbiddenTransition):
    """A signed entry cannot be edited, deleted or signed again.

    Signing is a one-way move of the entry's own state, so it is refused as a move the chain
    does not allow is: 409 on the API, a non-zero exit on the command line, the form shown
    again with the message on the desk; nothing is changed.
    """

    MESSAGE = "Anteckningen är signerad och kan inte ändras eller tas bort. Skriv en rättelse."

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


def _writer(actor: Actor, case: Case) -> None:
    if actor.role not in WRITERS:
        raise PermissionDenied(MSG_WRITERS)
    cases.authorize(actor, case)


def _check_at(case: Case, at: dt.datetime) -> None:
    """Refuse a time before the report came in (to the minute) or in the future."""
    received = case.report.received_at
    if at < received.replace(second=0, microsecond=0):
        day = received.astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(f"Tidpunkten kan inte ligga före anmälan (inkom {day}).", field="at")
    if at > utcnow():
        raise InvalidInput("Tidpunkten kan inte ligga i framtiden.", field="at")


def _entry(session: Session, case: Case, entry_id: int) -> JournalEntry:
    entry = session.scalars(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.case_id == case.id)
    ).one_or_none()
    if entry is None:
        raise EntryNotFound
    return entry


def _own_draft(session: Session, actor: Actor, case: Case, entry_id: int) -> JournalEntry:
    """Return an unsigned entry of the actor's own, or refuse."""
    _writer(actor, case)
    entry = _entry(session, case, entry_id)
    if entry.signed_at is not None:
        raise EntrySigned
    if entry.author != actor.username:
        raise PermissionDenied(MSG_AUTHOR)
    return entry


def _audit(session: Session, actor: Actor, case: Case, action: str, entry_id: int) -> None:
    cases.audit_case(session, actor, case, action=action, entity=ENTITY, entity_id=entry_id)


def create(session: Session, *, actor: Actor, case: Case, data: JournalAdd) -> JournalEntry:
    """Add an unsigned entry to the case's journal (a correction when data.corrects is set)."""
    _writer(actor, case)
    _check_at(case, data.at)
    if data.corrects is not None:
        target = session.scalars(
            select(JournalEntry).where(
                JournalEntry.id == data.corrects, JournalEntry.case_id == case.id
            )
        ).one_or_none()
        if target is None:
            raise InvalidInput("Anteckningen som rättas finns inte i ärendet.", field="corrects")
        if target.signed_at is None:
            raise InvalidInput(
                "Bara en signerad anteckning rättas; en osignerad ändras i stället.",
                field="corrects",
            )
    entry = JournalEntry(
        case_id=case.id,
        kind=data.kind,
        at=data.at,
        participants=data.participants,
        child_alone=data.child_alone,
        minutes=data.minutes,
        text=data.text,
        author=actor.username,
        corrects_id=data.corrects,
    )
    session.add(entry)
    session.flush()
    _audit(session, actor, case, "create", entry.id)
    return entry


def correct(
    session: Session, *, actor: Actor, case: Case, entry_id: int, data: JournalAdd
) -> JournalEntry:
    """Add a new entry that corrects a signed one; both stay in the journal."""
    return create(
        session, actor=actor, case=case, data=data.model_copy(update={"corrects": entry_id})
    )


def update(
    session: Session, *, actor: Actor, case: Case, entry_id: int, data: JournalEdit
) -> JournalEntry:
    """Change the given fields of the actor's own unsigned entry."""
    entry = _own_draft(session, actor, case, entry_id)
    if data.at is not None:
        _check_at(case, data.at)
    for name in type(data).model_fields:
        value = getattr(data, name)
        if value is not None:
            setattr(entry, name, value)
    session.flush()
    _audit(session, actor, case, "update", entry.id)
    return entry


def delete(session: Session, *, actor: Actor, case: Case, entry_id: int) -> None:
    """Delete the actor's own unsigned entry."""
    entry = _own_draft(session, actor, case, entry_id)
    session.delete(entry)
    session.flush()
    _audit(session, actor, case, "delete", entry_id)


def sign(session: Session, *, actor: Actor, case: Case, entry_id: int) -> JournalEntry:
    """Sign the actor's own entry, once; from then on it is never changed."""
    _writer(actor, case)
    entry = _entry(session, case, entry_id)
    if entry.signed_at is not None:
        raise EntrySigned("Anteckningen är redan signerad.")
    if entry.author != actor.username:
        raise PermissionDenied(MSG_AUTHOR)
    entry.signed_at = utcnow()
    entry.signed_by = actor.username
    session.flush()
    _audit(session, actor, case, "sign", entry.id)
    return entry


def headings(session: Session, *, actor: Actor, case: Case) -> list[tuple[int, str]]:
    """Return each entry's id and heading (number, time, kind; never its text), newest first.

    What the upload form offers to link a document to; covered by the read of the case.
    """
    cases.authorize(actor, case)
    rows = session.execute(
        select(JournalEntry.id, JournalEntry.at, JournalEntry.kind)
        .where(JournalEntry.case_id == case.id)
        .order_by(JournalEntry.at.desc(), JournalEntry.id.desc())
    )
    return [
        (entry_id, f"Nr {entry_id}, {at.astimezone(SWEDEN):%Y-%m-%d %H:%M}, {KIND_LABELS[kind]}")
        for entry_id, at, kind in rows
    ]


def get_all(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    purpose: str,
    kind: JournalKind | None = None,
) -> list[JournalEntry]:
    """Return the case's journal, newest first (optionally one kind), auditing the read."""
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till personuppgifter.")
    cases.authorize(actor, case)
    query = select(JournalEntry).where(JournalEntry.case_id == case.id)
    if kind is not None:
        query = query.where(JournalEntry.kind == kind)
    entries = list(session.scalars(query.order_by(JournalEntry.at.desc(), JournalEntry.id.desc())))
    cases.audit_case(session, actor, case, action="read", entity="journal", purpose=purpose)
    return entries
