"""Autosave of drafts: htmx posts a form's input as it is typed, and the form is filled from it.

The save routes answer a small fragment ("Utkast sparat 14:03"). When the session has ended
they answer 401 instead of the login redirect every other route gives, so that
static/drafts.js can keep the input in the browser until the next login (docs/web.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Case
from barnskydd.cases.service import authorize
from barnskydd.core.actor import Actor, Role
from barnskydd.core.bounds import unstorable
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import CaseNotFound, InvalidInput, PermissionDenied
from barnskydd.drafts import service as drafts
from barnskydd.drafts.models import Draft
from barnskydd.web import forms
from barnskydd.web.deps import LoginRequired, SessionDep, current_user
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import templates

router = APIRouter()

REPORT_PATH = "/anmalan/ny"
LIST_FIELDS = ("concerns",)  # checkbox groups: kept as lists, as the forms render them
HANDLERS = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class DraftInfo:
    """A draft as a form shows it: the input and when it was saved (Swedish time)."""

    values: dict[str, Any]
    saved: str


def _info(draft: Draft) -> DraftInfo:
    return DraftInfo(values=dict(draft.data), saved=_local(draft.updated_at, "%Y-%m-%d %H:%M"))


def _local(moment: dt.datetime, pattern: str) -> str:
    return moment.astimezone(SWEDEN).strftime(pattern)


def _logged_in(request: Request, session: SessionDep) -> Actor | None:
    try:
        user = current_user(request, session)
    except LoginRequired:
        return None
    if user.role not in HANDLERS:
        raise PermissionDenied("Din roll har inga formulär att spara utkast av.")
    return user


async def _checked(
    request: Request, user: Annotated[Actor | None, Depends(_logged_in)]
) -> Actor | None:
    """Return the user after the CSRF check, or None when the session has ended.

    The login is checked first: an ended session has no CSRF token, and the browser must learn
    that it has to log in again (401), not that the form was forged (403).
    """
    if user is not None:
        await verify_csrf(request)
    return user


DraftUser = Annotated[Actor | None, Depends(_checked)]


async def _form(request: Request) -> FormData:
    return await request.form()  # parsed once per request; the CSRF check reads it too


FormDep = Annotated[FormData, Depends(_form)]


def _fragment(
    request: Request,
    text: str,
    *,
    discard_url: str | None = None,
    login_next: str | None = None,
    status_code: int = 200,
) -> Response:
    """Render the draft status line (no flash message is consumed, unlike render)."""
    context = {"text": text, "discard_url": discard_url, "login_next": login_next}
    return templates.TemplateResponse(
        request, "_draft_status.html", context, status_code=status_code
    )


def _ended(request: Request, page: str) -> Response:
    text = (
        "Du har loggats ut, så utkastet kunde inte sparas på servern. Det du skriver finns kvar "
        "i den här webbläsaren tills du har loggat in igen."
    )
    response = _fragment(request, text, login_next=page, status_code=401)
    response.headers["WWW-Authenticate"] = 'Cookie realm="Barnskydd"'
    return response


def _save(
    request: Request, session: Session, user: Actor, key: str, url: str, form: FormData
) -> Response:
    try:
        saved = drafts.save(
            session,
            staff_id=_staff_id(user),
            key=key,
            data=forms.values(form, lists=LIST_FIELDS),
        )
    except InvalidInput as error:
        return _fragment(request, error.message, status_code=422)
    return _fragment(
        request, f"Utkast sparat {_local(saved, '%H:%M')}.", discard_url=f"{url}/radera"
    )


def _staff_id(user: Actor) -> int:
    if user.staff_id is None:
        raise PermissionDenied("Utkast sparas bara för personal.")
    return user.staff_id


def _draft_case(session: Session, user: Actor, case_number: str) -> Case:
    """Return the case a step draft belongs to, without reading (or auditing) the child's data."""
    case = (  # a number no column can hold (NUL) names no case: not asked of the database
        None
        if unstorable(case_number)
        else session.scalars(select(Case).where(Case.case_number == case_number)).one_or_none()
    )
    try:
        if case is None:
            raise PermissionDenied("")
        authorize(user, case)
    except PermissionDenied:
        raise CaseNotFound from None
    return case


def report_draft(session: Session, user: Actor) -> dict[str, Any]:
    """Return the report form's context from the user's draft: the values and the draft."""
    draft = drafts.get(session, staff_id=_staff_id(user), key=drafts.REPORT_NEW)
    if draft is None:
        return {"draft": None}
    info = _info(draft)
    return {"draft": info, "values": info.values}


def case_drafts(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return {"drafts": {step: DraftInfo}} for the step forms of a case page."""
    prefix = drafts.case_step_key(case.id, "")
    found = drafts.get_all(session, staff_id=_staff_id(user), prefix=prefix)
    return {"drafts": {d.form_key.removeprefix(prefix): _info(d) for d in found}}


def forget(session: Session, user: Actor, key: str) -> None:
    """Delete the user's draft of a form that was just submitted."""
    drafts.delete(session, staff_id=_staff_id(user), key=key)


@router.post(REPORT_PATH + "/utkast")
def save_report_draft(
    request: Request, session: SessionDep, user: DraftUser, form: FormDep
) -> Response:
    """Save the report form's input as the user's draft (htmx autosave)."""
    if user is None:
        return _ended(request, REPORT_PATH)
    return _save(request, session, user, drafts.REPORT_NEW, REPORT_PATH + "/utkast", form)


@router.post(REPORT_PATH + "/utkast/radera")
def discard_report_draft(request: Request, session: SessionDep, user: DraftUser) -> Response:
    """Throw away the report form's draft and show the empty form."""
    if user is None:
        raise LoginRequired
    forget(session, user, drafts.REPORT_NEW)
    return RedirectResponse(REPORT_PATH, status_code=303)


@router.post("/arenden/{case_number}/steg/{step}/utkast")
def save_step_draft(
    request: Request,
    case_number: str,
    step: Step,
    session: SessionDep,
    user: DraftUser,
    form: FormDep,
) -> Response:
    """Save one step form's input as the user's draft (htmx autosave)."""
    page = f"/arenden/{case_number}"
    if user is None:
        return _ended(request, page)
    case = _draft_case(session, user, case_number)
    key = drafts.case_step_key(case.id, step.value)
    return _save(request, session, user, key, f"{page}/steg/{step.value}/utkast", form)


@router.post("/arenden/{case_number}/steg/{step}/utkast/radera")
def discard_step_draft(
    request: Request, case_number: str, step: Step, session: SessionDep, user: DraftUser
) -> Response:
    """Throw away one step form's draft and show the case again."""
    if user is None:
        raise LoginRequired
    case = _draft_case(session, user, case_number)
    forget(session, user, drafts.case_step_key(case.id, step.value))
    return RedirectResponse(f"/arenden/{case_number}#{step.value}", status_code=303)


JOURNAL_FORM = "journal"  # the case page's journal form (web/journal_section.py)


@router.post("/arenden/{case_number}/journal/utkast")
def save_journal_draft(
    request: Request, case_number: str, session: SessionDep, user: DraftUser, form: FormDep
) -> Response:
    """Save the journal form's input as the user's draft (htmx autosave)."""
    page = f"/arenden/{case_number}"
    if user is None:
        return _ended(request, page)
    case = _draft_case(session, user, case_number)
    key = drafts.case_step_key(case.id, JOURNAL_FORM)
    return _save(request, session, user, key, f"{page}/journal/utkast", form)


@router.post("/arenden/{case_number}/journal/utkast/radera")
def discard_journal_draft(
    request: Request, case_number: str, session: SessionDep, user: DraftUser
) -> Response:
    """Throw away the journal form's draft and show the case again."""
    if user is None:
        raise LoginRequired
    case = _draft_case(session, user, case_number)
    forget(session, user, drafts.case_step_key(case.id, JOURNAL_FORM))
    return RedirectResponse(f"/arenden/{case_number}#journal-ny", status_code=303)
