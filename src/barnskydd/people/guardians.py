"""A child's guardians and the other adults of the household: every read and write audited.

The caller (cases.family) has found a case of the child that the actor may see; the case's id
comes along for the audit trail. Under skyddad folkbokföring and fingerade personuppgifter the
address, telephone and e-mail of a guardian who lives with the child (`shares_child_address`,
or the same address as the child's) are shown only to the staff named for the child: the
case's assigned worker and those in `child_access` (people.access). Everyone else, team leads
and administrators too, sees that they are hidden, on every path (`view`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.people import access
from barnskydd.people.codes import LANGUAGE_LABELS, RELATION_LABELS, Language, Relation
from barnskydd.people.models import Child, ChildAccess, Guardian
from barnskydd.people.rules import Identity

# Custody (vårdnad) is held by the parents or by appointed guardians (föräldrabalken 6 kap.
# 2-3 och 7-10 a §§), at most two at a time.
CUSTODIAL = frozenset(
    {Relation.MOTHER, Relation.FATHER, Relation.OTHER_GUARDIAN, Relation.APPOINTED_GUARDIAN}
)
MAX_CUSTODIANS = 2
CONTACT_FIELDS = ("phone", "email", "address", "shares_child_address")
MSG_NOT_FOUND = "Vårdnadshavaren finns inte i ärendet."
MSG_NO_CUSTODY = (
    "Bara föräldrar och särskilt förordnade vårdnadshavare kan ha vårdnaden "
    "(föräldrabalken 6 kap.)."
)
MSG_TOO_MANY = "Barnet har redan två vårdnadshavare; högst två kan ha vårdnaden."
MSG_SAME_AS_CHILD = "Vårdnadshavaren kan inte ha barnets eget personnummer."
MSG_DUPLICATE = "Personen finns redan bland barnets vårdnadshavare och hushåll."
MSG_HIDDEN = (
    "Kontaktuppgifterna är skyddade (barnets skyddade personuppgifter); "
    "bara namngiven personal kan ändra dem."
)


@dataclass(frozen=True, slots=True)
class GuardianView:
    """A guardian as the actor may see them: contact details hidden where protection says so."""

    id: int
    identity: str | None
    first_name: str
    last_name: str
    relation: Relation
    relation_label: str
    custody: bool
    phone: str | None
    email: str | None
    address: str | None
    shares_child_address: bool
    interpreter: Language | None
    interpreter_label: str | None
    contact_hidden: bool


def lives_with_child(child: Child, guardian: Guardian) -> bool:
    """Return whether the guardian shares the child's address (by flag or by the same text)."""
    if guardian.shares_child_address:
        return True
    same = " ".join((guardian.address or "").split()).casefold()
    return bool(same) and same == " ".join((child.address or "").split()).casefold()


def is_named(session: Session, actor: Actor, child: Child, *, assigned_to_id: int | None) -> bool:
    """Return whether the actor is named for the child: assigned the case, or in child_access."""
    if actor.staff_id is None:
        return False
    if actor.staff_id == assigned_to_id:
        return True
    return session.get(ChildAccess, (child.id, actor.staff_id)) is not None


def contact_hidden(
    session: Session, actor: Actor, child: Child, guardian: Guardian, *, assigned_to_id: int | None
) -> bool:
    """Return whether the guardian's address and contact details are hidden from the actor."""
    if not access.is_restricted(child.protected_identity) or not lives_with_child(child, guardian):
        return False
    return not is_named(session, actor, child, assigned_to_id=assigned_to_id)


def view(
    session: Session, actor: Actor, child: Child, guardian: Guardian, *, assigned_to_id: int | None
) -> GuardianView:
    """Return the guardian as the actor may see them (the one place that hides contacts)."""
    hidden = contact_hidden(session, actor, child, guardian, assigned_to_id=assigned_to_id)
    language = guardian.interpreter
    return GuardianView(
        id=guardian.id,
        identity=guardian.display_identity,
        first_name=guardian.first_name,
        last_name=guardian.last_name,
        relation=guardian.relation,
        relation_label=RELATION_LABELS[guardian.relation],
        custody=guardian.custody,
        phone=None if hidden else guardian.phone,
        email=None if hidden else guardian.email,
        address=None if hidden else guardian.address,
        shares_child_address=guardian.shares_child_address,
        interpreter=language,
        interpreter_label=LANGUAGE_LABELS[language] if language else None,
        contact_hidden=hidden,
    )


def get_all(
    session: Session, *, actor: Actor, child: Child, case_id: int, purpose: str
) -> list[Guardian]:
    """Return the child's guardians and household, custodians first; the read is audited."""
    guardians = list(
        session.scalars(
            select(Guardian)
            .where(Guardian.child_id == child.id)
            .order_by(Guardian.custody.desc(), Guardian.id)
        )
    )
    _audit(session, actor, child, case_id, "read", None, purpose)
    return guardians


def _own(session: Session, child: Child, guardian_id: int) -> Guardian:
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.child_id != child.id:
        raise NotFound(MSG_NOT_FOUND)
    return guardian


def _check(session: Session, child: Child, guardian: Guardian) -> None:
    """Refuse custody outside the law's holders, a third custodian, a duplicate person."""
    if guardian.custody and guardian.relation not in CUSTODIAL:
        raise InvalidInput(MSG_NO_CUSTODY, field="custody")
    if guardian.identity_number == child.identity_number:
        raise InvalidInput(MSG_SAME_AS_CHILD, field="identity")
    others = [
        g
        for g in session.scalars(select(Guardian).where(Guardian.child_id == child.id))
        if g is not guardian
    ]
    if guardian.custody and sum(g.custody for g in others) >= MAX_CUSTODIANS:
        raise InvalidInput(MSG_TOO_MANY, field="custody")
    if guardian.identity_number and any(
        g.identity_number == guardian.identity_number for g in others
    ):
        raise InvalidInput(MSG_DUPLICATE, field="identity")


def create(
    session: Session,
    *,
    actor: Actor,
    child: Child,
    case_id: int,
    identity: Identity | None,
    first_name: str,
    last_name: str,
    relation: Relation,
    custody: bool | None = None,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    shares_child_address: bool = False,
    interpreter: Language | None = None,
) -> Guardian:
    """Record a guardian or household member; custody defaults to what the relation says."""
    guardian = Guardian(
        child_id=child.id,
        identity_number=identity.number if identity else None,
        first_name=first_name,
        last_name=last_name,
        relation=relation,
        custody=relation in CUSTODIAL if custody is None else custody,
        phone=phone,
        email=email,
        address=address,
        shares_child_address=shares_child_address,
        interpreter=interpreter,
        updated_by=actor.username,
    )
    _check(session, child, guardian)
    session.add(guardian)
    session.flush()
    _audit(session, actor, child, case_id, "create", guardian.id)
    return guardian


def update(
    session: Session,
    *,
    actor: Actor,
    child: Child,
    case_id: int,
    assigned_to_id: int | None,
    guardian_id: int,
    changes: Mapping[str, object],
) -> Guardian:
    """Change the given fields of a guardian; hidden contact details stay as they are."""
    guardian = _own(session, child, guardian_id)
    hidden = contact_hidden(session, actor, child, guardian, assigned_to_id=assigned_to_id)
    touched = [name for name in CONTACT_FIELDS if name in changes]
    if hidden and touched:
        raise InvalidInput(MSG_HIDDEN, field=touched[0])
    for name, value in changes.items():
        if name == "identity":
            guardian.identity_number = value.number if isinstance(value, Identity) else None
        else:
            setattr(guardian, name, value)
    guardian.updated_by = actor.username
    _check(session, child, guardian)
    session.flush()
    _audit(session, actor, child, case_id, "update", guardian.id)
    return guardian


def delete(session: Session, *, actor: Actor, child: Child, case_id: int, guardian_id: int) -> None:
    """Remove a guardian recorded in error or no longer of the household."""
    guardian = _own(session, child, guardian_id)
    session.delete(guardian)
    session.flush()
    _audit(session, actor, child, case_id, "delete", guardian_id)


def _audit(
    session: Session,
    actor: Actor,
    child: Child,
    case_id: int,
    action: str,
    guardian_id: int | None,
    purpose: str | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="guardian",
        entity_id=guardian_id,
        child_id=child.id,
        case_id=case_id,
        purpose=purpose,
    )
