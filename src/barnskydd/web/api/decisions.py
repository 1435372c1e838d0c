"""The case's decisions on interventions: list them, get a party's letter, record who was told.

A refusal (avslag) is taken as a step (POST .../steps/refuse_intervention); a granted decision
comes with decide_intervention. The letter is a PDF; a party not of the decision is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.cases.decisions import letters
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.inputs import PARTY_PATTERN, DecisionTold
from barnskydd.cases.decisions.schemas import DecisionRead
from barnskydd.core.clock import today
from barnskydd.core.errors import NotFound
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import CASE_PURPOSE, SessionDep
from barnskydd.web.letter_pdf import render_pdf

router = APIRouter(prefix="/cases/{case_number}/decisions", tags=["decisions"])
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID, description="the decision's id")]
PartyKey = Annotated[str, Path(pattern=PARTY_PATTERN, description="'child' or 'guardian:<id>'")]


@router.get("", responses=responses(401, 403, 404, 422))
def list_decisions(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> list[DecisionRead]:
    """Return the case's decisions, newest first, with parties; the read is audited."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    views = decisions.get_all(session, actor=user, case=case, purpose=purpose)
    return [DecisionRead.of(v) for v in views]


@router.get(
    "/{decision_id}/letters/{party}",
    response_class=Response,
    responses={
        **responses(401, 403, 404, 422),
        200: {"content": {"application/pdf": {}}, "description": "the letter as PDF"},
    },
)
def letter(
    case_number: CaseNumber,
    decision_id: DecisionId,
    party: PartyKey,
    session: SessionDep,
    user: CaseReader,
) -> Response:
    """Return the decision letter (beslutsmeddelande) to one party as PDF."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=CASE_PURPOSE)
    view = decisions.get(
        session, actor=user, case=case, decision_id=decision_id, purpose=CASE_PURPOSE
    )
    found = next((p for p in view.parties if p.key == party), None)
    if found is None:
        raise NotFound("Parten finns inte för beslutet.")
    composed = letters.compose(
        session, actor=user, case=case, view=view, party=found, today=today()
    )
    return Response(render_pdf(composed), media_type="application/pdf")


@router.post("/{decision_id}/told", responses=responses(401, 403, 404, 422))
def told(
    decision_id: DecisionId,
    session: SessionDep,
    user: CaseWriter,
    case: CaseToChange,
    body: DecisionTold,
) -> DecisionRead:
    """Record when and how a party was told (again: replaces it); returns the decision."""
    decisions.tell(session, actor=user, case=case, decision_id=decision_id, data=body)
    view = decisions.get(
        session, actor=user, case=case, decision_id=decision_id, purpose=CASE_PURPOSE
    )
    return DecisionRead.of(view)
