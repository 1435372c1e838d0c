"""Återkoppling: tell a mandatory reporter whether an investigation was opened, and record it.

The socialnämnd may tell whoever reported under the duty to report that an investigation has
been opened, has not been opened or is already ongoing, and must do so on request unless that
is inappropriate (SoL 2025:400 19 kap. 6 §; see docs/web.md for the sources). It may say
nothing more: the letter names no child and no reason. Other reporters (private persons,
relatives, the child, anonymous reporters) get no feedback, nor does a report transferred to
another municipality, whose nämnd decides there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.chain.inputs import Day, StepInput
from barnskydd.cases.codes import NEVER_MANDATORY, PreliminaryOutcome, ReporterCategory
from barnskydd.cases.models import Case, ReporterFeedback
from barnskydd.cases.schemas import FEEDBACK_ONLY_MANDATORY
from barnskydd.cases.service import audit_case, authorize
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date
from barnskydd.core.db import utcnow
from barnskydd.core.errors import CaseNotFound, InvalidInput, NotFound, PermissionDenied
from barnskydd.staff import deployment
from barnskydd.staff.models import StaffMember

NOT_OFFERED = (
    "Återkoppling lämnas bara till en anmälningsskyldig anmälare, efter beslut om att inleda "
    "eller inte inleda utredning eller när en utredning redan pågår."
)


@dataclass(frozen=True, slots=True)
class Provision:
    """The paragraph that allows feedback, in force from a date (the day the letter is written)."""

    effective_from: dt.date
    reference: str
    confirmed: bool


# Chosen by the day feedback is given, not the day of the report: it is an act of the nämnd
# under the law in force then. 14 kap. 1 b § is what secondary sources name; the consolidated
# text of SoL 2001:453 was not read (docs/web.md).
PROVISIONS = (
    Provision(dt.date(2013, 1, 1), "14 kap. 1 b § socialtjänstlagen (2001:453)", confirmed=False),
    Provision(dt.date(2025, 7, 1), "19 kap. 6 § socialtjänstlagen (2025:400)", confirmed=True),
)

FEEDBACK_OUTCOMES = (
    PreliminaryOutcome.INVESTIGATION_OPENED,
    PreliminaryOutcome.NOT_OPENED,
    PreliminaryOutcome.ALREADY_ONGOING,
    PreliminaryOutcome.EARLY_HELP_OFFERED,  # a decision not to open one (11 kap. 5 § SoL)
)
FEEDBACK_LABELS = {
    PreliminaryOutcome.INVESTIGATION_OPENED: "en utredning har inletts",
    PreliminaryOutcome.NOT_OPENED: "en utredning inte har inletts",
    PreliminaryOutcome.EARLY_HELP_OFFERED: "en utredning inte har inletts",
    PreliminaryOutcome.ALREADY_ONGOING: "en utredning redan pågår",
}


def provision_for(day: dt.date) -> Provision:
    """Return the provision in force on a day."""
    in_force = [p for p in PROVISIONS if p.effective_from <= day]
    if not in_force:
        raise InvalidInput(f"Ingen bestämmelse om återkoppling gällde {day.isoformat()}.")
    return in_force[-1]


def feedback_outcome(
    *,
    mandatory_reporter: bool,
    reporter_category: ReporterCategory,
    outcome: PreliminaryOutcome | None,
) -> PreliminaryOutcome | None:
    """Return what the reporter may be told, or None when no feedback is offered."""
    if not mandatory_reporter or reporter_category in NEVER_MANDATORY:
        return None
    return outcome if outcome in FEEDBACK_OUTCOMES else None


@dataclass(frozen=True, slots=True)
class Given:
    """Feedback that was given: when and by whom."""

    at: dt.datetime
    by: str


@dataclass(frozen=True, slots=True)
class FeedbackOffer:
    """The feedback a case's reporter may get, the decision it follows and what was given.

    `requested` is whether the reporter asked for it (None: the report does not say) and
    `requested_on` the day the request came in.
    """

    outcome: PreliminaryOutcome
    decided_on: dt.date
    given: tuple[Given, ...]
    requested: bool | None = None
    requested_on: dt.date | None = None


class FeedbackRequest(StepInput):
    """A mandatory reporter's request for feedback, recorded on the day it came in."""

    requested_on: Day = Field(
        title="Dag då begäran kom in", description="Dagen då anmälaren begärde återkoppling."
    )


def _outcome(case: Case) -> PreliminaryOutcome | None:
    report, preliminary = case.report, case.preliminary_assessment
    return feedback_outcome(
        mandatory_reporter=report.mandatory_reporter,
        reporter_category=report.reporter_category,
        outcome=preliminary.outcome if preliminary else None,
    )


def offer(session: Session, *, actor: Actor, case: Case) -> FeedbackOffer | None:
    """Return the feedback a case's reporter may get and the feedback given so far, or None."""
    authorize(actor, case)
    outcome = _outcome(case)
    if outcome is None or case.preliminary_assessment is None:
        return None
    rows = session.execute(
        select(ReporterFeedback.given_at, StaffMember.display_name)
        .join(StaffMember, StaffMember.id == ReporterFeedback.given_by_id)
        .where(ReporterFeedback.case_id == case.id)
        .order_by(ReporterFeedback.given_at, ReporterFeedback.id)
    )
    return FeedbackOffer(
        outcome=outcome,
        decided_on=case.preliminary_assessment.decided_on,
        given=tuple(Given(at=at, by=name) for at, name in rows),
        requested=case.report.feedback_requested,
        requested_on=case.report.feedback_requested_on,
    )


def record_request(session: Session, *, actor: Actor, case: Case, data: FeedbackRequest) -> None:
    """Record that the mandatory reporter asked for feedback on a day (audited).

    Asked after the decision, the feedback is due that day ("genast", 19 kap. 6 § andra
    stycket SoL; cases.deadlines). A request already recorded keeps its first day.
    """
    authorize(actor, case)
    report = case.report
    if not report.mandatory_reporter or report.reporter_category in NEVER_MANDATORY:
        raise InvalidInput(FEEDBACK_ONLY_MANDATORY, field="requested_on")
    day = data.requested_on
    if day < local_date(report.received_at):
        raise InvalidInput("Begäran kan inte ha kommit in före anmälan.", field="requested_on")
    if day > local_date(utcnow()):
        raise InvalidInput("Begäran kan inte ha kommit in i framtiden.", field="requested_on")
    if report.feedback_requested and report.feedback_requested_on is not None:
        day = min(day, report.feedback_requested_on)
    report.feedback_requested, report.feedback_requested_on = True, day
    session.flush()
    audit_case(session, actor, case, action="update", entity="report", entity_id=report.id)


def record(
    session: Session, *, actor: Actor, case_id: int, given_at: dt.datetime | None = None
) -> ReporterFeedback:
    """Record that the reporter was given feedback (audited); refused when none is offered.

    `given_at` is when it was given (now when not said): not before the decision's day, not
    in the future.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound
    authorize(actor, case)
    if actor.staff_id is None:
        raise PermissionDenied("Återkoppling lämnas av en namngiven handläggare.")
    outcome = _outcome(case)
    if outcome is None:
        raise InvalidInput(NOT_OFFERED)
    now = utcnow()
    when = now if given_at is None else given_at
    preliminary = case.preliminary_assessment
    if when > now or (preliminary is not None and local_date(when) < preliminary.decided_on):
        raise InvalidInput(
            "Återkopplingen kan inte ha lämnats före beslutet eller i framtiden.", field="given_at"
        )
    feedback = ReporterFeedback(
        case_id=case.id,
        outcome=outcome,
        given_at=when,
        given_by_id=actor.staff_id,
        given_by=actor.username,
    )
    session.add(feedback)
    session.flush()
    audit_case(
        session, actor, case, action="create", entity="reporter_feedback", entity_id=feedback.id
    )
    return feedback


@dataclass(frozen=True, slots=True)
class Letter:
    """The feedback letter as plain text blocks; the web layer lays it out as HTML or PDF."""

    sender: tuple[str, ...]
    addressee: tuple[str, ...]
    date: dt.date
    case_number: str
    heading: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]


def _decision(outcome: PreliminaryOutcome, decided_on: dt.date) -> str:
    if outcome is PreliminaryOutcome.INVESTIGATION_OPENED:
        return f"Socialnämnden beslutade den {decided_on.isoformat()} att inleda en utredning."
    if outcome in (PreliminaryOutcome.NOT_OPENED, PreliminaryOutcome.EARLY_HELP_OFFERED):
        return f"Socialnämnden beslutade den {decided_on.isoformat()} att inte inleda en utredning."
    return "En utredning om barnet pågår redan."


def letter(session: Session, *, actor: Actor, case: Case, today: dt.date) -> Letter:
    """Compose the feedback letter: the outcome and the report it answers, nothing more."""
    found = offer(session, actor=actor, case=case)
    if found is None:
        raise NotFound(NOT_OFFERED)
    report = case.report
    municipality = deployment.municipality(session).name
    signer = session.get(StaffMember, actor.staff_id) if actor.staff_id is not None else None
    addressee = [report.reporter_organisation, report.reporter_name, report.reporter_contact]
    return Letter(
        sender=(case.unit.name, f"Socialtjänsten i {municipality}"),
        addressee=tuple(line for line in addressee if line) or ("Anmälaren",),
        date=today,
        case_number=case.case_number,
        heading="Återkoppling på er anmälan om oro för ett barn",
        paragraphs=(
            f"Ni gjorde den {local_date(report.received_at).isoformat()} en anmälan till "
            f"socialnämnden om oro för ett barn. Anmälan har ärendenummer {case.case_number}.",
            _decision(found.outcome, found.decided_on),
            "Mer än så får vi inte berätta: uppgifter om barnet och familjen omfattas av "
            "sekretess (26 kap. 1 § offentlighets- och sekretesslagen). Om ni fortfarande är "
            "oroliga för barnet, eller får veta något nytt, ska ni göra en ny anmälan.",
            f"Återkopplingen lämnas enligt {provision_for(today).reference}.",
        ),
        signature=(
            "Med vänlig hälsning",
            *([signer.display_name] if signer is not None else []),
            case.unit.name,
        ),
    )
