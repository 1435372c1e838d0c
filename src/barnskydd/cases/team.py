"""The team lead's view: the unit's open steps by deadline risk and the caseload per worker."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case
from barnskydd.cases.service import OPEN_DEADLINE_STATUSES, OpenItem, open_items
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import NotFound, PermissionDenied
from barnskydd.staff.models import StaffMember, Unit

DUE_SOON_DAYS = 3


class DeadlineRisk(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"


RISK_LABELS: dict[DeadlineRisk, str] = {
    DeadlineRisk.OVERDUE: "Försenad",
    DeadlineRisk.DUE_SOON: f"Inom {DUE_SOON_DAYS} dagar",
    DeadlineRisk.LATER: "Senare",
}


def risk(days_left: int) -> DeadlineRisk:
    """Classify a step by the days left to its deadline (0 is the last day, still on time)."""
    if days_left < 0:
        return DeadlineRisk.OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return DeadlineRisk.DUE_SOON
    return DeadlineRisk.LATER


@dataclass(frozen=True, slots=True)
class TeamItem:
    """An open step of the unit, its risk and who holds the case."""

    item: OpenItem
    risk: DeadlineRisk
    assigned_to_id: int | None


@dataclass(slots=True)
class Caseload:
    """One worker's open cases per status and their steps at risk."""

    staff_id: int | None
    name: str
    socionom: bool | None
    years_experience: int | None
    by_status: Counter[CaseStatus] = field(default_factory=Counter)
    risks: Counter[DeadlineRisk] = field(default_factory=Counter)

    @property
    def open_cases(self) -> int:
        """Return the number of cases that are not closed."""
        return sum(self.by_status.values())


@dataclass(frozen=True, slots=True)
class Team:
    """What the team lead's view shows for one unit, as plain data."""

    unit_id: int
    unit_name: str
    items: list[TeamItem]
    caseload: list[Caseload]
    workers: list[tuple[int, str]]

    @property
    def risks(self) -> Counter[DeadlineRisk]:
        """Return how many of the unit's open steps fall in each risk class."""
        return Counter(i.risk for i in self.items)


def units(session: Session, *, actor: Actor) -> list[Unit]:
    """Return the units whose view the actor may open: a team lead's own, every unit for admin."""
    _check_role(actor)
    query = select(Unit).order_by(Unit.name)
    if actor.role is Role.TEAM_LEAD:
        query = query.where(Unit.id == actor.unit_id)
    return list(session.scalars(query))


def get(session: Session, *, actor: Actor, unit_id: int, today: dt.date) -> Team:
    """Return the unit's open steps by urgency and its caseload per worker."""
    _check_role(actor)
    if actor.role is Role.TEAM_LEAD and unit_id != actor.unit_id:
        raise PermissionDenied("Du ser bara din egen enhets ärenden.")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Enheten finns inte.", field="unit_id")
    holders: dict[int, int | None] = dict(
        session.execute(
            select(Case.id, Case.assigned_to_id).where(
                Case.unit_id == unit_id, Case.status.in_(OPEN_DEADLINE_STATUSES)
            )
        ).all()
    )
    items = [
        TeamItem(item=i, risk=risk(i.days_left), assigned_to_id=holders.get(i.case_id))
        for i in open_items(session, actor=actor, today=today, unit_id=unit_id)
    ]
    workers = [
        m
        for m in session.scalars(
            select(StaffMember)
            .where(StaffMember.unit_id == unit_id, StaffMember.active)
            .order_by(StaffMember.display_name)
        )
        if m.role in (Role.CASE_WORKER, Role.TEAM_LEAD)
    ]
    return Team(
        unit_id=unit.id,
        unit_name=unit.name,
        items=items,
        caseload=_caseload(session, unit_id, workers, items),
        workers=[(m.id, m.display_name) for m in workers],
    )


def _check_role(actor: Actor) -> None:
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied("Bara arbetsledare och administratörer ser enhetens ärenden.")


def _caseload(
    session: Session, unit_id: int, workers: list[StaffMember], items: list[TeamItem]
) -> list[Caseload]:
    rows: dict[int | None, Caseload] = {
        m.id: Caseload(m.id, m.display_name, m.socionom, m.years_experience) for m in workers
    }
    counts = session.execute(
        select(Case.assigned_to_id, Case.status, func.count())
        .where(Case.unit_id == unit_id, Case.status != CaseStatus.CLOSED)
        .group_by(Case.assigned_to_id, Case.status)
    )
    for staff_id, status, count in counts:
        _row(session, rows, staff_id).by_status[status] += count
    for item in items:
        _row(session, rows, item.assigned_to_id).risks[item.risk] += 1
    unassigned = rows.pop(None, None)
    ordered = sorted(rows.values(), key=lambda r: r.name)
    return [*ordered, unassigned] if unassigned else ordered


def _row(session: Session, rows: dict[int | None, Caseload], staff_id: int | None) -> Caseload:
    """Return a worker's row, adding one for cases held by someone who has left the unit."""
    if staff_id not in rows:
        member = session.get(StaffMember, staff_id) if staff_id is not None else None
        rows[staff_id] = (
            Caseload(staff_id, "Ej fördelade", None, None)
            if member is None
            else Caseload(member.id, member.display_name, member.socionom, member.years_experience)
        )
    return rows[staff_id]
