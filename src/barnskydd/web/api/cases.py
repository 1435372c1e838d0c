"""Register a report, read a case (audited with its purpose) and reassign it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from barnskydd.audit.purpose import MAX_LENGTH, MIN_LENGTH
from barnskydd.audit.purpose import Purpose as AuditPurpose
from barnskydd.cases import family
from barnskydd.cases import service as cases
from barnskydd.cases.read import case_read
from barnskydd.cases.schemas import CaseRead
from barnskydd.core.clock import today
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.api.schemas import Assignment, Reassign, ReportCreated, ReportIn
from barnskydd.web.deps import SessionDep

router = APIRouter(tags=["cases"])

Purpose = Annotated[
    AuditPurpose,
    Query(
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        description="why the case is read; stored in the audit trail with the read, so it may "
        "hold no identity number, e-mail address or other identifier of a person (422)",
        examples=["handläggning"],
    ),
]


@router.post("/reports", status_code=201, responses=responses(401, 403, 422))
def register_report(
    request: Request, response: Response, session: SessionDep, user: CaseWriter, data: ReportIn
) -> ReportCreated:
    """Register a report of concern; the case's deadlines start at once."""
    case = cases.register_report(session, actor=user, data=data)
    read = case_read(case, today=today())
    response.headers["Location"] = str(request.url_for("read_case", case_number=case.case_number))
    return ReportCreated(
        case_number=read.case_number,
        status=case.status,
        law=read.law,
        deadlines=read.deadlines,
        sibling_case_numbers=family.group_cases(session, case=case),
    )


@router.get("/cases/{case_number}", responses=responses(401, 403, 404, 422))
def read_case(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> CaseRead:
    """Return a case with its chain and deadlines; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    return case_read(case, today=today())


@router.post("/cases/{case_number}/reassign", responses=responses(401, 403, 404, 422))
def reassign(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: Reassign
) -> Assignment:
    """Give the case to another case worker of its unit (team leads and admins)."""
    cases.reassign(session, actor=user, case_id=case.id, staff_id=body.staff_id)
    return Assignment(case_number=case.case_number, assigned_to_id=body.staff_id)
