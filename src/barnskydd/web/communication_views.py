"""Communication before a decision on the case page: what was sent, to whom, the answers.

The section's context is plain data; the read is audited by the service with the case page's
purpose. Recording a communication and its answer go through the record sections' one view
(web.record_form). A decision taken while a communication waits is refused by the chain's
check (FL 25 §) and shown next to the decision's date field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.models import RECIPIENT_LABELS, Communication
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.record_form import RecordSpec, submit
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
SPEC = RecordSpec(failed="communication_failed", anchor="kommunicering")
LABELS = {
    name: info.title or name
    for model in (CommunicationAdd, CommunicationAnswer)
    for name, info in model.model_fields.items()
}


def _row(item: Communication) -> dict[str, Any]:
    on = today()
    return {
        "id": item.id,
        "to": RECIPIENT_LABELS[item.recipient_kind],
        "recipient": item.recipient,
        "material": item.material,
        "sent_on": item.sent_on.isoformat(),
        "answer_by": item.answer_by.isoformat(),
        "answered_on": item.answered_on.isoformat() if item.answered_on else None,
        "answer": item.answer,
        "waiting": item.answered_on is None and item.answer_by >= on,
    }


def communication_context(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's communication section."""
    items = communication.get_all(session, actor=user, case=case, purpose=CASE_PURPOSE)
    return {
        "communications": [_row(item) for item in items],
        "communication_labels": LABELS,
        "recipient_kinds": [(k.value, label) for k, label in RECIPIENT_LABELS.items()],
        "communication_failed": None,
    }


@router.post("/arenden/{case_number}/kommunicering")
def add(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Record material sent to a party, or show the case again with the errors."""
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: communication.add(
            session, actor=user, case=case, data=CommunicationAdd.from_text(form)
        ),
        saved="Kommuniceringen registrerad.",
        which="add",
    )


@router.post("/arenden/{case_number}/kommunicering/{communication_id}/svar")
def answer(
    request: Request,
    communication_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Record the party's answer, once."""
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: communication.answer(
            session,
            actor=user,
            case=case,
            communication_id=communication_id,
            data=CommunicationAnswer.from_text(form),
        ),
        saved="Svaret registrerat.",
        which=f"answer-{communication_id}",
    )
