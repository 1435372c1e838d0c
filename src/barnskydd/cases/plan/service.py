"""Write and read a case's investigation plan: the one path for the desk, API, CLI and generator.

The edge loads the case with its audited read (cases.service.get_by_number); each function
here checks the actor again. The plan belongs to the investigation: it is changed only while
the investigation is open (refused as a move the chain does not allow: 409, exit 2), and is
read with the investigation's deadline. Refusals raise before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.journal.service import WRITERS
from barnskydd.cases.models import Case
from barnskydd.cases.plan.inputs import PlanAdd, PlanEdit
from barnskydd.cases.plan.models import ContactParty, PlanItem, PlanItemKind
from barnskydd.core.actor import Actor
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied

ENTITY = "plan_item"
MSG_WRITERS = "Utredningsplanen skrivs av handläggare, arbetsledare och administratörer."
MSG_CLOSED = "Utredningsplanen kan bara ändras medan utredningen pågår."
MSG_NO_INVESTIGATION = "Ärendet har ingen utredning ännu; planen skrivs när utredningen inleds."
# The fields each kind of item has; the others are left empty whatever the form sent.
KIND_FIELDS = {
    PlanItemKind.QUESTION: (),
    PlanItemKind.CONTACT: ("party", "consent", "planned_on"),
    PlanItemKind.CHILD_TALK: ("planned_on", "child_alone"),
}


class ItemNotFound(NotFound):
    """No plan item with this id in this case (another case's item is answered the same way)."""

    MESSAGE = "Punkten finns inte i ärendets utredningsplan."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


@dataclass(frozen=True, slots=True)
class Plan:
    """A case's plan as it is read: the investigation's dates and the items."""

    started_on: dt.date | None
    due: dt.date | None
    open: bool
    items: list[PlanItem]


def _open(actor: Actor, case: Case) -> dt.date:
    """Refuse a writer who may not, or a case whose investigation is not open; its start."""
    if actor.role not in WRITERS:
        raise PermissionDenied(MSG_WRITERS)
    cases.authorize(actor, case)
    investigation = case.investigation
    if investigation is None:
        raise ForbiddenTransition(MSG_NO_INVESTIGATION)
    if investigation.completed_on is not None:
        raise ForbiddenTransition(MSG_CLOSED)
    return investigation.started_on


def _check(item: PlanItem, started_on: dt.date) -> None:
    """Refuse what the item's kind needs and lacks; empty what its kind does not have."""
    for name in ("party", "consent", "planned_on", "child_alone"):
        if name not in KIND_FIELDS[item.kind]:
            setattr(item, name, None)
    if item.planned_on is not None and item.planned_on < started_on:
        raise InvalidInput(
            f"Datumet kan inte ligga före utredningens start ({started_on.isoformat()}).",
            field="planned_on",
        )
    if item.kind is PlanItemKind.CHILD_TALK:
        if item.planned_on is None:
            raise InvalidInput("Ange när samtalet med barnet planeras.", field="planned_on")
        if item.child_alone is None:
            raise InvalidInput("Ange om barnet ska talas med ensamt.", field="child_alone")
    if item.kind is PlanItemKind.CONTACT:
        if item.party is None:
            raise InvalidInput(
                "Ange om kontakten gäller en myndighet eller en privatperson.", field="party"
            )
        if item.party is ContactParty.PRIVATE and item.consent is None:
            raise InvalidInput(
                "Ange om vårdnadshavarna har samtyckt till kontakten med en privatperson "
                "(sekretess, OSL 26 kap. 1 § och 12 kap. 2 §).",
                field="consent",
            )


def _item(session: Session, case: Case, item_id: int) -> PlanItem:
    item = session.scalars(
        select(PlanItem).where(PlanItem.id == item_id, PlanItem.case_id == case.id)
    ).one_or_none()
    if item is None:
        raise ItemNotFound
    return item


def add(session: Session, *, actor: Actor, case: Case, data: PlanAdd) -> PlanItem:
    """Add an item to the plan of the case's open investigation."""
    started_on = _open(actor, case)
    item = PlanItem(case_id=case.id, author=actor.username, **data.model_dump())
    _check(item, started_on)
    session.add(item)
    session.flush()
    cases.audit_case(session, actor, case, action="create", entity=ENTITY, entity_id=item.id)
    return item


def update(session: Session, *, actor: Actor, case: Case, item_id: int, data: PlanEdit) -> PlanItem:
    """Change the given fields of a plan item while the investigation is open."""
    started_on = _open(actor, case)
    item = _item(session, case, item_id)
    changes = {name: value for name, value in data if value is not None}
    before = {name: getattr(item, name) for name in changes}
    for name, value in changes.items():
        setattr(item, name, value)
    try:
        _check(item, started_on)
    except InvalidInput:
        for name, value in before.items():
            setattr(item, name, value)  # nothing half-written in the session either
        raise
    session.flush()
    cases.audit_case(session, actor, case, action="update", entity=ENTITY, entity_id=item.id)
    return item


def remove(session: Session, *, actor: Actor, case: Case, item_id: int) -> None:
    """Remove a plan item while the investigation is open."""
    _open(actor, case)
    session.delete(_item(session, case, item_id))
    session.flush()
    cases.audit_case(session, actor, case, action="delete", entity=ENTITY, entity_id=item_id)


def get(session: Session, *, actor: Actor, case: Case, purpose: str) -> Plan:
    """Return the case's plan with the investigation's deadline, auditing the read."""
    cases.authorize(actor, case)
    items = list(
        session.scalars(
            select(PlanItem)
            .where(PlanItem.case_id == case.id)
            .order_by(PlanItem.kind, PlanItem.planned_on, PlanItem.id)
        )
    )
    cases.audit_case(session, actor, case, action="read", entity="plan", purpose=purpose)
    investigation = case.investigation
    return Plan(
        started_on=investigation.started_on if investigation else None,
        due=investigation.due if investigation else None,
        open=investigation is not None and investigation.completed_on is None,
        items=items,
    )
