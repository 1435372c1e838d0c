"""Register extract requests, collect what is held about a person, review it, produce it.

Only team leads and administrators do extracts; any other role is refused before anything is
looked up, and the refusal is audited. A team lead works with the requests of their own unit
and with persons whose cases are all in it (a person with cases in other units is for an
administrator). Every collection is a read of the person's data and is audited with its
purpose; the review stores item keys and grounds, never content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.bounds import INT32_MAX
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.documents import service as documents
from barnskydd.documents.models import Document
from barnskydd.extract import collect as collection
from barnskydd.extract import rules
from barnskydd.extract.codes import Ground, Requester
from barnskydd.extract.models import ExtractDecision, ExtractRequest
from barnskydd.extract.rules import Item
from barnskydd.people.rules import Identity

ROLES = (Role.TEAM_LEAD, Role.ADMIN)
ENTITY = "person_extract"
MSG_ROLE = "Bara arbetsledare och administratörer gör registerutdrag."
MSG_OTHER_UNIT = "Personen har ärenden i en annan enhet; registerutdraget görs av en administratör."
MSG_NOT_FOUND = "Begäran om registerutdrag finns inte."
MSG_CUSTODY = "Kontrollera att vårdnadshavaren har vårdnaden om barnet innan begäran registreras."
MSG_FUTURE = "Datumet för när begäran kom in kan inte ligga i framtiden."
MSG_UNDECIDED = "{n} uppgifter är inte granskade än; granska alla innan utdraget tas fram."
MSG_UNKNOWN_ITEM = "Uppgiften finns inte i utdraget."
MSG_EXTENDED = "Tidsfristen är redan förlängd en gång (artikel 12.3 dataskyddsförordningen)."
MSG_PRODUCED = "Utdraget är redan framtaget; tidsfristen kan inte förlängas."
MSG_NO_REASON = "Ange skälen till förseningen; de ska meddelas den enskilde (artikel 12.3)."
MSG_TOLD_BEFORE = "Den enskilde kan inte ha underrättats före begäran kom in ({day})."
MSG_TOLD_FUTURE = "Dagen då den enskilde underrättades kan inte ligga i framtiden."
MSG_TOLD_LATE = (
    "Den enskilde ska underrättas om förlängningen inom en månad från begäran, senast {day} "
    "(artikel 12.3 dataskyddsförordningen)."
)
MAX_REASON = 2000
MSG_HTML = "Skälen får inte innehålla HTML-taggar (som <b> eller </p>). Skriv vanlig text."
DOCUMENT_KIND = "document"  # extract.collect's kind of a document's item


@dataclass(frozen=True, slots=True)
class Copy:
    """A copy of one released document's file, attached to the extract (GDPR art. 15.3)."""

    document_id: int
    title: str
    filename: str
    media_type: str
    uploaded_at: dt.datetime
    content: bytes


@dataclass(frozen=True, slots=True)
class Extract:
    """What is held about one person, with the review's decisions (a request's, or none)."""

    number: str
    name: str | None
    items: list[Item]
    decided: Mapping[str, Ground | None]
    request: ExtractRequest | None
    copies: tuple[Copy, ...] = ()

    def ground(self, item: Item) -> Ground | None:
        """Return the ground an item is withheld under (the decision, else the proposal)."""
        return self.decided.get(item.key, item.proposed)

    @property
    def released(self) -> list[Item]:
        """Return the items released (decided so, or proposed so and not yet decided)."""
        return [i for i in self.items if self.ground(i) is None]

    @property
    def withheld(self) -> list[Item]:
        """Return the items withheld."""
        return [i for i in self.items if self.ground(i) is not None]

    @property
    def undecided(self) -> list[Item]:
        """Return the items the review has not decided."""
        return rules.undecided(self.items, self.decided)


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A request not yet answered, with its deadline (what the inbox lists)."""

    id: int
    received_on: dt.date
    due: dt.date
    days_left: int
    extended: bool = False

    @property
    def overdue(self) -> bool:
        """Return whether the deadline (extended or not) has passed."""
        return self.days_left < 0


def authorize(session: Session, *, actor: Actor, purpose: str | None = None) -> None:
    """Refuse any role but team lead and admin, auditing the refusal."""
    if actor.role in ROLES:
        return
    audit.record(session, actor=actor, action="refused", entity=ENTITY, purpose=purpose)
    raise PermissionDenied(MSG_ROLE)


def create(
    session: Session,
    *,
    actor: Actor,
    identity: Identity,
    received_on: dt.date,
    requester: Requester,
    custody_checked: bool = False,
    today: dt.date,
) -> ExtractRequest:
    """Register a request and its deadline (GDPR art. 12.3, one month)."""
    authorize(session, actor=actor)
    if received_on > today:
        raise InvalidInput(MSG_FUTURE, field="received_on")
    if requester is Requester.GUARDIAN and not custody_checked:
        raise InvalidInput(MSG_CUSTODY, field="custody_checked")
    request = ExtractRequest(
        identity_number=identity.number,
        requester=requester,
        custody_checked=custody_checked,
        received_on=received_on,
        due=rules.due(received_on),
        unit_id=actor.unit_id if actor.role is Role.TEAM_LEAD else None,
        registered_by=actor.username,
    )
    session.add(request)
    session.flush()
    audit.record(session, actor=actor, action="create", entity=ENTITY, entity_id=request.id)
    return request


def get(session: Session, *, actor: Actor, request_id: int) -> ExtractRequest:
    """Return a request the actor may work with, else NotFound (another unit's too)."""
    authorize(session, actor=actor)
    request = session.get(ExtractRequest, request_id) if 1 <= request_id <= INT32_MAX else None
    if request is None or (actor.role is Role.TEAM_LEAD and request.unit_id != actor.unit_id):
        raise NotFound(MSG_NOT_FOUND)
    return request


def get_all(session: Session, *, actor: Actor, today: dt.date) -> list[OpenRequest]:
    """Return the requests not yet answered, the most urgent first (team lead: the unit's)."""
    if actor.role not in ROLES:
        return []
    query = select(ExtractRequest).where(ExtractRequest.produced_at.is_(None))
    if actor.role is Role.TEAM_LEAD:
        query = query.where(ExtractRequest.unit_id == actor.unit_id)
    found = session.scalars(query.order_by(ExtractRequest.id))
    return sorted(
        (
            OpenRequest(
                id=r.id,
                received_on=r.received_on,
                due=r.deadline,
                days_left=(r.deadline - today).days,
                extended=r.extended_due is not None,
            )
            for r in found
        ),
        key=lambda r: (r.due, r.id),
    )


def extend(
    session: Session,
    *,
    actor: Actor,
    request_id: int,
    reason: str,
    told_on: dt.date,
    today: dt.date,
) -> ExtractRequest:
    """Extend a request's deadline by two further months, once (GDPR art. 12.3).

    The reason is what the person was told; the day they were told must be within the first
    month (the regulation's own condition), not before the request and not in the future.
    """
    request = get(session, actor=actor, request_id=request_id)
    if request.produced_at is not None:
        raise ForbiddenTransition(MSG_PRODUCED)
    if request.extended_due is not None:
        raise ForbiddenTransition(MSG_EXTENDED)
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(MSG_NO_REASON, field="reason")
    if "<" in reason and ">" in reason:
        raise InvalidInput(MSG_HTML, field="reason")
    if told_on < request.received_on:
        raise InvalidInput(
            MSG_TOLD_BEFORE.format(day=request.received_on.isoformat()), field="told_on"
        )
    if told_on > today:
        raise InvalidInput(MSG_TOLD_FUTURE, field="told_on")
    if told_on > request.due:
        raise InvalidInput(MSG_TOLD_LATE.format(day=request.due.isoformat()), field="told_on")
    request.extended_due = rules.extended_due(request.received_on)
    request.extension_reason = reason
    request.extension_told_on = told_on
    request.extended_by = actor.username
    session.flush()
    audit.record(session, actor=actor, action="update", entity=ENTITY, entity_id=request.id)
    return request


def collect(
    session: Session,
    *,
    actor: Actor,
    number: str,
    purpose: str,
    request: ExtractRequest | None = None,
) -> Extract:
    """Collect every item held about the person with the identity number; audit the read."""
    authorize(session, actor=actor, purpose=purpose)
    subject = collection.subject_of(session, actor=actor, number=number)
    child_id = subject.child.id if subject.child else None
    if actor.role is Role.TEAM_LEAD and _units(session, subject) - {actor.unit_id}:
        audit.record(
            session,
            actor=actor,
            action="refused",
            entity=ENTITY,
            child_id=child_id,
            purpose=purpose,
        )
        raise PermissionDenied(MSG_OTHER_UNIT)
    audit.record(
        session,
        actor=actor,
        action="read",
        entity=ENTITY,
        entity_id=request.id if request else None,
        child_id=child_id,
        purpose=purpose,
    )
    for row in subject.guardian_rows:  # a guardian's own rows: in their child's trail too
        audit.record(
            session,
            actor=actor,
            action="read",
            entity="guardian",
            entity_id=row.id,
            child_id=row.child_id,
            purpose=purpose,
        )
    audit.append_pending(session)  # the trail's entries so far, this read's too, are items
    items = collection.collect(session, subject)
    decided = {d.item_key: d.ground for d in request.decisions} if request else {}
    child = subject.child
    if child is not None:
        name: str | None = f"{child.first_name} {child.last_name}"
    elif subject.guardian_rows:
        name = f"{subject.guardian_rows[0].first_name} {subject.guardian_rows[0].last_name}"
    else:
        name = None
    return Extract(number=number, name=name, items=items, decided=decided, request=request)


def _units(session: Session, subject: collection.Subject) -> set[int | None]:
    """Return the units of the person's cases and of the cases they are a guardian in."""
    units: set[int | None] = {c.unit_id for c in subject.cases}
    children = {row.child_id for row in subject.guardian_rows}
    if children:
        query = select(Case.unit_id).where(Case.child_id.in_(children))
        units |= set(session.scalars(query))
    return units


def collect_for(session: Session, *, actor: Actor, request_id: int, purpose: str) -> Extract:
    """Collect the items of a request's person, with the request's review."""
    request = get(session, actor=actor, request_id=request_id)
    return collect(
        session, actor=actor, number=request.identity_number, purpose=purpose, request=request
    )


def decide(
    session: Session,
    *,
    actor: Actor,
    request_id: int,
    decisions: Mapping[str, Ground | None],
    purpose: str,
) -> Extract:
    """Record the review of items (None: release); every key must be an item of the extract."""
    extract = collect_for(session, actor=actor, request_id=request_id, purpose=purpose)
    request = extract.request
    assert request is not None
    keys = {item.key for item in extract.items}
    unknown = sorted(set(decisions) - keys)
    if unknown:
        raise InvalidInput(MSG_UNKNOWN_ITEM, field=unknown[0])
    current = {d.item_key: d for d in request.decisions}
    for key, ground in decisions.items():
        row = current.get(key)
        if row is None:
            request.decisions.append(
                ExtractDecision(item_key=key, ground=ground, decided_by=actor.username)
            )
        elif row.ground != ground:
            row.ground, row.decided_by, row.decided_at = ground, actor.username, utcnow()
    session.flush()
    audit.record(session, actor=actor, action="review", entity=ENTITY, entity_id=request.id)
    return collect_for(session, actor=actor, request_id=request_id, purpose=purpose)


def produce(session: Session, *, actor: Actor, request_id: int, purpose: str) -> Extract:
    """Return the reviewed extract to lay out, and record that it was produced.

    Refused while any item is undecided: a new journal entry since the review must be
    reviewed too.
    """
    extract = collect_for(session, actor=actor, request_id=request_id, purpose=purpose)
    if extract.undecided:
        raise InvalidInput(MSG_UNDECIDED.format(n=len(extract.undecided)), field="decisions")
    request = extract.request
    assert request is not None
    request.produced_at, request.produced_by = utcnow(), actor.username
    session.flush()
    audit.record(session, actor=actor, action="produce", entity=ENTITY, entity_id=request.id)
    return replace(extract, copies=_copies(session, actor, extract, purpose))


def _copies(session: Session, actor: Actor, extract: Extract, purpose: str) -> tuple[Copy, ...]:
    """Read the file of every released document, each read audited as a download is."""
    copies = []
    for item in extract.released:
        if item.kind != DOCUMENT_KIND:
            continue
        document_id = int(item.key.split(":")[1])
        case_id = session.scalar(select(Document.case_id).where(Document.id == document_id))
        assert case_id is not None  # collected a moment ago
        case = cases.load(session, case_id, whole_chain=False)
        document = documents.get(
            session, actor=actor, case=case, document_id=document_id, purpose=purpose
        )
        copies.append(
            Copy(
                document_id=document.id,
                title=document.title,
                filename=document.filename,
                media_type=document.media_type,
                uploaded_at=document.uploaded_at,
                content=document.content,
            )
        )
    return tuple(copies)
