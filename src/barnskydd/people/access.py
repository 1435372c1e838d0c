"""Protected identity: the named staff who may see a child's cases, and hidden addresses.

Skyddad folkbokföring and fingerade personuppgifter hide the child's address everywhere and
limit the child's cases to named staff: the unit's team lead and admin (who name them), the
case worker a case is assigned to, and the case workers named in `child_access`.
Sekretessmarkering only shows a warning; it restricts nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child, ChildAccess
from barnskydd.staff.models import StaffMember

RESTRICTED = frozenset(
    {ProtectedIdentity.PROTECTED_REGISTRATION, ProtectedIdentity.FICTITIOUS_IDENTITY}
)
MSG_NOT_NAMED = "Barnet har skyddade personuppgifter. Bara namngiven personal har åtkomst."


def is_restricted(level: ProtectedIdentity) -> bool:
    """Return whether a protected-identity level limits the child's cases to named staff."""
    return level in RESTRICTED


def visible_address(child: Child) -> str | None:
    """Return the child's address, or None when protected identity hides it."""
    return None if is_restricted(child.protected_identity) else child.address


def may_see(actor: Actor, child: Child, *, assigned_to_id: int | None) -> bool:
    """Return whether the protected-identity rule lets an actor see one of the child's cases.

    Only case workers are limited; role and unit are checked before (cases.service.authorize).
    """
    if actor.role is not Role.CASE_WORKER or not is_restricted(child.protected_identity):
        return True
    if actor.staff_id is None:
        return False
    if actor.staff_id == assigned_to_id:
        return True
    session = object_session(child)
    if session is None:
        return False
    return session.get(ChildAccess, (child.id, actor.staff_id)) is not None


def get_all(session: Session, *, child_id: int) -> list[StaffMember]:
    """Return the staff named for a child, by name."""
    query = (
        select(StaffMember)
        .join(ChildAccess, ChildAccess.staff_id == StaffMember.id)
        .where(ChildAccess.child_id == child_id)
        .order_by(StaffMember.display_name)
    )
    return list(session.scalars(query))


def _named(session: Session, actor: Actor, child: Child, unit_id: int, staff_id: int) -> int:
    """Check who may name whom for a child in a unit's case; return the staff id."""
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied("Bara arbetsledare och administratörer ger åtkomst.")
    if actor.role is Role.TEAM_LEAD and actor.unit_id != unit_id:
        raise PermissionDenied("Ärendet tillhör en annan enhet.")
    if not is_restricted(child.protected_identity):
        raise InvalidInput(
            "Barnet har inte skyddad folkbokföring eller fingerade personuppgifter; "
            "enheten har redan åtkomst.",
            field="staff_id",
        )
    member = session.get(StaffMember, staff_id)
    if member is None or not member.active or member.unit_id != unit_id:
        raise InvalidInput("Välj en handläggare i ärendets enhet.", field="staff_id")
    return member.id


def grant(
    session: Session, *, actor: Actor, child: Child, unit_id: int, case_id: int, staff_id: int
) -> ChildAccess:
    """Name a staff member of the unit that holds the child's case (protected identity only).

    The caller has found the case (cases.service.grant_access); its unit and id come along.
    """
    staff_id = _named(session, actor, child, unit_id, staff_id)
    if session.get(ChildAccess, (child.id, staff_id)) is not None:
        raise InvalidInput("Personen har redan åtkomst.", field="staff_id")
    entry = ChildAccess(child_id=child.id, staff_id=staff_id, granted_by=actor.username)
    session.add(entry)
    session.flush()
    _audit(session, actor, child.id, case_id, "grant", staff_id)
    return entry


def revoke(
    session: Session, *, actor: Actor, child: Child, unit_id: int, case_id: int, staff_id: int
) -> None:
    """Take a named staff member's access to the child away."""
    staff_id = _named(session, actor, child, unit_id, staff_id)
    entry = session.get(ChildAccess, (child.id, staff_id))
    if entry is None:
        raise InvalidInput("Personen har ingen namngiven åtkomst.", field="staff_id")
    session.delete(entry)
    session.flush()
    _audit(session, actor, child.id, case_id, "revoke", staff_id)


def _audit(
    session: Session, actor: Actor, child_id: int, case_id: int, action: str, staff_id: int
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="child_access",
        entity_id=staff_id,
        child_id=child_id,
        case_id=case_id,
        purpose="skyddad identitet",
    )
