"""Measurement weeks: a unit's workers record their time per category for seven days.

Entries exist only while the week is open. Closing it (by the team lead, or by the app's
daily job and `barnskydd workload week close-due` once its last day has passed) keeps the
unit's totals per category only when at least `MIN_PARTICIPANTS` workers took part, and
deletes every entry in the same transaction. Reading never closes a week: a week whose last
day has passed is no longer current, its entries are neither shown nor added to, whether or
not the daily job has closed it yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.staff.models import Unit
from barnskydd.workload.records import (
    BLOCK_MINUTES,
    MAX_DAY_MINUTES,
    MeasurementEntry,
    MeasurementTotal,
    MeasurementWeek,
    TimeCategory,
)
from barnskydd.workload.service import check_reader

MIN_PARTICIPANTS = 5
WEEK_DAYS = 7
CATEGORY_LABELS = {
    TimeCategory.CHILD: "Direkt arbete med barnet",
    TimeCategory.PARENTS: "Direkt arbete med föräldrar",
    TimeCategory.NETWORK: "Nätverk och samverkan",
    TimeCategory.DOCUMENTATION: "Dokumentation",
    TimeCategory.TRAVEL: "Resor",
    TimeCategory.ADMINISTRATION: "Administration",
}
MSG_WEEK = "Mätveckan finns inte."
MSG_OPEN_ALREADY = "Enheten har redan en öppen mätvecka."
MSG_CLOSED = "Mätveckan är stängd; inga fler registreringar tas emot."
MSG_DAY = "Dagen ligger utanför mätveckan."
MSG_MINUTES = f"Ange tiden i hela kvartar, {BLOCK_MINUTES}–{MAX_DAY_MINUTES} minuter."
MSG_CATEGORY = "Välj en kategori i listan."
MSG_RECORDER = "Bara handläggare och arbetsledare i enheten registrerar tid i mätveckan."
MSG_START = "Mätveckan kan börja tidigast i dag."


@dataclass(frozen=True, slots=True)
class ClosedWeek:
    week_id: int
    unit_id: int
    starts_on: dt.date
    ends_on: dt.date
    participants: int
    kept: bool
    totals: dict[TimeCategory, int]

    @property
    def minutes(self) -> int:
        """Return all minutes recorded in the week (0 when nothing was kept)."""
        return sum(self.totals.values())

    def share(self, category: TimeCategory) -> float | None:
        """Return the category's share of the week's time, or None when nothing was kept."""
        return self.totals.get(category, 0) / self.minutes if self.minutes else None


def open_week(
    session: Session, *, actor: Actor, unit_id: int, starts_on: dt.date, today: dt.date
) -> MeasurementWeek:
    """Open a seven-day measurement week for the unit (team lead of the unit, or admin)."""
    check_reader(actor, unit_id)
    if session.get(Unit, unit_id) is None:
        raise NotFound("Enheten finns inte.", field="unit_id")
    if starts_on < today:
        raise InvalidInput(MSG_START, field="starts_on")
    close_due(session, today=today)
    if session.scalar(_open_query(unit_id)) is not None:
        raise InvalidInput(MSG_OPEN_ALREADY, field="starts_on")
    week = MeasurementWeek(
        unit_id=unit_id,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=WEEK_DAYS - 1),
        opened_by=actor.username,
    )
    session.add(week)
    session.flush()
    return week


def _open_query(unit_id: int):  # type: ignore[no-untyped-def]
    return select(MeasurementWeek.id).where(
        MeasurementWeek.unit_id == unit_id, MeasurementWeek.closed_at.is_(None)
    )


def expired(week: MeasurementWeek, today: dt.date) -> bool:
    """Whether the week's last day has passed (closed or not yet)."""
    return week.ends_on < today


def current_week(session: Session, *, unit_id: int, today: dt.date) -> MeasurementWeek | None:
    """Return the unit's open week that has not ended (reads only: closes nothing)."""
    week_id = session.scalar(_open_query(unit_id).where(MeasurementWeek.ends_on >= today))
    return session.get(MeasurementWeek, week_id) if week_id is not None else None


def record(
    session: Session,
    *,
    actor: Actor,
    week_id: int,
    day: dt.date,
    category: str,
    minutes: int,
    today: dt.date,
) -> MeasurementEntry:
    """Record (or replace) the worker's minutes in one category on one day of the week."""
    if actor.role not in (Role.CASE_WORKER, Role.TEAM_LEAD) or actor.staff_id is None:
        raise PermissionDenied(MSG_RECORDER)
    week = session.get(MeasurementWeek, week_id)
    if week is None or week.unit_id != actor.unit_id:
        raise NotFound(MSG_WEEK, field="week_id")
    if week.closed_at is not None or expired(week, today):
        raise InvalidInput(MSG_CLOSED, field="week_id")
    if not week.starts_on <= day <= week.ends_on or day > today:
        raise InvalidInput(MSG_DAY, field="day")
    try:
        kind = TimeCategory(category)
    except ValueError:
        raise InvalidInput(MSG_CATEGORY, field="category") from None
    if not BLOCK_MINUTES <= minutes <= MAX_DAY_MINUTES or minutes % BLOCK_MINUTES:
        raise InvalidInput(MSG_MINUTES, field="minutes")
    entry = session.scalars(
        select(MeasurementEntry).where(
            MeasurementEntry.week_id == week.id,
            MeasurementEntry.staff_id == actor.staff_id,
            MeasurementEntry.day == day,
            MeasurementEntry.category == kind,
        )
    ).first()
    if entry is None:
        entry = MeasurementEntry(
            week_id=week.id, staff_id=actor.staff_id, day=day, category=kind, minutes=minutes
        )
        session.add(entry)
    entry.minutes = minutes
    session.flush()
    return entry


def close(session: Session, *, actor: Actor | None, week_id: int) -> ClosedWeek:
    """Close the week: keep unit totals if enough took part, delete every entry, in one go.

    `actor` None is the week closing itself after its last day.
    """
    week = session.get(MeasurementWeek, week_id)
    if actor is not None:
        check_reader(actor)
    if week is None or (
        actor is not None and actor.role is Role.TEAM_LEAD and week.unit_id != actor.unit_id
    ):
        raise NotFound(MSG_WEEK, field="week_id")
    # Claimed by one conditional UPDATE, so that two closers (the daily job in several
    # workers, a team lead at the same moment) cannot both keep totals.
    claimed = session.execute(
        update(MeasurementWeek)
        .where(MeasurementWeek.id == week.id, MeasurementWeek.closed_at.is_(None))
        .values(closed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        raise InvalidInput("Mätveckan är redan stängd.", field="week_id")
    session.refresh(week)
    participants = (
        session.scalar(
            select(func.count(func.distinct(MeasurementEntry.staff_id))).where(
                MeasurementEntry.week_id == week.id
            )
        )
        or 0
    )
    kept = participants >= MIN_PARTICIPANTS
    if kept:
        for category, minutes in session.execute(
            select(MeasurementEntry.category, func.sum(MeasurementEntry.minutes))
            .where(MeasurementEntry.week_id == week.id)
            .group_by(MeasurementEntry.category)
        ):
            session.add(MeasurementTotal(week_id=week.id, category=category, minutes=minutes))
    session.execute(delete(MeasurementEntry).where(MeasurementEntry.week_id == week.id))
    week.participants = participants
    week.kept = kept
    session.flush()
    return _closed(session, week)


def close_due(session: Session, *, today: dt.date) -> int:
    """Close every open week whose last day has passed; return how many (the daily job)."""
    due = list(
        session.scalars(
            select(MeasurementWeek.id).where(
                MeasurementWeek.closed_at.is_(None), MeasurementWeek.ends_on < today
            )
        )
    )
    for week_id in due:
        close(session, actor=None, week_id=week_id)
    return len(due)


def _closed(session: Session, week: MeasurementWeek) -> ClosedWeek:
    rows = session.execute(
        select(MeasurementTotal.category, MeasurementTotal.minutes).where(
            MeasurementTotal.week_id == week.id
        )
    )
    totals = {category: minutes for category, minutes in rows}  # noqa: C416
    return ClosedWeek(
        week_id=week.id,
        unit_id=week.unit_id,
        starts_on=week.starts_on,
        ends_on=week.ends_on,
        participants=week.participants or 0,
        kept=bool(week.kept),
        totals=totals,
    )


def closed_weeks(session: Session, *, actor: Actor, unit_id: int) -> list[ClosedWeek]:
    """Return the unit's closed weeks, the latest first (totals only, never a person)."""
    check_reader(actor, unit_id)
    weeks = session.scalars(
        select(MeasurementWeek)
        .where(MeasurementWeek.unit_id == unit_id, MeasurementWeek.closed_at.is_not(None))
        .order_by(MeasurementWeek.starts_on.desc())
    )
    return [_closed(session, w) for w in weeks]


def own_entries(
    session: Session, *, actor: Actor, week_id: int, today: dt.date
) -> list[MeasurementEntry]:
    """Return the worker's own entries of an open week that has not ended (none otherwise)."""
    week = session.get(MeasurementWeek, week_id)
    if week is None or week.closed_at is not None or expired(week, today):
        return []
    return list(
        session.scalars(
            select(MeasurementEntry)
            .where(MeasurementEntry.week_id == week_id, MeasurementEntry.staff_id == actor.staff_id)
            .order_by(MeasurementEntry.day, MeasurementEntry.category)
        )
    )
