"""The inbox: open steps with their legal deadlines, the most urgent first."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case, Investigation, Report
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


def _references(session: Session, case_ids: list[int]) -> dict[int, str]:
    """Return the legal reference of the deadline each case waits on."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(
            Case.id,
            Case.status,
            Report.protection_reference,
            Report.preliminary_reference,
            Investigation.reference,
        )
        .join(Report, Report.case_id == Case.id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .where(Case.id.in_(case_ids))
    )
    references: dict[int, str] = {}
    for case_id, status, protection, preliminary, investigation in rows:
        if status is CaseStatus.AWAITING_PROTECTION_ASSESSMENT:
            references[case_id] = protection
        elif status is CaseStatus.PRELIMINARY_ASSESSMENT:
            references[case_id] = preliminary
        else:
            references[case_id] = investigation or ""
    return references


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
    references = _references(session, [item.case_id for item in items])
    return [
        InboxItem(
            case_number=item.case_number,
            status=item.status,
            step=item.step,
            due=item.due,
            days_left=item.days_left,
            overdue=item.overdue,
            reference=references[item.case_id],
        )
        for item in items
    ]
