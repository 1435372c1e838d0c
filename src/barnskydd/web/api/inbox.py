"""The inbox: open steps with their legal deadlines, the most urgent first."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from barnskydd.cases import service as cases
from barnskydd.core.actor import Role
from barnskydd.core.clock import today
from barnskydd.web.api.deps import CaseReader
from barnskydd.web.api.errors import responses
from barnskydd.web.api.schemas import InboxItem
from barnskydd.web.deps import SessionDep

router = APIRouter(tags=["inbox"])
MAX_ITEMS = 500


class Scope(StrEnum):
    MINE = "mine"
    UNIT = "unit"


@router.get("/inbox", responses=responses(401, 403, 422))
def inbox(
    session: SessionDep,
    user: CaseReader,
    scope: Annotated[
        Scope | None,
        Query(
            description="mine: assigned to me; unit: the unit's (admin: all units). "
            "Default: mine for case workers, unit for the others."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ITEMS)] = MAX_ITEMS,
) -> list[InboxItem]:
    """List open steps with days left to the legal deadline, the most urgent first."""
    mine = scope is Scope.MINE or (scope is None and user.role is Role.CASE_WORKER)
    items = cases.open_items(
        session,
        actor=user,
        today=today(),
        limit=limit,
        assigned_to_id=user.staff_id if mine else None,
    )
    return [
        InboxItem(
            case_number=item.case_number,
            status=item.status,
            step=item.step,
            due=item.due,
            days_left=item.days_left,
            overdue=item.overdue,
            reference=item.reference,
            rule=item.rule,
        )
        for item in items
    ]
