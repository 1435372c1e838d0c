"""The team lead's workload view, the worker's own load rating, and the alerts.

Per worker only for the unit's team lead (or an administrator), sorted by name, never ranked,
never exported per person. Nothing is sent anywhere: the alerts are shown on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.team import DUE_SOON_DAYS
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.staff.models import StaffMember, Unit
from barnskydd.workload import points as pts
from barnskydd.workload.model import Model
from barnskydd.workload.reading import unit_facts
from barnskydd.workload.records import MAX_RATING, MIN_RATING, LoadRating

TREND_MONTHS = 6
MSG_TEAM_ONLY = "Bara arbetsledare och administratörer ser enhetens arbetsbelastning."
MSG_OWN_UNIT = "Du ser bara din egen enhets arbetsbelastning."
MSG_UNIT = "Enheten finns inte."
MSG_RATING = f"Ange din upplevda belastning som en siffra {MIN_RATING}–{MAX_RATING}."
MSG_MONTH = "Du kan skatta innevarande eller förra månaden."
MSG_FLEX = "Ange flexsaldot i hela timmar (−200 till 200), eller lämna tomt."
MSG_WHO = "Bara handläggare och arbetsledare skattar sin egen belastning."


def month_start(day: dt.date) -> dt.date:
    """Return the first day of the day's month."""
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    """Return the first day of the month before."""
    return (month - dt.timedelta(days=1)).replace(day=1)


def trend_days(on: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """Return the days a trend is measured on: the last day of each earlier month, then `on`."""
    days = [on]
    month = month_start(on)
    for _ in range(months - 1):
        days.append(month - dt.timedelta(days=1))
        month = previous_month(month)
    return sorted(days)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    day: dt.date
    points: float
    norm: float
    rating: int | None


@dataclass(frozen=True, slots=True)
class WorkerLoad:
    """One worker's weighted caseload on the day, against their norm, with the trend."""

    staff_id: int
    name: str
    employment_rate: int
    years_experience: int
    score: pts.Score
    items: int
    rating: int | None
    trend: list[TrendPoint]
    above_norm_streak: bool


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # "above_norm" or "deadline_risk"
    text: str


@dataclass(frozen=True, slots=True)
class UnitLoad:
    """What the team lead's workload page shows for one unit on one day."""

    unit_id: int
    unit_name: str
    on: dt.date
    model_name: str
    model_version: str
    norm: int
    workers: list[WorkerLoad]
    unassigned_points: int
    deadline_risk: int
    deadline_risk_before: int
    risk_window_days: int
    alerts: list[Alert] = field(default_factory=list)

    @property
    def points(self) -> float:
        """Return the unit's weighted points (the workers'; unassigned items are shown apart)."""
        return round(sum(w.score.points for w in self.workers), 1)

    @property
    def full_time(self) -> float:
        """Return the unit's full-time equivalents (employment rates summed)."""
        return round(sum(w.employment_rate for w in self.workers) / 100, 2)

    @property
    def points_per_full_time(self) -> float | None:
        """Return the weighted points per full-time worker, or None without workers."""
        return round(self.points / self.full_time, 1) if self.full_time else None

    def unit_trend(self) -> list[tuple[dt.date, float | None]]:
        """Return points per full-time worker on each trend day."""
        if not self.workers:
            return []
        days = [p.day for p in self.workers[0].trend]
        fte = self.full_time
        return [
            (d, round(sum(w.trend[i].points for w in self.workers) / fte, 1) if fte else None)
            for i, d in enumerate(days)
        ]


def check_reader(actor: Actor, unit_id: int | None = None) -> None:
    """Refuse anyone but a team lead (own unit) or an administrator."""
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied(MSG_TEAM_ONLY)
    if unit_id is not None and actor.role is Role.TEAM_LEAD and unit_id != actor.unit_id:
        raise PermissionDenied(MSG_OWN_UNIT)


def units(session: Session, *, actor: Actor) -> list[Unit]:
    """Return the units whose workload the actor may see."""
    check_reader(actor)
    query = select(Unit).order_by(Unit.name)
    if actor.role is Role.TEAM_LEAD:
        query = query.where(Unit.id == actor.unit_id)
    return list(session.scalars(query))


def _workers(session: Session, unit_id: int) -> list[StaffMember]:
    """Return the unit's active case workers and team leads, by name."""
    return [
        m
        for m in session.scalars(
            select(StaffMember)
            .where(StaffMember.unit_id == unit_id, StaffMember.active)
            .order_by(StaffMember.display_name, StaffMember.id)
        )
        if m.role in (Role.CASE_WORKER, Role.TEAM_LEAD)
    ]


def unit_load(
    session: Session, *, actor: Actor, unit_id: int, on: dt.date, model: Model
) -> UnitLoad:
    """Return the unit's weighted caseload per worker on `on`, its trend and its alerts."""
    check_reader(actor, unit_id)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(MSG_UNIT, field="unit_id")
    days = trend_days(on)
    window = model.alerts.deadline_risk_window_days
    before = on - dt.timedelta(days=window)
    facts = unit_facts(session, unit_id=unit_id, since=min(days[0], before), until=on)
    holders = {f.assigned_to_id for f in facts if f.assigned_to_id is not None}
    workers = [
        m for m in _workers(session, unit_id) if m.role is Role.CASE_WORKER or m.id in holders
    ]
    ratings = _ratings(session, [w.id for w in workers], month_start(days[0]))
    by_holder: dict[dt.date, dict[int | None, list[pts.Item]]] = {}
    for d in days:
        held: dict[int | None, list[pts.Item]] = defaultdict(list)
        for f in facts:
            held[f.assigned_to_id] += pts.items_on(f, d)
        by_holder[d] = held
    rows: list[WorkerLoad] = []
    streak_len = model.alerts.above_norm_months
    for member in workers:
        trend = []
        for d in days:
            s = _score(by_holder[d].get(member.id, []), member, model)
            trend.append(TrendPoint(d, s.points, s.norm, ratings.get((member.id, month_start(d)))))
        today_items = by_holder[on].get(member.id, [])
        current = _score(today_items, member, model)
        recent = trend[-streak_len:]
        rows.append(
            WorkerLoad(
                staff_id=member.id,
                name=member.display_name,
                employment_rate=member.employment_rate,
                years_experience=member.years_experience,
                score=current,
                items=len(today_items),
                rating=ratings.get((member.id, month_start(on))),
                trend=trend,
                above_norm_streak=len(recent) == streak_len
                and all(p.points > p.norm for p in recent),
            )
        )
    shown = {w.staff_id for w in rows}
    unassigned = sum(
        pts.item_points(i, model)
        for holder, items in by_holder[on].items()
        if holder not in shown
        for i in items
    )
    risk_now = pts.deadline_risk(facts, on, soon_days=DUE_SOON_DAYS)
    risk_before = pts.deadline_risk(facts, before, soon_days=DUE_SOON_DAYS)
    result = UnitLoad(
        unit_id=unit.id,
        unit_name=unit.name,
        on=on,
        model_name=model.model.name,
        model_version=model.model.version,
        norm=model.model.norm,
        workers=rows,
        unassigned_points=unassigned,
        deadline_risk=risk_now,
        deadline_risk_before=risk_before,
        risk_window_days=window,
        alerts=_alerts(rows, risk_now, risk_before, window, model),
    )
    record_read(session, actor, unit.id)
    return result


def record_read(session: Session, actor: Actor, unit_id: int) -> None:
    """Leave the audit entry of one view of a unit's workload (also when served from a cache)."""
    audit.record(session, actor=actor, action="list", entity="workload", entity_id=unit_id)


def _score(items: list[pts.Item], member: StaffMember, model: Model) -> pts.Score:
    return pts.score(
        items,
        years_experience=member.years_experience,
        employment_rate=member.employment_rate,
        model=model,
    )


def _alerts(
    rows: list[WorkerLoad], risk_now: int, risk_before: int, window: int, model: Model
) -> list[Alert]:
    months = model.alerts.above_norm_months
    alerts = [
        Alert(
            "above_norm",
            f"{w.name} har legat över normen {months} månader i rad. "
            "Ta upp det i nästa samtal om arbetssituationen.",
        )
        for w in rows
        if w.above_norm_streak
    ]
    if risk_now > risk_before and risk_now >= model.alerts.deadline_risk_min:
        alerts.append(
            Alert(
                "deadline_risk",
                f"Enhetens fristrisk stiger: {risk_now} öppna steg är försenade eller ska vara "
                f"klara inom {DUE_SOON_DAYS} dagar, mot {risk_before} för {window} dagar sedan.",
            )
        )
    return alerts


def _ratings(
    session: Session, staff_ids: list[int], since: dt.date
) -> dict[tuple[int, dt.date], int]:
    if not staff_ids:
        return {}
    rows = session.execute(
        select(LoadRating.staff_id, LoadRating.month, LoadRating.rating).where(
            LoadRating.staff_id.in_(staff_ids), LoadRating.month >= since
        )
    )
    return {(staff_id, month): rating for staff_id, month, rating in rows}


def rate(
    session: Session,
    *,
    actor: Actor,
    month: dt.date,
    rating: int,
    flex_hours: int | None,
    today: dt.date,
) -> LoadRating:
    """Record (or change) the worker's own load rating for this or last month."""
    if actor.role not in (Role.CASE_WORKER, Role.TEAM_LEAD) or actor.staff_id is None:
        raise PermissionDenied(MSG_WHO)
    if not MIN_RATING <= rating <= MAX_RATING:
        raise InvalidInput(MSG_RATING, field="rating")
    month = month_start(month)
    if month not in (month_start(today), previous_month(month_start(today))):
        raise InvalidInput(MSG_MONTH, field="month")
    if flex_hours is not None and not -200 <= flex_hours <= 200:
        raise InvalidInput(MSG_FLEX, field="flex_hours")
    row = session.scalars(
        select(LoadRating).where(LoadRating.staff_id == actor.staff_id, LoadRating.month == month)
    ).first()
    if row is None:
        row = LoadRating(staff_id=actor.staff_id, month=month, rating=rating)
        session.add(row)
    row.rating = rating
    row.flex_hours = flex_hours
    session.flush()
    return row


def own_ratings(session: Session, *, actor: Actor, months: int = TREND_MONTHS) -> list[LoadRating]:
    """Return the worker's own ratings, the latest months first."""
    if actor.staff_id is None:
        return []
    return list(
        session.scalars(
            select(LoadRating)
            .where(LoadRating.staff_id == actor.staff_id)
            .order_by(LoadRating.month.desc())
            .limit(months)
        )
    )


MSG_RATE = "Ange tjänstgöringsgraden i procent av heltid, 1–100."


def set_employment_rate(session: Session, *, actor: Actor, username: str, rate: int) -> StaffMember:
    """Set a worker's employment rate (percent of full time): their team lead or an admin."""
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN, Role.SYSTEM):
        raise PermissionDenied(MSG_TEAM_ONLY)
    member = session.scalars(
        select(StaffMember).where(StaffMember.username == username, StaffMember.active)
    ).first()
    if member is None or (actor.role is Role.TEAM_LEAD and member.unit_id != actor.unit_id):
        raise NotFound(f"Ingen aktiv användare heter '{username}'.", field="username")
    if not 1 <= rate <= 100:
        raise InvalidInput(MSG_RATE, field="rate")
    member.employment_rate = rate
    session.flush()
    return member
