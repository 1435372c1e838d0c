"""Protected identity: the named staff who may see a child's cases, and hidden addresses.

Skyddad folkbokföring and fingerade personuppgifter hide the child's address everywhere and
limit the child's cases to named staff: the unit's team lead and admin (who name them), the
case worker a case is assigned to, and the case workers named in `child_access`.
Sekretessmarkering only shows a warning; it restricts nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import ProtectedIdentity
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import Base, utcnow
from barnskydd.core.errors import CaseNotFound, InvalidInput, PermissionDenied
from barnskydd.people.models import Child
from barnskydd.staff.models import StaffMember

RESTRICTED = frozenset(
    {ProtectedIdentity.PROTECTED_REGISTRATION, ProtectedIdentity.FICTITIOUS_IDENTITY}
)
MSG_NOT_NAMED = "Barnet har skyddade personuppgifter. Bara namngiven personal har åtkomst."


class ChildAccess(Base):
    """A staff member named to see the cases of a child with protected identity."""

    __tablename__ = "child_access"

    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    granted_by: Mapped[str] = mapped_column(
        String(60), comment="username of the team lead or admin who named them"
    )
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


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


def _named(session: Session, actor: Actor, case_id: int, staff_id: int) -> tuple[Case, int]:
    """Check who may name whom for a case's child; return the case and the staff id."""
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied("Bara arbetsledare och administratörer ger åtkomst.")
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound
    if actor.role is Role.TEAM_LEAD and actor.unit_id != case.unit_id:
        raise PermissionDenied("Ärendet tillhör en annan enhet.")
    if not is_restricted(case.child.protected_identity):
        raise InvalidInput(
            "Barnet har inte skyddad folkbokföring eller fingerade personuppgifter; "
            "enheten har redan åtkomst.",
            field="staff_id",
        )
    member = session.get(StaffMember, staff_id)
    if member is None or not member.active or member.unit_id != case.unit_id:
        raise InvalidInput("Välj en handläggare i ärendets enhet.", field="staff_id")
    return case, member.id


def grant(session: Session, *, actor: Actor, case_id: int, staff_id: int) -> ChildAccess:
    """Name a staff member of the case's unit for its child (protected identity only)."""
    case, staff_id = _named(session, actor, case_id, staff_id)
    if session.get(ChildAccess, (case.child_id, staff_id)) is not None:
        raise InvalidInput("Personen har redan åtkomst.", field="staff_id")
    entry = ChildAccess(child_id=case.child_id, staff_id=staff_id, granted_by=actor.username)
    session.add(entry)
    session.flush()
    _audit(session, actor, case, "grant", staff_id)
    return entry


def revoke(session: Session, *, actor: Actor, case_id: int, staff_id: int) -> None:
    """Take a named staff member's access to the case's child away."""
    case, staff_id = _named(session, actor, case_id, staff_id)
    entry = session.get(ChildAccess, (case.child_id, staff_id))
    if entry is None:
        raise InvalidInput("Personen har ingen namngiven åtkomst.", field="staff_id")
    session.delete(entry)
    session.flush()
    _audit(session, actor, case, "revoke", staff_id)


def _audit(session: Session, actor: Actor, case: Case, action: str, staff_id: int) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="child_access",
        entity_id=staff_id,
        child_id=case.child_id,
        case_id=case.id,
        purpose="skyddad identitet",
    )
