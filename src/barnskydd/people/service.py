"""Create and read children's records; every read is audited with its purpose."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import ProtectedIdentity
from barnskydd.core.actor import Actor
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.people.models import Child
from barnskydd.people.rules import parse_identity

MAX_NAME = 100


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
    identity: str,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE,
    address: str | None = None,
) -> Child:
    """Register a child; refuse an identity number that is invalid or already registered."""
    parsed = parse_identity(identity)
    if session.scalar(select(Child.id).where(Child.identity_number == parsed.number)):
        raise InvalidInput("Barnet finns redan registrerat.", field="identity")
    child = Child(
        identity_number=parsed.number,
        identity_kind=str(parsed.kind),
        birth_date=parsed.birth_date,
        gender=str(parsed.gender),
        first_name=_clean_name(first_name, "first_name"),
        last_name=_clean_name(last_name, "last_name"),
        protected_identity=protected_identity,
        address=address,
    )
    session.add(child)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="child", entity_id=child.id, child_id=child.id
    )
    return child


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
    identity: str,
    first_name: str,
    last_name: str,
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE,
) -> Child:
    """Return the registered child with this identity number, or register it."""
    parsed = parse_identity(identity)
    existing = session.scalars(select(Child).where(Child.identity_number == parsed.number)).first()
    if existing is not None:
        if protected_identity is not ProtectedIdentity.NONE:
            existing.protected_identity = protected_identity
        audit.record(
            session,
            actor=actor,
            action="update",
            entity="child",
            entity_id=existing.id,
            child_id=existing.id,
            purpose="ny anmälan",
        )
        return existing
    return create(
        session,
        actor=actor,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        protected_identity=protected_identity,
    )


def set_protected_identity(
    session: Session, *, actor: Actor, child_id: int, level: ProtectedIdentity
) -> Child:
    """Change a child's protected-identity level."""
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound("Barnet finns inte.")
    child.protected_identity = level
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="child",
        entity_id=child.id,
        child_id=child.id,
        purpose="skyddad identitet",
    )
    return child
