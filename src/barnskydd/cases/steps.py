"""Service functions for each step of the chain (the case service's second half).

Each function loads the case, asks the transition table whether the step is allowed, checks
dates, writes the step and appends an audit entry. A refused step raises before anything is
added to the session, so the edge's rollback leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import (
    BBIC_AREAS,
    LVU_ONLY,
    BbicSide,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.cases.models import (
    BbicNote,
    Case,
    FollowUp,
    Intervention,
    Investigation,
    InvestigationExtension,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
)
from barnskydd.cases.rules import CaseStatus, Step, check_closing, check_completion, next_status
from barnskydd.cases.service import audit_case, authorize, load
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.law import rules as law
from barnskydd.lookup import outbox as lookup_outbox
from barnskydd.reference.municipalities import get as get_municipality

MAX_TEXT = 20_000


def _step(
    session: Session,
    actor: Actor,
    case_id: int,
    step: Step,
    outcome: PreliminaryOutcome | InvestigationOutcome | None = None,
) -> tuple[Case, CaseStatus]:
    case = load(session, case_id, whole_chain=False)
    authorize(actor, case)
    return case, next_status(case.status, step, outcome)


def _check_date(value: dt.date, *, not_before: dt.date, field: str, what: str) -> None:
    if value > today():
        raise InvalidInput(f"{what} kan inte ligga i framtiden.", field=field)
    if value < not_before:
        raise InvalidInput(f"{what} kan inte ligga före {not_before.isoformat()}.", field=field)


def _check_text(value: str, field: str, *, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput("Fältet måste fyllas i.", field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"Texten får vara högst {MAX_TEXT} tecken.", field=field)
    return text


def _check_extension(
    decided_on: dt.date, new_due: dt.date, *, not_before: dt.date, due: dt.date
) -> None:
    """Refuse an extension decided out of range or one that does not move the deadline later."""
    _check_date(decided_on, not_before=not_before, field="decided_on", what="Beslutsdatum")
    if new_due <= due:
        raise InvalidInput(
            f"Den nya tidsfristen måste ligga efter nuvarande ({due.isoformat()}).",
            field="new_due",
        )


def _transfer_target(case: Case, code: str | None) -> str:
    if not code:
        raise InvalidInput("Ange vilken kommun ärendet flyttas över till.", field="transferred_to")
    try:
        municipality = get_municipality(code)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="transferred_to") from None
    if municipality.code == case.unit.municipality_code:
        raise InvalidInput(
            "Ärendet kan inte flyttas över till den egna kommunen.", field="transferred_to"
        )
    return municipality.code


def assess_protection(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    assessed_at: dt.datetime,
    immediate_protection_needed: bool,
    notes: str = "",
) -> ProtectionAssessment:
    """Record the protection assessment (skyddsbedömning)."""
    case, status = _step(session, actor, case_id, Step.ASSESS_PROTECTION)
    if assessed_at.tzinfo is None:
        raise InvalidInput("Tidpunkten måste ange tidszon.", field="assessed_at")
    if assessed_at < case.report.received_at or assessed_at > utcnow() + dt.timedelta(minutes=5):
        raise InvalidInput(
            "Skyddsbedömningen måste göras efter att anmälan kom in och "
            "kan inte ligga i framtiden.",
            field="assessed_at",
        )
    assessment = ProtectionAssessment(
        case_id=case.id,
        assessed_at=assessed_at,
        immediate_protection_needed=immediate_protection_needed,
        notes=_check_text(notes, "notes"),
        decided_by=actor.username,
    )
    case.protection_assessment = assessment
    case.status = status
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="create",
        entity="protection_assessment",
        entity_id=assessment.id,
    )
    return assessment


def decide_preliminary(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    decided_on: dt.date,
    outcome: PreliminaryOutcome,
    transferred_to: str | None = None,
    linked_case_number: str | None = None,
    notes: str = "",
) -> PreliminaryAssessment:
    """Decide after the preliminary assessment; opening starts the investigation's clock."""
    case, status = _step(session, actor, case_id, Step.DECIDE_PRELIMINARY, outcome)
    received_on = local_date(case.report.received_at)
    _check_date(decided_on, not_before=received_on, field="decided_on", what="Beslutsdatum")
    target = None
    if outcome is PreliminaryOutcome.TRANSFERRED:
        target = _transfer_target(case, transferred_to)
    if outcome is PreliminaryOutcome.ALREADY_ONGOING:
        case.linked_case_id = _ongoing_investigation(session, case, linked_case_number)
    assessment = PreliminaryAssessment(
        case_id=case.id,
        decided_on=decided_on,
        outcome=outcome,
        on_time=decided_on <= case.report.preliminary_due,
        transferred_to=target,
        notes=_check_text(notes, "notes"),
        decided_by=actor.username,
    )
    case.preliminary_assessment = assessment
    if outcome is PreliminaryOutcome.INVESTIGATION_OPENED:
        due = law.investigation_due(decided_on, law.rule_set_by_id(case.law))
        case.investigation = Investigation(
            case_id=case.id,
            started_on=decided_on,
            original_due=due.due,
            due=due.due,
            reference=due.reference,
        )
    case.status = status
    if status is CaseStatus.CLOSED:
        case.closed_on = decided_on
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="create",
        entity="preliminary_assessment",
        entity_id=assessment.id,
    )
    lookup_outbox.refresh_child(session, child_id=case.child_id)
    return assessment


def extend_preliminary(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    decided_on: dt.date,
    new_due: dt.date,
    reason: str,
) -> PreliminaryExtension:
    """Extend the preliminary assessment where the rule set allows it; the reason is required."""
    case, _ = _step(session, actor, case_id, Step.EXTEND_PRELIMINARY)
    rule = law.rule_set_by_id(case.law).preliminary_assessment
    if rule.extension is None:
        raise InvalidInput("Regelverket medger inte förlängd förhandsbedömning.", field="new_due")
    report = case.report
    _check_extension(
        decided_on, new_due, not_before=local_date(report.received_at), due=report.preliminary_due
    )
    extension = PreliminaryExtension(
        case_id=case.id,
        decided_on=decided_on,
        previous_due=report.preliminary_due,
        new_due=new_due,
        reason=_check_text(reason, "reason", required=True),
        decided_by=actor.username,
    )
    case.preliminary_extensions.append(extension)
    report.preliminary_due = new_due
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="create",
        entity="preliminary_extension",
        entity_id=extension.id,
    )
    return extension


def _ongoing_investigation(session: Session, case: Case, case_number: str | None) -> int:
    """Return the id of the child's ongoing investigation this report joins."""
    query = select(Case).where(
        Case.child_id == case.child_id,
        Case.id != case.id,
        Case.status.in_((CaseStatus.INVESTIGATION, CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP)),
    )
    if case_number:
        query = query.where(Case.case_number == case_number.strip())
    ongoing = session.scalars(query.order_by(Case.opened_at.desc())).first()
    if ongoing is None:
        raise InvalidInput(
            "Barnet har ingen pågående utredning eller insats att koppla anmälan till.",
            field="outcome",
        )
    return ongoing.id


def _investigation(case: Case) -> Investigation:
    if case.investigation is None:
        raise NotFound("Ärendet har ingen utredning.")
    return case.investigation


def record_bbic(
    session: Session, *, actor: Actor, case_id: int, side: BbicSide, area: str, text: str
) -> BbicNote:
    """Save the text for one BBIC area of the investigation (a later save replaces it)."""
    case, _ = _step(session, actor, case_id, Step.RECORD_BBIC)
    if area not in BBIC_AREAS[side]:
        raise InvalidInput(f"Okänt BBIC-område '{area}' för sidan {side}.", field="area")
    investigation = _investigation(case)
    note = next((n for n in investigation.bbic_notes if n.side is side and n.area == area), None)
    if note is None:
        note = BbicNote(
            investigation_id=investigation.id,
            side=side,
            area=area,
            text="",
            updated_by=actor.username,
        )
        investigation.bbic_notes.append(note)
    note.text = _check_text(text, "text")
    note.updated_at = utcnow()
    note.updated_by = actor.username
    session.flush()
    audit_case(session, actor, case, action="update", entity="bbic_note", entity_id=note.id)
    return note


def extend_investigation(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    decided_on: dt.date,
    new_due: dt.date,
    reason: str,
) -> InvestigationExtension:
    """Extend the investigation for särskilda skäl; the reason is required."""
    case, _ = _step(session, actor, case_id, Step.EXTEND_INVESTIGATION)
    investigation = _investigation(case)
    _check_extension(
        decided_on, new_due, not_before=investigation.started_on, due=investigation.due
    )
    extension = InvestigationExtension(
        investigation_id=investigation.id,
        decided_on=decided_on,
        previous_due=investigation.due,
        new_due=new_due,
        reason=_check_text(reason, "reason", required=True),
        decided_by=actor.username,
    )
    investigation.extensions.append(extension)
    investigation.due = new_due
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="create",
        entity="investigation_extension",
        entity_id=extension.id,
    )
    return extension


def decide_intervention(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    category: InterventionCategory,
    legal_basis: LegalBasis,
    decided_on: dt.date,
    start_on: dt.date | None = None,
) -> Intervention:
    """Decide an intervention (insats) under SoL or LVU."""
    case, status = _step(session, actor, case_id, Step.DECIDE_INTERVENTION)
    if category in LVU_ONLY and legal_basis is not LegalBasis.LVU:
        raise InvalidInput(
            "Placering på särskilt ungdomshem kräver beslut enligt LVU.", field="legal_basis"
        )
    _check_date(
        decided_on,
        not_before=local_date(case.report.received_at),
        field="decided_on",
        what="Beslutsdatum",
    )
    start = start_on or decided_on
    if start < decided_on:
        raise InvalidInput("Insatsen kan inte börja före beslutet.", field="start_on")
    intervention = Intervention(
        case_id=case.id,
        category=category,
        legal_basis=legal_basis,
        decided_on=decided_on,
        start_on=start,
        decided_by=actor.username,
    )
    case.interventions.append(intervention)
    case.status = status
    session.flush()
    audit_case(
        session, actor, case, action="create", entity="intervention", entity_id=intervention.id
    )
    return intervention


def complete_investigation(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    completed_on: dt.date,
    outcome: InvestigationOutcome,
    transferred_to: str | None = None,
) -> Investigation:
    """Complete the investigation; timeliness is judged against the deadline incl. extensions."""
    case, status = _step(session, actor, case_id, Step.COMPLETE_INVESTIGATION, outcome)
    investigation = _investigation(case)
    _check_date(
        completed_on,
        not_before=investigation.started_on,
        field="completed_on",
        what="Datum för avslut",
    )
    check_completion(outcome, interventions_decided=len(case.interventions))
    if outcome is InvestigationOutcome.TRANSFERRED:
        investigation.transferred_to = _transfer_target(case, transferred_to)
    investigation.completed_on = completed_on
    investigation.outcome = outcome
    investigation.on_time = completed_on <= investigation.due
    case.status = status
    if status is CaseStatus.CLOSED:
        case.closed_on = completed_on
    session.flush()
    audit_case(
        session, actor, case, action="update", entity="investigation", entity_id=investigation.id
    )
    lookup_outbox.refresh_child(session, child_id=case.child_id)
    return investigation


def end_intervention(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    intervention_id: int,
    ended_on: dt.date,
    reason: str,
) -> Intervention:
    """End a running intervention."""
    case, status = _step(session, actor, case_id, Step.END_INTERVENTION)
    intervention = next((i for i in case.interventions if i.id == intervention_id), None)
    if intervention is None or intervention.ended_on is not None:
        raise InvalidInput("Ingen pågående insats med det id:t i ärendet.", field="intervention_id")
    _check_date(ended_on, not_before=intervention.start_on, field="ended_on", what="Slutdatum")
    intervention.ended_on = ended_on
    intervention.end_reason = _check_text(reason, "reason", required=True)[:200]
    case.status = status
    session.flush()
    audit_case(
        session, actor, case, action="update", entity="intervention", entity_id=intervention.id
    )
    return intervention


def follow_up(
    session: Session, *, actor: Actor, case_id: int, followed_up_on: dt.date, notes: str = ""
) -> FollowUp:
    """Record a follow-up of the interventions."""
    case, status = _step(session, actor, case_id, Step.FOLLOW_UP)
    first_start = min(i.start_on for i in case.interventions)
    _check_date(
        followed_up_on, not_before=first_start, field="followed_up_on", what="Uppföljningsdatum"
    )
    record = FollowUp(
        case_id=case.id,
        followed_up_on=followed_up_on,
        notes=_check_text(notes, "notes"),
        recorded_by=actor.username,
    )
    case.follow_ups.append(record)
    case.status = status
    session.flush()
    audit_case(session, actor, case, action="create", entity="follow_up", entity_id=record.id)
    return record


def close(session: Session, *, actor: Actor, case_id: int, closed_on: dt.date) -> Case:
    """Close a followed-up case once every intervention has ended."""
    case, status = _step(session, actor, case_id, Step.CLOSE)
    check_closing(open_interventions=sum(1 for i in case.interventions if i.ended_on is None))
    last = max(f.followed_up_on for f in case.follow_ups)
    _check_date(closed_on, not_before=last, field="closed_on", what="Avslutsdatum")
    case.status = status
    case.closed_on = closed_on
    session.flush()
    audit_case(
        session, actor, case, action="update", entity="case", entity_id=case.id, purpose="avslut"
    )
    lookup_outbox.refresh_child(session, child_id=case.child_id)
    return case
