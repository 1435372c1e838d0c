"""Every open legal deadline of a case: the first three and the eight after the investigation.

`case_deadlines` reads them off a loaded case (pure, no queries); `open_deadlines` is the one
call that lists them all for a case (rule, due date, reference, the case), for the inbox, the
team view, the case page and any other reader (e.g. a scan for deviations) without the desk.
The periods come from the rule sets (`barnskydd.law.rules`); what each counts from is here:

| rule | open while | counted from |
| --- | --- | --- |
| feedback | a mandatory reporter who asked has had no feedback | the decision, or the request |
| emergency_home | a jourhem placement runs after the investigation | the investigation's end |
| unexecuted_decision | a SoL insats has not started | the decision |
| youth_service | ungdomstjänst has not started | the judgment's entry into force |
| placement_review | a SoL placement runs | its start, then the last övervägande |
| lvu_review | LVU care runs | its start, then the last review |
| care_plan_revision | a placement runs and no review revised the vårdplan | its start |
| follow_up | still open after its last placement ended | the placement's end |
| follow_up | in follow-up after an investigation without one (23 kap. 1 §) | its end |

The feedback week binds only when the reporter asked (19 kap. 6 § andra stycket): the report
records whether they did (`Report.feedback_requested`) and a request after the decision is
recorded on the day it came in, and is then due that day ("genast"). A report registered
before the question was asked keeps the week for every mandatory reporter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from barnskydd.cases.codes import (
    NEVER_MANDATORY,
    PLACEMENTS,
    STATUS_LABELS,
    CaseStatus,
    InterventionCategory,
    LegalBasis,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.cases.models import (
    Case,
    Intervention,
    PreliminaryAssessment,
    Report,
    ReporterFeedback,
)
from barnskydd.core.errors import InvalidInput
from barnskydd.law import rules as law

__all__ = [
    "FEEDBACK_WEEK_OUTCOMES",
    "RULE_LABELS",
    "CaseDeadline",
    "case_deadlines",
    "feedback_due",
    "later_deadlines",
    "open_deadlines",
]

# The step each rule asks for, as the inbox names it.
RULE_LABELS: dict[str, str] = {
    "protection_assessment": STATUS_LABELS[CaseStatus.AWAITING_PROTECTION_ASSESSMENT],
    "preliminary_assessment": STATUS_LABELS[CaseStatus.PRELIMINARY_ASSESSMENT],
    "investigation": STATUS_LABELS[CaseStatus.INVESTIGATION],
    "feedback": "Återkoppling till anmälaren",
    "emergency_home": "Jourhemsplaceringen upphör",
    "unexecuted_decision": "Verkställ beslutet (annars rapport till IVO)",
    "youth_service": "Ungdomstjänsten påbörjas",
    "placement_review": "Överväg placeringen",
    "lvu_review": "Överväg LVU-vården",
    "care_plan_revision": "Revidera vårdplanen",
    "follow_up": "Avsluta uppföljningen",
}
# The decisions a mandatory reporter is owed feedback on within a week (19 kap. 6 § SoL): to
# open an investigation or not to (screening out with early help is a decision not to).
FEEDBACK_WEEK_OUTCOMES = (
    PreliminaryOutcome.INVESTIGATION_OPENED,
    PreliminaryOutcome.NOT_OPENED,
    PreliminaryOutcome.EARLY_HELP_OFFERED,
)
_FIRST_RULE = {
    CaseStatus.AWAITING_PROTECTION_ASSESSMENT: "protection_assessment",
    CaseStatus.PRELIMINARY_ASSESSMENT: "preliminary_assessment",
    CaseStatus.INVESTIGATION: "investigation",
}
_LATER_STATUSES = (CaseStatus.INVESTIGATION, CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP)


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    """One open deadline of one case: the rule, its last day and the provision that sets it."""

    case_id: int
    case_number: str
    status: CaseStatus
    rule: str
    due: dt.date
    reference: str
    intervention_id: int | None = None

    @property
    def step(self) -> str:
        """The step the deadline asks for, in Swedish."""
        return RULE_LABELS[self.rule]

    def days_left(self, today: dt.date) -> int:
        """Days to the last day: 0 on it, negative once it has passed."""
        return (self.due - today).days

    def to_dict(self, today: dt.date) -> dict[str, str | int | None]:
        """Return the deadline as JSON-ready values."""
        return {
            "case_number": self.case_number,
            "rule": self.rule,
            "due": self.due.isoformat(),
            "days_left": self.days_left(today),
            "reference": self.reference,
            "intervention_id": self.intervention_id,
        }


def _later(
    case: Case, rule: str, event: dt.date, intervention_id: int | None = None
) -> list[CaseDeadline]:
    """The deadline of a later rule from `event`, or none when the law of that day has none."""
    try:
        deadline = law.later_deadline(rule, event)
    except InvalidInput:
        return []
    return [
        CaseDeadline(
            case.id,
            case.case_number,
            case.status,
            rule,
            deadline.due,
            deadline.reference,
            intervention_id,
        )
    ]


def _first(case: Case) -> list[CaseDeadline]:
    rule = _FIRST_RULE.get(case.status)
    if rule is None:
        return []
    report = case.report
    if rule == "protection_assessment":
        due, reference = report.protection_due, report.protection_reference
    elif rule == "preliminary_assessment":
        due, reference = report.preliminary_due, report.preliminary_reference
    else:
        investigation = case.investigation
        if investigation is None:
            return []
        due, reference = investigation.due, investigation.reference
    return [CaseDeadline(case.id, case.case_number, case.status, rule, due, reference)]


def feedback_due(
    *,
    mandatory: bool,
    category: ReporterCategory,
    requested: bool | None,
    requested_on: dt.date | None,
    outcome: PreliminaryOutcome | None,
    decided_on: dt.date,
) -> tuple[dt.date, str] | None:
    """The last day and paragraph of the feedback a mandatory reporter is owed, or None.

    A week from the decision when the reporter asked before it (or when the report does not
    say whether they asked: reports registered before the question was on the form); on the
    day of the request ("genast") when it came in after the decision, or when an
    investigation was already ongoing (19 kap. 6 § andra stycket SoL). None when the
    reporter said they did not want it, or under a law of the day that sets no time. The one
    rule for the inbox, the deviation scan and the municipality's numbers.
    """
    if not mandatory or category in NEVER_MANDATORY or requested is False:
        return None
    in_week = outcome in FEEDBACK_WEEK_OUTCOMES
    if in_week and (requested_on is None or requested_on <= decided_on):
        day = decided_on
        due = None
    elif requested and (outcome is PreliminaryOutcome.ALREADY_ONGOING or in_week):
        day = max(decided_on, requested_on or decided_on)
        due = day
    else:
        return None
    try:
        deadline = law.later_deadline("feedback", day)
    except InvalidInput:
        return None
    return (due or deadline.due, deadline.reference)


def _feedback(case: Case) -> list[CaseDeadline]:
    """The feedback owed on the case's preliminary decision, if any (`feedback_due`)."""
    report, preliminary = case.report, case.preliminary_assessment
    if preliminary is None:
        return []
    found = feedback_due(
        mandatory=report.mandatory_reporter,
        category=report.reporter_category,
        requested=report.feedback_requested,
        requested_on=report.feedback_requested_on,
        outcome=preliminary.outcome,
        decided_on=preliminary.decided_on,
    )
    if found is None:
        return []
    due, reference = found
    return [CaseDeadline(case.id, case.case_number, case.status, "feedback", due, reference)]


def _intervention(case: Case, x: Intervention, today: dt.date) -> list[CaseDeadline]:
    if x.ended_on is not None:
        return []
    found: list[CaseDeadline] = []
    started = x.start_on <= today
    if x.category is InterventionCategory.YOUTH_SERVICE:
        if x.judgment_final_on is not None and not started:
            found += _later(case, "youth_service", x.judgment_final_on, x.id)
        return found
    if not started and x.legal_basis is LegalBasis.SOL:
        found += _later(case, "unexecuted_decision", x.decided_on, x.id)
    if x.category not in PLACEMENTS or not started:
        return found
    investigation = case.investigation
    if (
        x.category is InterventionCategory.EMERGENCY_HOME
        and investigation is not None
        and investigation.completed_on is not None
    ):
        found += _later(case, "emergency_home", investigation.completed_on, x.id)
    last_review = max((r.reviewed_on for r in x.reviews), default=x.start_on)
    review_rule = "lvu_review" if x.legal_basis is LegalBasis.LVU else "placement_review"
    found += _later(case, review_rule, max(last_review, x.start_on), x.id)
    if not any(r.care_plan_revised for r in x.reviews):
        found += _later(case, "care_plan_revision", x.start_on, x.id)
    return found


def _follow_up(case: Case) -> list[CaseDeadline]:
    """A follow-up still open must end in time: after an investigation without an intervention
    (23 kap. 1 §), or after the case's placements all ended (23 kap. 2 §), six months (5 §)."""
    if case.status not in (CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP):
        return []
    investigation = case.investigation
    if (
        case.status is CaseStatus.FOLLOW_UP
        and not case.interventions
        and investigation is not None
        and investigation.completed_on is not None
    ):
        return _later(case, "follow_up", investigation.completed_on)
    placements = [x for x in case.interventions if x.category in PLACEMENTS]
    if not placements or any(x.ended_on is None for x in placements):
        return []
    ended = max(x.ended_on for x in placements if x.ended_on is not None)
    return _later(case, "follow_up", ended)


def case_deadlines(case: Case, *, today: dt.date, feedback_given: bool) -> list[CaseDeadline]:
    """Return every open deadline of a loaded case, the earliest first (no queries).

    `feedback_given` says whether the reporter has had feedback on the preliminary decision.
    """
    found = _first(case)
    if not feedback_given:
        found += _feedback(case)
    if case.status in _LATER_STATUSES:
        for x in case.interventions:
            found += _intervention(case, x, today)
        found += _follow_up(case)
    return sorted(found, key=lambda d: (d.due, d.rule))


def _given(session: Session, case_ids: Iterable[int]) -> set[int]:
    ids = list(case_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(ReporterFeedback.case_id).where(ReporterFeedback.case_id.in_(ids)).distinct()
        )
    )


def open_deadlines(session: Session, case: Case, *, today: dt.date) -> list[CaseDeadline]:
    """Return every open legal deadline of one case (the caller has authorized the read)."""
    return case_deadlines(case, today=today, feedback_given=case.id in _given(session, [case.id]))


def later_deadlines(
    session: Session,
    *,
    today: dt.date,
    unit_id: int | None = None,
    assigned_to_id: int | None = None,
) -> list[CaseDeadline]:
    """Return the open deadlines after the first three, for a unit's (or all) cases.

    Reads the cases that can have one: those with an intervention, those in follow-up, and
    those whose mandatory reporter is still owed feedback on a decision from the day the week
    came in.
    """
    feedback_from = min(
        (
            r.in_force_from
            for s in law.load_rule_sets()
            for r in s.later
            if r.name == "feedback" and r.in_force_from is not None
        ),
        default=dt.date.min,
    )
    has_intervention = exists().where(Intervention.case_id == Case.id)
    owed_feedback = (
        exists()
        .where(PreliminaryAssessment.case_id == Case.id)
        .where(
            PreliminaryAssessment.outcome.in_(
                (*FEEDBACK_WEEK_OUTCOMES, PreliminaryOutcome.ALREADY_ONGOING)
            )
        )
        .where(PreliminaryAssessment.decided_on >= feedback_from)
        .where(Report.case_id == Case.id, Report.mandatory_reporter)
        .where(Report.feedback_requested.is_not(False))
        .where(~exists().where(ReporterFeedback.case_id == Case.id))
    )
    query = (
        select(Case)
        .where(
            (Case.status.in_(_LATER_STATUSES) & has_intervention)
            | (Case.status == CaseStatus.FOLLOW_UP)  # also after an investigation (23 kap. 1 §)
            | owed_feedback
        )
        .options(
            selectinload(Case.report),
            selectinload(Case.investigation),
            selectinload(Case.preliminary_assessment),
            selectinload(Case.interventions).selectinload(Intervention.reviews),
        )
        .order_by(Case.id)
    )
    if unit_id is not None:
        query = query.where(Case.unit_id == unit_id)
    if assigned_to_id is not None:
        query = query.where(Case.assigned_to_id == assigned_to_id)
    rows = list(session.scalars(query))
    given = _given(session, [c.id for c in rows])
    found: list[CaseDeadline] = []
    for case in rows:
        found += [
            d
            for d in case_deadlines(case, today=today, feedback_given=case.id in given)
            if d.rule not in _FIRST_RULE.values()
        ]
    return found
