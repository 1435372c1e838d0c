"""Every legal deadline of every case, open or missed, from one registry of rule sources.

Each rule of the rule sets (law.rules.RULE_NAMES) has one source here: a query that yields,
per case, the deadline's last day (extensions included) and the day the step was done, or
none while it waits. Features that act on deadlines (the automatic deviations) read
`missed`/`open_deadlines` and never name a rule, so a rule added to the rule sets is picked
up once its source is registered here (tests/cases/test_deadlines.py checks that every rule
has one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.deadlines import later_deadlines
from barnskydd.cases.models import (
    Case,
    Investigation,
    PreliminaryAssessment,
    ProtectionAssessment,
    Report,
)
from barnskydd.core.clock import local_date


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    """One deadline of one case: its last day, and when the step was done (if it was)."""

    case_id: int
    unit_id: int
    rule: str
    due: dt.date
    done_on: dt.date | None

    def missed(self, as_of: dt.date) -> bool:
        """Tell whether the deadline had passed undone by `as_of` (or was met late)."""
        if self.done_on is not None:
            return self.done_on > self.due and as_of > self.due
        return as_of > self.due


# A source: the rows (case id, unit id, due, done) of one rule, for deadlines due before a day.
Source = Callable[[dt.date], Select[int, int, dt.date, Any]]
# A step not done only counts while the case still waits on it (a closed case waits on none).
_SOURCES: dict[str, tuple[Source, Callable[[Any], dt.date | None]]] = {}


def source(
    rule: str, done: Callable[[Any], dt.date | None] | None = None
) -> Callable[[Source], Source]:
    """Register the query that yields a rule's deadlines (one per rule)."""

    def register(query: Source) -> Source:
        _SOURCES[rule] = (query, done or _day)
        return query

    return register


def rules() -> tuple[str, ...]:
    """Return the rules that have a source, in registration order."""
    return tuple(_SOURCES)


def _day(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _moment_date(value: Any) -> dt.date | None:
    return local_date(value) if isinstance(value, dt.datetime) else None


@source("protection_assessment", _moment_date)
def _protection(before: dt.date) -> Select[int, int, dt.date, Any]:
    return (
        select(Case.id, Case.unit_id, Report.protection_due, ProtectionAssessment.assessed_at)
        .join(Report, Report.case_id == Case.id)
        .outerjoin(ProtectionAssessment, ProtectionAssessment.case_id == Case.id)
        .where(Report.protection_due < before)
        .where(
            (ProtectionAssessment.id.is_not(None))
            | (Case.status == CaseStatus.AWAITING_PROTECTION_ASSESSMENT)
        )
    )


@source("preliminary_assessment")
def _preliminary(before: dt.date) -> Select[int, int, dt.date, Any]:
    return (
        select(Case.id, Case.unit_id, Report.preliminary_due, PreliminaryAssessment.decided_on)
        .join(Report, Report.case_id == Case.id)
        .outerjoin(PreliminaryAssessment, PreliminaryAssessment.case_id == Case.id)
        .where(Report.preliminary_due < before)
        .where(
            (PreliminaryAssessment.id.is_not(None))
            | Case.status.in_(
                (CaseStatus.AWAITING_PROTECTION_ASSESSMENT, CaseStatus.PRELIMINARY_ASSESSMENT)
            )
        )
    )


@source("investigation")
def _investigation(before: dt.date) -> Select[int, int, dt.date, Any]:
    return (
        select(Case.id, Case.unit_id, Investigation.due, Investigation.completed_on)
        .join(Investigation, Investigation.case_id == Case.id)
        .where(Investigation.due < before)
        .where(Investigation.completed_on.is_not(None) | (Case.status == CaseStatus.INVESTIGATION))
    )


def deadlines(session: Session, *, before: dt.date) -> Iterator[CaseDeadline]:
    """Yield every deadline of every case whose last day is before `before`, rule by rule."""
    for rule, (query, done) in _SOURCES.items():
        for row in session.execute(query(before).order_by(Case.id)):
            case_id, unit_id, due, finished = tuple(row)
            yield CaseDeadline(
                case_id=case_id, unit_id=unit_id, rule=rule, due=due, done_on=done(finished)
            )


def missed(session: Session, *, as_of: dt.date) -> Iterator[CaseDeadline]:
    """Yield every deadline missed by `as_of`: passed undone, or met after its last day.

    The first three rules come from the sources above (met late counts too); every later
    rule (cases.deadlines: feedback, reviews, jourhem, ungdomstjänst, ...) while it is still
    open after its last day.
    """
    for deadline in deadlines(session, before=as_of):
        if deadline.missed(as_of):
            yield deadline
    yield from _later_missed(session, as_of)


def _later_missed(session: Session, as_of: dt.date) -> Iterator[CaseDeadline]:
    overdue = [d for d in later_deadlines(session, today=as_of) if as_of > d.due]
    if not overdue:
        return
    ids = {d.case_id for d in overdue}
    units = {
        row[0]: row[1]
        for row in session.execute(select(Case.id, Case.unit_id).where(Case.id.in_(ids)))
    }
    for d in overdue:
        yield CaseDeadline(d.case_id, units[d.case_id], d.rule, d.due, None)
