"""Create and read children's records; every read is audited with its purpose.

A child's protected-identity level (people.codes, least to most: none, sekretessmarkering,
skyddad folkbokföring, fingerade personuppgifter) is raised by any registration that names a
higher one and is never lowered by one: lowering, or any other change, is a team lead's or
an administrator's decision (set_protected_identity), audited with who, when and why.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.people.codes import (
    CHANGE_LABELS,
    PROTECTED_LABELS,
    ProtectedIdentity,
    ProtectionChange,
    strongest,
)
from barnskydd.people.models import Child
from barnskydd.people.rules import Identity, parse_identity

# Built once: a registration (and every imported report) looks its child up by number.
_BY_NUMBER = select(Child).where(Child.identity_number == bindparam("number"))

MAX_NAME = 100
DECIDES_PROTECTION = (Role.TEAM_LEAD, Role.ADMIN)
MSG_WHO_DECIDES = "Bara arbetsledare och administratörer ändrar skyddad identitet."
MSG_SAME_LEVEL = "Barnet har redan den nivån av skyddad identitet."


def _clean_name(value: str, field: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("Namnet får inte vara tomt.", field=field)
    if len(name) > MAX_NAME:
        raise InvalidInput(f"Namnet får vara högst {MAX_NAME} tecken.", field=field)
    return name


def create(
    session: Session,
    *,
    actor: Actor,
    identity: Identity,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE,
    address: str | None = None,
) -> Child:
    """Register a child; refuse an identity number that is already registered."""
    if session.scalar(select(Child.id).where(Child.identity_number == identity.number)):
        raise InvalidInput("Barnet finns redan registrerat.", field="identity")
    return _insert(
        session,
        actor=actor,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        protected_identity=protected_identity,
        address=address,
    )


def _insert(
    session: Session,
    *,
    actor: Actor,
    identity: Identity,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity,
    address: str | None = None,
) -> Child:
    child = new_child(identity, first_name, last_name, protected_identity, address)
    session.add(child)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="child", entity_id=child.id, child_id=child.id
    )
    return child


def new_child(
    identity: Identity,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE,
    address: str | None = None,
) -> Child:
    """Return a new child's row, not yet added: the identity's facts and the cleaned names."""
    return Child(
        identity_number=identity.number,
        identity_kind=str(identity.kind),
        birth_date=identity.birth_date,
        gender=str(identity.gender),
        first_name=_clean_name(first_name, "first_name"),
        last_name=_clean_name(last_name, "last_name"),
        protected_identity=protected_identity,
        address=address,
    )


def get(session: Session, *, actor: Actor, child_id: int, purpose: str) -> Child:
    """Return a child by internal id, auditing the read."""
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound("Barnet finns inte.")
    audit.record(
        session,
        actor=actor,
        action="read",
        entity="child",
        entity_id=child.id,
        child_id=child.id,
        purpose=purpose,
    )
    return child


def find_by_identity(
    session: Session, *, actor: Actor, identity: str, purpose: str
) -> Child | None:
    """Look a child up by identity number; the search is audited whether or not it matches."""
    parsed = parse_identity(identity)
    child = session.scalars(select(Child).where(Child.identity_number == parsed.number)).first()
    audit.record(
        session,
        actor=actor,
        action="search",
        entity="child",
        entity_id=child.id if child else None,
        child_id=child.id if child else None,
        purpose=purpose,
    )
    return child


def get_or_create(
    session: Session,
    *,
    actor: Actor,
    identity: Identity,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE,
) -> Child:
    """Return the registered child with this identity number, or register it.

    A registered child keeps the stronger of its level and the one given: a new report may
    raise a child's protection, never lower it (that takes set_protected_identity).
    """
    existing = session.scalars(_BY_NUMBER, {"number": identity.number}).first()
    if existing is None:
        return _insert(
            session,
            actor=actor,
            identity=identity,
            first_name=first_name,
            last_name=last_name,
            protected_identity=protected_identity,
        )
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="child",
        entity_id=existing.id,
        child_id=existing.id,
        purpose="ny anmälan",
    )
    raised = strongest(existing.protected_identity, protected_identity)
    if raised is not existing.protected_identity:
        _change_level(session, actor, existing, raised, "höjd vid ny anmälan", case_id=None)
    return existing


def set_protected_identity(
    session: Session,
    *,
    actor: Actor,
    child: Child,
    level: ProtectedIdentity,
    reason: ProtectionChange,
    case_id: int | None = None,
) -> Child:
    """Change a child's protected-identity level by decision, up or down, with its reason.

    Team leads and administrators decide. The caller has checked that the actor may see the
    child (cases.service.change_protection: the team lead's unit holds the case).
    """
    if actor.role not in DECIDES_PROTECTION:
        raise PermissionDenied(MSG_WHO_DECIDES)
    if level is child.protected_identity:
        raise InvalidInput(MSG_SAME_LEVEL, field="level")
    _change_level(session, actor, child, level, CHANGE_LABELS[reason], case_id=case_id)
    return child


def _change_level(
    session: Session,
    actor: Actor,
    child: Child,
    level: ProtectedIdentity,
    why: str,
    *,
    case_id: int | None,
) -> None:
    """Set the level and audit who, when (the entry's time), from what to what, and why."""
    before = child.protected_identity
    child.protected_identity = level
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="protected_identity",
        entity_id=child.id,
        child_id=child.id,
        case_id=case_id,
        purpose=f"{why}: {PROTECTED_LABELS[before]} till {PROTECTED_LABELS[level]}",
    )
