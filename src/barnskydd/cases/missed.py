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

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload

from barnskydd.cases.codes import (
    NEVER_MANDATORY,
    PLACEMENTS,
    CaseStatus,
    InterventionCategory,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.cases.deadlines import FEEDBACK_WEEK_OUTCOMES, feedback_due, later_deadlines
from barnskydd.cases.models import (
    Case,
    Intervention,
    Investigation,
    PreliminaryAssessment,
    ProtectionAssessment,
    Report,
    ReporterFeedback,
)
from barnskydd.core.clock import local_date
from barnskydd.core.errors import InvalidInput
from barnskydd.law import rules as law
from barnskydd.law.calendar import add_months


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    """One deadline of one case: its last day, and when the step was done (if it was)."""

    case_id: int
    unit_id: int
    rule: str
    due: dt.date
    done_on: dt.date | None
    intervention_id: int | None = None

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
    """Yield every deadline occurrence missed by `as_of`: passed undone, or met after its last day.

    One occurrence is one rule, one case (and intervention) and one last day: a placement
    reviewed late twice, or not at all for a year, misses two review periods. The first three
    rules come from the sources above; the later rules from `_later_missed`.
    """
    for deadline in deadlines(session, before=as_of):
        if deadline.missed(as_of):
            yield deadline
    yield from _later_missed(session, as_of)


# The later rules whose deadline is also missed when the step was done, but after its last
# day: each is a period "within which" something must be done (a review, a start, a revised
# vårdplan, feedback) or a longest stay (jourhem), so doing it late does not meet it. The
# follow-up is counted only while it is still open: the chain records no day it ended.
MET_LATE_COUNTS = frozenset(
    {
        "feedback",
        "emergency_home",
        "unexecuted_decision",
        "youth_service",
        "placement_review",
        "lvu_review",
        "care_plan_revision",
    }
)
# The rules bound to one intervention: walked here per intervention, every occurrence.
_INTERVENTION_RULES = frozenset(
    {
        "emergency_home",
        "unexecuted_decision",
        "youth_service",
        "placement_review",
        "lvu_review",
        "care_plan_revision",
    }
)
_LATER_STATUSES = (CaseStatus.INVESTIGATION, CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP)


def _later_missed(session: Session, as_of: dt.date) -> Iterator[CaseDeadline]:
    still_open = [
        d
        for d in later_deadlines(session, today=as_of)
        if as_of > d.due and d.rule not in _INTERVENTION_RULES
    ]
    if still_open:
        ids = {d.case_id for d in still_open}
        units = {
            row[0]: row[1]
            for row in session.execute(select(Case.id, Case.unit_id).where(Case.id.in_(ids)))
        }
        for d in still_open:
            yield CaseDeadline(d.case_id, units[d.case_id], d.rule, d.due, None)
    yield from _feedback_given_late(session, as_of)
    yield from _intervention_missed(session, as_of)


def _deadline(rule: str, event: dt.date) -> dt.date | None:
    """The last day of a later rule from `event`, or None when the law of that day has none."""
    try:
        return law.later_deadline(rule, event).due
    except InvalidInput:
        return None


def _period_end(rule: str, event: dt.date) -> dt.date:
    """The end of a rule's period from `event`, not moved: where the next period counts from."""
    found = law.rule_set_for(event).rule(rule)
    if found is None:  # pragma: no cover - _deadline found the rule for this event already
        raise InvalidInput(f"Regeln '{rule}' gäller inte för {event.isoformat()}.", field="rule")
    days = found.days + 7 * found.weeks
    return add_months(event, found.months) + dt.timedelta(days=days)


def _occurrence(
    case: Case,
    x: Intervention,
    rule: str,
    due: dt.date | None,
    done: dt.date | None,
    as_of: dt.date,
) -> Iterator[CaseDeadline]:
    """The occurrence when its last day has passed by `as_of` unmet, and it was still owed.

    Owed: the intervention had not ended by its last day. Unmet: not done by then (done
    later or not at all; a done day after `as_of` is not known yet).
    """
    if due is None or as_of <= due:
        return
    if x.ended_on is not None and x.ended_on <= due:
        return
    if done is not None and done <= due:
        return
    known = done if done is not None and done <= as_of else None
    yield CaseDeadline(case.id, case.unit_id, rule, due, known, x.id)


def _reviews(case: Case, x: Intervention, rule: str, as_of: dt.date) -> Iterator[CaseDeadline]:
    """Every review period of a placement missed by `as_of`: each counted from the last review.

    A review made in time starts the next period; a late one is a missed period and starts
    the next; a period with no review at all is missed and the next counts from its end.
    """
    reviews = sorted(r.reviewed_on for r in x.reviews)
    anchor = x.start_on
    while anchor < as_of:
        due = _deadline(rule, anchor)
        if due is None or as_of <= due:
            return
        if x.ended_on is not None and x.ended_on <= due:
            return
        done = next((day for day in reviews if day > anchor), None)
        if done is not None and done <= due:
            anchor = done
            continue
        yield from _occurrence(case, x, rule, due, done, as_of)
        anchor = done if done is not None and done <= as_of else _period_end(rule, anchor)


def _intervention_occurrences(
    case: Case, x: Intervention, as_of: dt.date
) -> Iterator[CaseDeadline]:
    started = x.start_on if x.start_on <= as_of else None
    if x.category is InterventionCategory.YOUTH_SERVICE:
        if x.judgment_final_on is not None:
            due = _deadline("youth_service", x.judgment_final_on)
            yield from _occurrence(case, x, "youth_service", due, started, as_of)
        return
    if x.legal_basis is LegalBasis.SOL:
        due = _deadline("unexecuted_decision", x.decided_on)
        yield from _occurrence(case, x, "unexecuted_decision", due, started, as_of)
    if x.category not in PLACEMENTS or started is None:
        return
    investigation = case.investigation
    if (
        x.category is InterventionCategory.EMERGENCY_HOME
        and investigation is not None
        and investigation.completed_on is not None
    ):
        due = _deadline("emergency_home", investigation.completed_on)
        yield from _occurrence(case, x, "emergency_home", due, x.ended_on, as_of)
    review_rule = "lvu_review" if x.legal_basis is LegalBasis.LVU else "placement_review"
    yield from _reviews(case, x, review_rule, as_of)
    revised = min((r.reviewed_on for r in x.reviews if r.care_plan_revised), default=None)
    due = _deadline("care_plan_revision", x.start_on)
    yield from _occurrence(case, x, "care_plan_revision", due, revised, as_of)


def _intervention_missed(session: Session, as_of: dt.date) -> Iterator[CaseDeadline]:
    query = (
        select(Case)
        .where(Case.status.in_(_LATER_STATUSES))
        .where(exists().where(Intervention.case_id == Case.id))
        .options(
            selectinload(Case.investigation),
            selectinload(Case.interventions).selectinload(Intervention.reviews),
        )
        .order_by(Case.id)
    )
    for case in session.scalars(query):
        for x in sorted(case.interventions, key=lambda x: x.id):
            yield from _intervention_occurrences(case, x, as_of)


def _feedback_given_late(session: Session, as_of: dt.date) -> Iterator[CaseDeadline]:
    """Feedback to a mandatory reporter given after its last day (the open ones come above)."""
    first_given = (
        select(ReporterFeedback.case_id, func.min(ReporterFeedback.given_at).label("given_at"))
        .group_by(ReporterFeedback.case_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Case.id,
            Case.unit_id,
            Report.reporter_category,
            Report.feedback_requested,
            Report.feedback_requested_on,
            PreliminaryAssessment.outcome,
            PreliminaryAssessment.decided_on,
            first_given.c.given_at,
        )
        .join(Report, Report.case_id == Case.id)
        .join(PreliminaryAssessment, PreliminaryAssessment.case_id == Case.id)
        .join(first_given, first_given.c.case_id == Case.id)
        .where(
            PreliminaryAssessment.outcome.in_(
                (*FEEDBACK_WEEK_OUTCOMES, PreliminaryOutcome.ALREADY_ONGOING)
            )
        )
        .where(Report.mandatory_reporter)
        .where(Report.feedback_requested.is_not(False))
        .where(Report.reporter_category.not_in(NEVER_MANDATORY))
        .order_by(Case.id)
    )
    for case_id, unit_id, category, asked, asked_on, outcome, decided_on, given_at in rows:
        found = feedback_due(
            mandatory=True,
            category=category,
            requested=asked,
            requested_on=asked_on,
            outcome=outcome,
            decided_on=decided_on,
        )
        given = local_date(given_at)
        if found is not None and found[0] < given <= as_of:
            yield CaseDeadline(case_id, unit_id, "feedback", found[0], given)
