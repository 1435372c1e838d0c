"""The case's communications before a decision (FL 25 §): list them (audited with its
purpose), record one, record its answer (409 when already answered)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.schemas import CommunicationRead
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(prefix="/cases/{case_number}/communications", tags=["communications"])
CommunicationId = Annotated[int, Path(ge=1, le=MAX_ID, description="the communication's id")]


@router.get("", responses=responses(401, 403, 404, 422))
def list_communications(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> list[CommunicationRead]:
    """Return the case's communications, newest first; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    items = communication.get_all(session, actor=user, case=case, purpose=purpose)
    return [CommunicationRead.of(i) for i in items]


@router.post("", status_code=201, responses=responses(401, 403, 404, 422))
def add_communication(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: CommunicationAdd
) -> CommunicationRead:
    """Record material sent to a party and the last day it may answer."""
    return CommunicationRead.of(communication.add(session, actor=user, case=case, data=body))


@router.post("/{communication_id}/answer", responses=responses(401, 403, 404, 409, 422))
def answer_communication(
    communication_id: CommunicationId,
    session: SessionDep,
    user: CaseWriter,
    case: CaseToChange,
    body: CommunicationAnswer,
) -> CommunicationRead:
    """Record the party's answer, once (409 when it is already recorded)."""
    item = communication.answer(
        session, actor=user, case=case, communication_id=communication_id, data=body
    )
    return CommunicationRead.of(item)
