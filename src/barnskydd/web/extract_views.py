"""Registerutdrag on the desk: register a request, review each item, download the PDF.

Team leads (their unit's requests) and administrators only. Opening a request collects what
is held about its person, an audited read with the purpose "registerutdrag".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import GROUNDS, REQUESTER_LABELS, Ground, Requester
from barnskydd.extract.rules import BY_RULE
from barnskydd.extract.schemas import withheld_kinds
from barnskydd.people.rules import parse_identity
from barnskydd.staff import deployment
from barnskydd.web import forms
from barnskydd.web.deps import SessionDep, require
from barnskydd.web.extract_pdf import render_pdf
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])
TeamLead = Annotated[Actor, Depends(require(Role.TEAM_LEAD, Role.ADMIN))]
PURPOSE = "registerutdrag"
ID = re.compile(r"[0-9]{1,9}")
RELEASE = "release"
MSG_DATE = "Ange datumet som ÅÅÅÅ-MM-DD."
MSG_CHOICE = "Välj vem som begär utdraget."


async def form_data(request: Request) -> FormData:
    """Return the posted form (parsed once, also read by the CSRF check)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def _request_id(text: str) -> int:
    if not ID.fullmatch(text):
        raise NotFound(extracts.MSG_NOT_FOUND)
    return int(text)


def _list_context(session: Session, user: Actor) -> dict[str, Any]:
    return {
        "requests": extracts.get_all(session, actor=user, today=today()),
        "requesters": list(REQUESTER_LABELS.items()),
        "today": today().isoformat(),
    }


@router.get("/registerutdrag")
def request_list(request: Request, session: SessionDep, user: TeamLead) -> Response:
    """List the open requests by deadline, with the form to register one."""
    return render(request, "extracts.html", _list_context(session, user))


def _request_input(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """Read the request form; return its values and every field's error at once."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    try:
        values["identity"] = parse_identity(forms.text(form, "identity"))
    except InvalidInput as error:
        errors["identity"] = error.message
    try:
        values["received_on"] = dt.date.fromisoformat(forms.text(form, "received_on"))
    except ValueError:
        errors["received_on"] = MSG_DATE
    try:
        values["requester"] = Requester(forms.text(form, "requester"))
    except ValueError:
        errors["requester"] = MSG_CHOICE
    values["custody_checked"] = forms.text(form, "custody_checked") == "ja"
    if values.get("requester") is Requester.GUARDIAN and not values["custody_checked"]:
        errors["custody_checked"] = extracts.MSG_CUSTODY
    return values, errors


@router.post("/registerutdrag")
def register(request: Request, session: SessionDep, user: TeamLead, form: FormDep) -> Response:
    """Register a request and go to its review, or show the form again with the errors."""
    values, errors = _request_input(form)
    created = None
    if not errors:
        attempt = Attempt(session)
        with attempt:
            created = extracts.create(session, actor=user, today=today(), **values)
        errors = attempt.errors
    if created is None:
        context = _list_context(session, user)
        return refused_page(request, "extracts.html", context, errors, form)
    request.session["flash"] = (
        f"Begäran nr {created.id} är registrerad; besvaras senast {created.due}."
    )
    return RedirectResponse(f"/registerutdrag/{created.id}", status_code=303)


def _review_context(session: Session, user: Actor, request_id: int) -> dict[str, Any]:
    extract = extracts.collect_for(session, actor=user, request_id=request_id, purpose=PURPOSE)
    reviewed = [i for i in extract.items if i.kind not in BY_RULE]
    return {
        "extract": extract,
        "items": reviewed,
        "by_rule": len(extract.items) - len(reviewed),
        "grounds": [
            (g.value, f"Undantas: {info.label} ({info.reference})") for g, info in GROUNDS.items()
        ],
        "withheld": withheld_kinds(extract),
        "requester": REQUESTER_LABELS[extract.request.requester] if extract.request else "",
    }


@router.get("/registerutdrag/{request_id}")
def review_page(request: Request, session: SessionDep, user: TeamLead, request_id: str) -> Response:
    """Show every item held about the request's person, with the review's choice for each."""
    context = _review_context(session, user, _request_id(request_id))
    return render(request, "extract_review.html", context)


@router.post("/registerutdrag/{request_id}/granskning")
def save_review(
    request: Request, session: SessionDep, user: TeamLead, request_id: str, form: FormDep
) -> Response:
    """Record the review of every item shown (release, or withhold under a ground)."""
    number = _request_id(request_id)
    decisions: dict[str, Ground | None] = {}
    for name, value in form.multi_items():
        if not name.startswith("item:") or not isinstance(value, str):
            continue
        key = name.removeprefix("item:")
        decisions[key] = None if value == RELEASE else _ground(value, key)
    attempt = Attempt(session)
    with attempt:
        extracts.decide(
            session, actor=user, request_id=number, decisions=decisions, purpose=PURPOSE
        )
    if attempt.refused:
        context = _review_context(session, user, number)
        return refused_page(request, "extract_review.html", context, attempt.errors, form)
    request.session["flash"] = "Granskningen är sparad."
    return RedirectResponse(f"/registerutdrag/{number}", status_code=303)


@router.post("/registerutdrag/{request_id}/forlangning")
def extend(
    request: Request, session: SessionDep, user: TeamLead, request_id: str, form: FormDep
) -> Response:
    """Extend the deadline by two further months, or show the page again with the errors."""
    number = _request_id(request_id)
    attempt = Attempt(session)
    with attempt:
        try:
            told_on = dt.date.fromisoformat(str(form.get("told_on", "")))
        except ValueError:
            raise InvalidInput(MSG_DATE, field="told_on") from None
        extracts.extend(
            session,
            actor=user,
            request_id=number,
            reason=str(form.get("reason", "")),
            told_on=told_on,
            today=today(),
        )
    if attempt.refused:
        context = _review_context(session, user, number)
        return refused_page(request, "extract_review.html", context, attempt.errors, form)
    request.session["flash"] = "Tidsfristen är förlängd med två månader."
    return RedirectResponse(f"/registerutdrag/{number}", status_code=303)


def _ground(value: str, key: str) -> Ground:
    try:
        return Ground(value)
    except ValueError:
        raise InvalidInput("Välj lämna ut eller en sekretessgrund.", field=f"item:{key}") from None


@router.get("/registerutdrag/{request_id}/utdrag.pdf")
def extract_pdf(request: Request, session: SessionDep, user: TeamLead, request_id: str) -> Response:
    """Return the reviewed extract as a PDF (refused while an item is not reviewed)."""
    number = _request_id(request_id)
    attempt = Attempt(session)
    produced = None
    with attempt:
        produced = extracts.produce(session, actor=user, request_id=number, purpose=PURPOSE)
    if produced is None:
        context = {
            "heading": "Utdraget kan inte tas fram",
            "detail": attempt.errors.get("decisions", ""),
        }
        return render(request, "error.html", context, status_code=409)
    name = deployment.municipality(session).name
    return Response(
        render_pdf(produced, municipality=name, today=today()),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="registerutdrag-{number}.pdf"'},
    )
