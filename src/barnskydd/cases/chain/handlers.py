"""The writes of the chain: one function per step, (session, actor, case, data) -> record.

`chain.take` calls them after the transition table and the step's checks have passed, with
the case already moved to its next status; they add the step's rows and flush nothing. The
audit entry and the hooks are take's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.chain import inputs as i
from barnskydd.cases.codes import CaseStatus, InvestigationOutcome, PreliminaryOutcome
from barnskydd.cases.decisions import records as decisions
from barnskydd.cases.decisions.models import Decision
from barnskydd.cases.models import (
    BbicNote,
    Case,
    FollowUp,
    Intervention,
    Investigation,
    InvestigationExtension,
    PlacementReview,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
)
from barnskydd.core.actor import Actor
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput
from barnskydd.early_help import service as early_help
from barnskydd.early_help.models import EarlyHelp
from barnskydd.law import rules as law
from barnskydd.people.rules import age_in_years
from barnskydd.voice import service as voice

ONGOING = (CaseStatus.INVESTIGATION, CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP)


def assess_protection(
    session: Session, actor: Actor, case: Case, data: i.AssessProtection
) -> ProtectionAssessment:
    """Record the protection assessment (skyddsbedömning)."""
    assessment = ProtectionAssessment(
        case_id=case.id,
        assessed_at=data.assessed_at,
        immediate_protection_needed=data.immediate_protection_needed,
        notes=data.notes,
        decided_by=actor.username,
    )
    case.protection_assessment = assessment
    return assessment


def decide_preliminary(
    session: Session, actor: Actor, case: Case, data: i.DecidePreliminary
) -> PreliminaryAssessment:
    """Decide after the preliminary assessment; opening starts the investigation's clock."""
    if data.outcome is PreliminaryOutcome.ALREADY_ONGOING:
        case.linked_case_id = _ongoing_investigation(session, case, data.linked_case_number)
    transferred = data.outcome is PreliminaryOutcome.TRANSFERRED
    assessment = PreliminaryAssessment(
        case_id=case.id,
        decided_on=data.decided_on,
        outcome=data.outcome,
        on_time=data.decided_on <= case.report.preliminary_due,
        transferred_to=data.transferred_to if transferred else None,
        notes=data.notes,
        decided_by=actor.username,
    )
    case.preliminary_assessment = assessment
    if data.outcome is PreliminaryOutcome.INVESTIGATION_OPENED:
        due = law.investigation_due(data.decided_on, law.rule_set_by_id(case.law))
        case.investigation = Investigation(
            case_id=case.id,
            started_on=data.decided_on,
            original_due=due.due,
            due=due.due,
            reference=due.reference,
        )
    if case.status is CaseStatus.CLOSED:
        case.closed_on = data.decided_on
    return assessment


def _ongoing_investigation(session: Session, case: Case, case_number: str | None) -> int:
    """Return the id of the child's ongoing investigation this report joins."""
    query = select(Case).where(
        Case.child_id == case.child_id, Case.id != case.id, Case.status.in_(ONGOING)
    )
    if case_number:
        query = query.where(Case.case_number == case_number)
    ongoing = session.scalars(query.order_by(Case.opened_at.desc())).first()
    if ongoing is None:
        raise InvalidInput(
            "Barnet har ingen pågående utredning eller insats att koppla anmälan till.",
            field="outcome",
        )
    return ongoing.id


def offer_early_help(
    session: Session, actor: Actor, case: Case, data: i.OfferEarlyHelp
) -> PreliminaryAssessment:
    """Screen the report out with early help offered: the decision and what was offered.

    The intervention must be in the nämnd's catalogue on the day and fit the child's age;
    refused by field before anything is added.
    """
    age = age_in_years(case.child.birth_date, data.decided_on)
    service = early_help.offerable(session, data.service, on=data.decided_on, age=age)
    assessment = PreliminaryAssessment(
        case_id=case.id,
        decided_on=data.decided_on,
        outcome=PreliminaryOutcome.EARLY_HELP_OFFERED,
        on_time=data.decided_on <= case.report.preliminary_due,
        transferred_to=None,
        notes=data.notes,
        decided_by=actor.username,
    )
    case.preliminary_assessment = assessment
    session.add(
        EarlyHelp(
            case_id=case.id,
            service_id=service.id,
            started_on=data.started_on or data.decided_on,
            guardian_consent=data.guardian_consent,
            child_alone_suitable=data.child_alone_suitable and not data.guardian_consent,
            suitability_note=None if data.guardian_consent else data.suitability_note,
            informed_of_assessed_route=data.informed_of_assessed_route,
            given_during=CaseStatus.PRELIMINARY_ASSESSMENT,
            requested_by_family=False,
            recorded_by=actor.username,
            recorded_at=utcnow(),
        )
    )
    case.closed_on = data.decided_on
    return assessment


def give_early_help(session: Session, actor: Actor, case: Case, data: i.GiveEarlyHelp) -> EarlyHelp:
    """Record early help given in an open case; the case's status does not change.

    The intervention must be in the nämnd's catalogue on its first day and fit the child's
    age; refused by field before anything is added.
    """
    age = age_in_years(case.child.birth_date, data.started_on)
    service = early_help.offerable(session, data.service, on=data.started_on, age=age)
    given = EarlyHelp(
        case_id=case.id,
        service_id=service.id,
        started_on=data.started_on,
        guardian_consent=data.guardian_consent,
        child_alone_suitable=data.child_alone_suitable and not data.guardian_consent,
        suitability_note=None if data.guardian_consent else data.suitability_note,
        informed_of_assessed_route=data.informed_of_assessed_route,
        given_during=case.status,
        requested_by_family=data.requested_by_family,
        recorded_by=actor.username,
        recorded_at=utcnow(),
    )
    session.add(given)
    return given


def extend_preliminary(
    session: Session, actor: Actor, case: Case, data: i.ExtendPreliminary
) -> PreliminaryExtension:
    """Extend the preliminary assessment where the rule set allows it."""
    report = case.report
    extension = PreliminaryExtension(
        case_id=case.id,
        decided_on=data.decided_on,
        previous_due=report.preliminary_due,
        new_due=data.new_due,
        reason=data.reason,
        decided_by=actor.username,
    )
    case.preliminary_extensions.append(extension)
    report.preliminary_due = data.new_due
    return extension


def _investigation(case: Case) -> Investigation:
    # The step's check has refused a case without one.
    assert case.investigation is not None
    return case.investigation


def record_bbic(session: Session, actor: Actor, case: Case, data: i.RecordBbic) -> BbicNote:
    """Save the text for one BBIC area of the investigation (a later save replaces it)."""
    investigation = _investigation(case)
    note = next(
        (n for n in investigation.bbic_notes if n.side is data.side and n.area == data.area), None
    )
    if note is None:
        note = BbicNote(
            investigation_id=investigation.id,
            side=data.side,
            area=data.area,
            text="",
            updated_by=actor.username,
        )
        investigation.bbic_notes.append(note)
    note.text = data.text
    note.updated_at = utcnow()
    note.updated_by = actor.username
    return note


def extend_investigation(
    session: Session, actor: Actor, case: Case, data: i.ExtendInvestigation
) -> InvestigationExtension:
    """Extend the investigation for särskilda skäl."""
    investigation = _investigation(case)
    extension = InvestigationExtension(
        investigation_id=investigation.id,
        decided_on=data.decided_on,
        previous_due=investigation.due,
        new_due=data.new_due,
        reason=data.reason,
        decided_by=actor.username,
    )
    investigation.extensions.append(extension)
    investigation.due = data.new_due
    return extension


def decide_intervention(
    session: Session, actor: Actor, case: Case, data: i.DecideIntervention
) -> Intervention:
    """Decide an intervention (insats) under SoL or LVU; it starts on the decision by default."""
    intervention = Intervention(
        case_id=case.id,
        category=data.category,
        legal_basis=data.legal_basis,
        decided_on=data.decided_on,
        start_on=data.start_on or data.decided_on,
        judgment_final_on=data.judgment_final_on,
        decided_by=actor.username,
    )
    case.interventions.append(intervention)
    session.add(decisions.granted(case, intervention))
    return intervention


def refuse_intervention(
    session: Session, actor: Actor, case: Case, data: i.RefuseIntervention
) -> Decision:
    """Refuse an applied-for intervention (avslag); the decision gets its letter and notices."""
    decision = decisions.refused(case, data, decided_by=actor.username)
    session.add(decision)
    return decision


def review_placement(
    session: Session, actor: Actor, case: Case, data: i.ReviewPlacement
) -> PlacementReview:
    """Record an övervägande of a placement; the next one is due six months later."""
    placement = next(x for x in case.interventions if x.id == data.intervention_id)
    review = PlacementReview(
        intervention_id=placement.id,
        reviewed_on=data.reviewed_on,
        care_plan_revised=data.care_plan_revised,
        notes=data.notes,
        decided_by=actor.username,
    )
    placement.reviews.append(review)
    session.flush()  # the voice record names the review
    voice.record_placement_review(session, actor, case, review, _obtained(data))
    return review


def complete_investigation(
    session: Session, actor: Actor, case: Case, data: i.CompleteInvestigation
) -> Investigation:
    """Complete the investigation; timeliness is judged against the deadline incl. extensions."""
    investigation = _investigation(case)
    if data.outcome is InvestigationOutcome.TRANSFERRED:
        investigation.transferred_to = data.transferred_to
    investigation.completed_on = data.completed_on
    investigation.outcome = data.outcome
    investigation.on_time = data.completed_on <= investigation.due
    if case.status is CaseStatus.CLOSED:
        case.closed_on = data.completed_on
    return investigation


def end_intervention(
    session: Session, actor: Actor, case: Case, data: i.EndIntervention
) -> Intervention:
    """End a running intervention."""
    intervention = next(x for x in case.interventions if x.id == data.intervention_id)
    intervention.ended_on = data.ended_on
    intervention.end_reason = data.reason
    return intervention


def follow_up(session: Session, actor: Actor, case: Case, data: i.FollowUp) -> FollowUp:
    """Record a follow-up of the interventions."""
    record = FollowUp(
        case_id=case.id,
        followed_up_on=data.followed_up_on,
        notes=data.notes,
        recorded_by=actor.username,
    )
    case.follow_ups.append(record)
    session.flush()  # the voice record names the follow-up
    voice.record_follow_up(session, actor, case, record, _obtained(data))
    return record


def _obtained(data: i.FollowUp | i.ReviewPlacement) -> voice.Obtained:
    """Return how the child's view was obtained, as a step with the voice fields gives it."""
    return voice.Obtained(
        status=data.voice_status,
        reason=data.voice_reason,
        reason_text=data.voice_reason_text,
        mode=data.voice_mode,
        band=data.voice_band,
        alone=data.voice_alone,
    )


def close(session: Session, actor: Actor, case: Case, data: i.Close) -> Case:
    """Close a followed-up case once every intervention has ended."""
    case.closed_on = data.closed_on
    return case
