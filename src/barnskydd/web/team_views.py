"""Enhetens ärenden (the team lead's view), reassignment and naming staff for protected children."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases import service as cases
from barnskydd.cases import team
from barnskydd.cases.chain.checks import reassignment_warning
from barnskydd.cases.codes import STATUS_LABELS, CaseStatus
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.deviations import service as deviations
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember
from barnskydd.web import forms
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CurrentCase, SessionDep, require
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
TeamLead = Annotated[Actor, Depends(require(Role.TEAM_LEAD, Role.ADMIN))]

MSG_UNIT = "Välj en enhet i listan."
MSG_WORKER = "Välj en handläggare i listan."
ID = re.compile(r"[0-9]{1,9}")
OPEN_STATUSES = [s for s in CaseStatus if s is not CaseStatus.CLOSED]


def team_context(session: Session, user: Actor, unit_id: int | None) -> dict[str, Any]:
    """Return the team view's context as plain data (safe to render after a rollback)."""
    units = team.units(session, actor=user)
    chosen = unit_id if unit_id is not None else (units[0].id if units else None)
    return {
        "units": [(u.id, u.name) for u in units],
        "team": None
        if chosen is None
        else team.get(session, actor=user, unit_id=chosen, today=today()),
        "risk_labels": list(team.RISK_LABELS.items()),
        "statuses": [(s, STATUS_LABELS[s]) for s in OPEN_STATUSES],
        "failed": None,
        "overdue_actions": []
        if chosen is None
        else deviations.overdue_actions(session, actor=user, on=today(), unit_id=chosen),
    }


@router.get("/enhet")
def team_page(
    request: Request, session: SessionDep, user: TeamLead, enhet: str | None = None
) -> Response:
    """Show the unit's open steps by deadline risk and the caseload per worker."""
    units = {u.id for u in team.units(session, actor=user)}
    chosen = _number(enhet or "")
    if enhet is not None and chosen not in units:
        context = team_context(session, user, None)
        context.update(errors={"enhet": MSG_UNIT}, values={"enhet": enhet})
        return render(request, "team.html", context, status_code=422)
    return render(request, "team.html", team_context(session, user, chosen))


def _number(value: str) -> int | None:
    """Return a database id typed in a form or query, or None for anything else."""
    return int(value) if ID.fullmatch(value) else None


def _staff_id(form: FormData) -> int:
    staff_id = _number(forms.text(form, "staff_id"))
    if staff_id is None:
        raise InvalidInput(MSG_WORKER, field="staff_id")
    return staff_id


def _back(user: Actor, case: Case, to_case: bool) -> str:
    if to_case:
        return f"/arenden/{case.case_number}"
    return f"/enhet?enhet={case.unit_id}" if user.role is Role.ADMIN else "/enhet"


@router.post("/arenden/{case_number}/omfordela")
def reassign(
    request: Request, session: SessionDep, user: TeamLead, case: CurrentCase, form: FormDep
) -> Response:
    """Give the case to another worker of its unit, back to the team view or the case page."""
    to_case = forms.text(form, "tillbaka") == "arende"
    attempt = Attempt(session)
    with attempt:
        case = cases.reassign(session, actor=user, case_id=case.id, staff_id=_staff_id(form))
    if attempt.refused:  # the page shown again is read (and audited) in the kept transaction
        if to_case:
            context = {**page_context(session, user, case), "panel_failed": "reassign"}
        else:
            context = {**team_context(session, user, case.unit_id), "failed": case.case_number}
        template = "case.html" if to_case else "team.html"
        return refused_page(request, template, context, attempt.errors, form)
    worker = session.get(StaffMember, case.assigned_to_id) if case.assigned_to_id else None
    name = worker.display_name if worker else ""
    note = (
        reassignment_warning(session, staff.actor_for(worker), case.status, today())
        if worker
        else None
    )
    request.session["flash"] = f"Ärende {case.case_number} är fördelat till {name}." + (
        f" {note}" if note else ""
    )
    return RedirectResponse(_back(user, case, to_case), status_code=303)


Change = Callable[..., object]


def _access(
    request: Request,
    session: Session,
    user: Actor,
    case: Case,
    form: FormData,
    *,
    change: Change,
    action: str,
    done: str,
) -> Response:
    attempt = Attempt(session)
    with attempt:
        change(session, actor=user, case_id=case.id, staff_id=_staff_id(form))
    if attempt.refused:
        context = {**page_context(session, user, case), "panel_failed": action}
        return refused_page(request, "case.html", context, attempt.errors, form)
    request.session["flash"] = done
    return RedirectResponse(f"/arenden/{case.case_number}", status_code=303)


@router.post("/arenden/{case_number}/atkomst")
def grant(
    request: Request, session: SessionDep, user: TeamLead, case: CurrentCase, form: FormDep
) -> Response:
    """Name a worker of the unit for the case's child (protected identity)."""
    return _access(
        request,
        session,
        user,
        case,
        form,
        change=cases.grant_access,
        action="grant",
        done="Åtkomst given.",
    )


@router.post("/arenden/{case_number}/atkomst/ta-bort")
def revoke(
    request: Request, session: SessionDep, user: TeamLead, case: CurrentCase, form: FormDep
) -> Response:
    """Take a named worker's access to the case's child away."""
    return _access(
        request,
        session,
        user,
        case,
        form,
        change=cases.revoke_access,
        action="revoke",
        done="Åtkomsten är borttagen.",
    )
