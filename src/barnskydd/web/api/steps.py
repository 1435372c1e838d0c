"""One POST per step of the chain, each calling its function in barnskydd.cases.steps.

Every route answers with the case as it stands after the step; a step the transition table
does not allow now is 409, input the step refuses is 422, and nothing is written either way.
"""

from __future__ import annotations

from fastapi import APIRouter

from barnskydd.cases import steps
from barnskydd.cases.models import Case
from barnskydd.cases.read import case_read
from barnskydd.cases.schemas import CaseRead
from barnskydd.core.clock import today
from barnskydd.web.api import schemas as s
from barnskydd.web.api.deps import CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(
    prefix="/cases/{case_number}/steps",
    tags=["steps"],
    responses=responses(401, 403, 404, 409, 422),
)


def _read(case: Case) -> CaseRead:
    return case_read(case, today=today())


@router.post("/assess_protection", summary="Skyddsbedömning")
def assess_protection(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.AssessProtection
) -> CaseRead:
    """Record the protection assessment."""
    steps.assess_protection(
        session,
        actor=user,
        case_id=case.id,
        assessed_at=body.assessed_at,
        immediate_protection_needed=body.immediate_protection_needed,
        notes=body.notes,
    )
    return _read(case)


@router.post("/decide_preliminary", summary="Beslut efter förhandsbedömning")
def decide_preliminary(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.DecidePreliminary
) -> CaseRead:
    """Decide whether to open an investigation; opening starts its four months."""
    steps.decide_preliminary(
        session,
        actor=user,
        case_id=case.id,
        decided_on=body.decided_on,
        outcome=body.outcome,
        transferred_to=body.transferred_to,
        linked_case_number=body.linked_case_number,
        notes=body.notes,
    )
    return _read(case)


@router.post("/record_bbic", summary="Dokumentera enligt BBIC")
def record_bbic(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.RecordBbic
) -> CaseRead:
    """Save the text of one BBIC area of the investigation."""
    steps.record_bbic(
        session, actor=user, case_id=case.id, side=body.side, area=body.area, text=body.text
    )
    return _read(case)


@router.post("/extend_investigation", summary="Förläng utredningstiden")
def extend_investigation(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.ExtendInvestigation
) -> CaseRead:
    """Extend the investigation for särskilda skäl."""
    steps.extend_investigation(
        session,
        actor=user,
        case_id=case.id,
        decided_on=body.decided_on,
        new_due=body.new_due,
        reason=body.reason,
    )
    return _read(case)


@router.post("/decide_intervention", summary="Beslut om insats")
def decide_intervention(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.DecideIntervention
) -> CaseRead:
    """Decide an intervention under SoL or LVU."""
    steps.decide_intervention(
        session,
        actor=user,
        case_id=case.id,
        category=body.category,
        legal_basis=body.legal_basis,
        decided_on=body.decided_on,
        start_on=body.start_on,
    )
    return _read(case)


@router.post("/complete_investigation", summary="Avsluta utredningen")
def complete_investigation(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.CompleteInvestigation
) -> CaseRead:
    """Complete the investigation with its outcome."""
    steps.complete_investigation(
        session,
        actor=user,
        case_id=case.id,
        completed_on=body.completed_on,
        outcome=body.outcome,
        transferred_to=body.transferred_to,
    )
    return _read(case)


@router.post("/end_intervention", summary="Avsluta en insats")
def end_intervention(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.EndIntervention
) -> CaseRead:
    """End a running intervention."""
    steps.end_intervention(
        session,
        actor=user,
        case_id=case.id,
        intervention_id=body.intervention_id,
        ended_on=body.ended_on,
        reason=body.reason,
    )
    return _read(case)


@router.post("/follow_up", summary="Uppföljning")
def follow_up(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.FollowUp
) -> CaseRead:
    """Record a follow-up of the interventions."""
    steps.follow_up(
        session, actor=user, case_id=case.id, followed_up_on=body.followed_up_on, notes=body.notes
    )
    return _read(case)


@router.post("/close", summary="Avsluta ärendet")
def close(session: SessionDep, user: CaseWriter, case: CaseToChange, body: s.Close) -> CaseRead:
    """Close a followed-up case once every intervention has ended."""
    steps.close(session, actor=user, case_id=case.id, closed_on=body.closed_on)
    return _read(case)
