"""Received notices in the desk: another municipality's lookup matched one of our children.

Team leads see the notices about their unit's children (a child with a case in the unit),
admins all of them; the case page shows a child's notices to whoever may see the case. A
notice names a child, so listing or opening one is an audited read, and opening it marks it
read (the first time, with who and when).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import NotFound, PermissionDenied
from barnskydd.lookup.models import LookupNotice
from barnskydd.lookup.service import municipality_label
from barnskydd.people.models import Child

MAX_LISTED = 100
PURPOSE = "avisering om riksuppslag"
MSG_ROLE = "Bara arbetsledare och administratörer ser aviseringarna om riksuppslag."


@dataclass(frozen=True, slots=True)
class NoticeView:
    """One notice as the desk shows it (plain data)."""

    id: int
    child_name: str | None
    case_number: str | None
    asking_municipality: str
    asked_by: str
    contact: str
    purpose: str
    asked_at: dt.datetime
    read_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NoticeList:
    """The newest notices the actor may see, and how many there are in all."""

    notices: list[NoticeView]
    total: int
    unread: int


def _check(actor: Actor) -> None:
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied(MSG_ROLE)


def _scoped(query: Select[tuple[LookupNotice]], actor: Actor) -> Select[tuple[LookupNotice]]:
    """Limit a query to the notices about the team lead's unit's children (admin: all)."""
    if actor.role is Role.ADMIN:
        return query
    unit_children = select(Case.child_id).where(Case.unit_id == actor.unit_id)
    return query.where(LookupNotice.child_id.in_(unit_children))


def unread_count(session: Session, *, actor: Actor) -> int:
    """Return how many notices the actor may see have not been opened (0 for other roles)."""
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        return 0
    query = _scoped(select(LookupNotice), actor).where(LookupNotice.read_at.is_(None))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _case_numbers(session: Session, actor: Actor, child_ids: Iterable[int]) -> dict[int, str]:
    """Return each child's latest case number that the actor's unit holds (admin: any)."""
    query = (
        select(Case.child_id, Case.case_number)
        .where(Case.child_id.in_(set(child_ids)))
        .order_by(Case.opened_at, Case.id)
    )
    if actor.role is not Role.ADMIN:
        query = query.where(Case.unit_id == actor.unit_id)
    return dict(session.execute(query).all())


def _view(notice: LookupNotice, child: Child | None, case_number: str | None) -> NoticeView:
    return NoticeView(
        id=notice.id,
        child_name=None if child is None else f"{child.first_name} {child.last_name}",
        case_number=case_number,
        asking_municipality=municipality_label(notice.asking_municipality),
        asked_by=notice.asked_by,
        contact=notice.contact,
        purpose=notice.purpose,
        asked_at=notice.asked_at,
        read_at=notice.read_at,
    )


def _audit(session: Session, actor: Actor, notice: LookupNotice) -> None:
    audit.record(
        session,
        actor=actor,
        action="read",
        entity="lookup_notice",
        entity_id=notice.id,
        child_id=notice.child_id,
        purpose=PURPOSE,
    )


def _with_children(
    session: Session, query: Select[tuple[LookupNotice]]
) -> list[tuple[LookupNotice, Child | None]]:
    rows = session.execute(
        query.add_columns(Child).outerjoin(Child, Child.id == LookupNotice.child_id)
    )
    return [(notice, child) for notice, child in rows]


def list_notices(session: Session, *, actor: Actor) -> NoticeList:
    """Return the newest notices the actor may see; each one listed is an audited read."""
    _check(actor)
    query = _scoped(select(LookupNotice), actor)
    rows = _with_children(
        session,
        query.order_by(LookupNotice.asked_at.desc(), LookupNotice.id.desc()).limit(MAX_LISTED),
    )
    numbers = _case_numbers(session, actor, (n.child_id for n, _ in rows if n.child_id))
    for notice, _ in rows:
        _audit(session, actor, notice)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return NoticeList(
        notices=[_view(n, c, numbers.get(n.child_id or 0)) for n, c in rows],
        total=total,
        unread=unread_count(session, actor=actor),
    )


def open_notice(session: Session, *, actor: Actor, notice_id: int) -> NoticeView:
    """Return one notice (an audited read) and mark it read the first time it is opened."""
    _check(actor)
    found = _with_children(
        session, _scoped(select(LookupNotice), actor).where(LookupNotice.id == notice_id)
    )
    if not found:
        raise NotFound("Aviseringen finns inte.")
    [(notice, child)] = found
    _audit(session, actor, notice)
    if notice.read_at is None:
        notice.read_at, notice.read_by_id = utcnow(), actor.staff_id
        session.flush()
    numbers = _case_numbers(session, actor, [notice.child_id] if notice.child_id else [])
    return _view(notice, child, numbers.get(notice.child_id or 0))


def for_child(session: Session, *, child_id: int) -> list[NoticeView]:
    """Return a child's notices, newest first, for a page whose read is already audited."""
    query = (
        select(LookupNotice)
        .where(LookupNotice.child_id == child_id)
        .order_by(LookupNotice.asked_at.desc(), LookupNotice.id.desc())
    )
    return [_view(n, None, None) for n in session.scalars(query)]
