"""The case's investigation plan: read it (audited with its purpose) with the deadline; add,
change and remove items while the investigation is open (409 after). Bodies are the plan's
input models (strict JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd, PlanEdit
from barnskydd.cases.plan.schemas import PlanItemRead, PlanRead
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(prefix="/cases/{case_number}/plan", tags=["plan"])
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="the item's id")]


@router.get("", responses=responses(401, 403, 404, 422))
def read_plan(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> PlanRead:
    """Return the plan with the investigation's deadline; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    read = plan.get(session, actor=user, case=case, purpose=purpose)
    return PlanRead.of(read)


@router.post("", status_code=201, responses=responses(401, 403, 404, 409, 422))
def add_item(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: PlanAdd
) -> PlanItemRead:
    """Add an item (409 when the case has no open investigation)."""
    return PlanItemRead.of(plan.add(session, actor=user, case=case, data=body))


@router.patch("/{item_id}", responses=responses(401, 403, 404, 409, 422))
def edit_item(
    item_id: ItemId, session: SessionDep, user: CaseWriter, case: CaseToChange, body: PlanEdit
) -> PlanItemRead:
    """Change the given fields of an item (409 when the investigation is closed)."""
    return PlanItemRead.of(plan.update(session, actor=user, case=case, item_id=item_id, data=body))


@router.delete("/{item_id}", status_code=204, responses=responses(401, 403, 404, 409, 422))
def delete_item(
    item_id: ItemId, session: SessionDep, user: CaseWriter, case: CaseToChange
) -> Response:
    """Remove an item (409 when the investigation is closed)."""
    plan.remove(session, actor=user, case=case, item_id=item_id)
    return Response(status_code=204)
