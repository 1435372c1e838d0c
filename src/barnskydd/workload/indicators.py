"""Time use from the journal per unit and month: with the child, alone, talks per investigation.

Read from what the journal already records (minutes, kind, whether the child was spoken to
alone); an entry corrected by a later one counts once, as the correction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case, Investigation
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN, local_date
from barnskydd.workload.service import check_reader, month_start, previous_month


@dataclass(frozen=True, slots=True)
class MonthUse:
    month: dt.date
    minutes: int
    child_minutes: int
    alone_minutes: int
    investigations: int
    child_talks: int

    @property
    def child_share(self) -> float | None:
        """Return the share of recorded time spent with the child."""
        return self.child_minutes / self.minutes if self.minutes else None

    @property
    def alone_share(self) -> float | None:
        """Return the share of recorded time spent with the child alone."""
        return self.alone_minutes / self.minutes if self.minutes else None

    @property
    def talks_per_investigation(self) -> float | None:
        """Return talks with the child per investigation completed in the month."""
        return round(self.child_talks / self.investigations, 1) if self.investigations else None


def months_back(on: dt.date, months: int) -> list[dt.date]:
    """Return the first days of the `months` months up to the one of `on`, oldest first."""
    result = [month_start(on)]
    for _ in range(months - 1):
        result.append(previous_month(result[-1]))
    return sorted(result)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), SWEDEN)


def time_use(
    session: Session, *, actor: Actor, unit_id: int, on: dt.date, months: int = 6
) -> list[MonthUse]:
    """Return the unit's journal time use for each of the last `months` months."""
    check_reader(actor, unit_id)
    firsts = months_back(on, months)
    start, end = firsts[0], (firsts[-1] + dt.timedelta(days=32)).replace(day=1)
    later = aliased(JournalEntry)
    entries = session.execute(
        select(
            JournalEntry.case_id,
            JournalEntry.kind,
            JournalEntry.child_alone,
            JournalEntry.minutes,
            JournalEntry.at,
        )
        .join(Case, Case.id == JournalEntry.case_id)
        .outerjoin(later, later.corrects_id == JournalEntry.id)
        .where(
            Case.unit_id == unit_id,
            later.id.is_(None),
            JournalEntry.at >= _moment(start),
            JournalEntry.at < _moment(end),
        )
    ).all()
    done = session.execute(
        select(Investigation.case_id, Investigation.started_on, Investigation.completed_on)
        .join(Case, Case.id == Investigation.case_id)
        .where(
            Case.unit_id == unit_id,
            Investigation.completed_on >= start,
            Investigation.completed_on < end,
        )
    ).all()
    talks: dict[int, list[dt.date]] = {}
    for case_id, at in session.execute(
        select(JournalEntry.case_id, JournalEntry.at)
        .outerjoin(later, later.corrects_id == JournalEntry.id)
        .where(
            later.id.is_(None),
            JournalEntry.kind == JournalKind.CHILD_TALK,
            JournalEntry.case_id.in_({row.case_id for row in done}),
        )
    ):
        talks.setdefault(case_id, []).append(local_date(at))
    sums = {m: [0, 0, 0, 0, 0] for m in firsts}
    for row in entries:
        acc = sums[month_start(local_date(row.at))]
        acc[0] += row.minutes
        if row.kind is JournalKind.CHILD_TALK or row.child_alone:
            acc[1] += row.minutes
        if row.child_alone:
            acc[2] += row.minutes
    for case_id, started_on, completed_on in done:
        assert completed_on is not None
        acc = sums[month_start(completed_on)]
        acc[3] += 1
        acc[4] += sum(1 for d in talks.get(case_id, []) if started_on <= d <= completed_on)
    return [MonthUse(m, *sums[m]) for m in firsts]
