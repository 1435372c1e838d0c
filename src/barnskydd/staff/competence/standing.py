"""A worker's standing for the chain's qualification check, read from the competence records.

Imported by the chain's checks, so it imports nothing of the cases package.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Actor, Role
from barnskydd.staff.competence.models import CoSigner, Introduction, StaffCompetence
from barnskydd.staff.competence.rules import Standing, independent
from barnskydd.staff.models import StaffMember


def _independent(session: Session, staff_id: int, record: StaffCompetence, on: dt.date) -> bool:
    enrolled = session.get(Introduction, staff_id) is not None
    return independent(introduction=enrolled, independent_from=record.independent_from, on=on)


def _may_co_sign(session: Session, member: StaffMember, on: dt.date) -> bool:
    record = session.get(StaffCompetence, member.id)
    if record is None or not member.active:
        return False
    standing = Standing(
        member.username, record.degree, _independent(session, member.id, record, on)
    )
    return standing.qualified and standing.independent


def co_signers(session: Session, staff_id: int, on: dt.date) -> frozenset[str]:
    """Return who may co-sign for a worker: named co-signers, the mentor, the unit's team leads,
    each qualified and independent on the day."""
    worker = session.get(StaffMember, staff_id)
    if worker is None:
        return frozenset()
    ids = set(session.scalars(select(CoSigner.co_signer_id).where(CoSigner.staff_id == staff_id)))
    introduction = session.get(Introduction, staff_id)
    if introduction is not None and introduction.mentor_id is not None:
        ids.add(introduction.mentor_id)
    if worker.unit_id is not None:
        ids.update(
            session.scalars(
                select(StaffMember.id).where(
                    StaffMember.unit_id == worker.unit_id, StaffMember.role == Role.TEAM_LEAD
                )
            )
        )
    ids.discard(staff_id)
    members = session.scalars(select(StaffMember).where(StaffMember.id.in_(ids))).all()
    return frozenset(m.username for m in members if _may_co_sign(session, m, on))


def standing(
    session: Session, actor: Actor, on: dt.date, *, co_signed_by: str | None
) -> Standing | None:
    """Return the actor's standing on a day; None for a system job, which is not checked."""
    if actor.role is Role.SYSTEM:
        return None
    record = session.get(StaffCompetence, actor.staff_id) if actor.staff_id else None
    if record is None or actor.staff_id is None:
        return Standing(actor.username, None, independent=True)
    works_alone = _independent(session, actor.staff_id, record, on)
    signers = (
        co_signers(session, actor.staff_id, on)
        if co_signed_by is not None or not works_alone
        else frozenset()
    )
    return Standing(actor.username, record.degree, works_alone, signers)
