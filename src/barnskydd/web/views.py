"""Inkorg, the analyst's overview and registering a report of concern."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases import service as cases
from barnskydd.cases.codes import (
    CHANNEL_LABELS,
    CONCERN_LABELS,
    REPORTER_LABELS,
    STATUS_LABELS,
)
from barnskydd.cases.schemas import ReportCreate, SiblingCreate
from barnskydd.core import messages
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.deviations import service as deviations
from barnskydd.drafts.service import REPORT_NEW
from barnskydd.extract import service as extracts
from barnskydd.people.codes import PROTECTED_LABELS
from barnskydd.people.rules import Gender, IdentityKind, parse_identity
from barnskydd.staff import service as staff
from barnskydd.staff.models import Unit
from barnskydd.voice import service as voice
from barnskydd.web import forms
from barnskydd.web.deps import CaseHandler, CurrentUser, SessionDep
from barnskydd.web.draft_views import forget, report_draft
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])

# The people service names its fields after the child; the form prefixes them.
CHILD_FIELDS = {
    "identity": "child_identity",
    "first_name": "child_first_name",
    "last_name": "child_last_name",
    "staff_id": "assigned_to_id",
    "received": "received_at",
}


async def form_data(request: Request) -> FormData:
    """Return the posted form (parsed once, also read by the CSRF check)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


@router.get("/")
def inbox(request: Request, session: SessionDep, user: CurrentUser, alla: bool = False) -> Response:
    """Show open steps by deadline (case workers: their own first); analysts get counts only."""
    if user.role is Role.ANALYST:
        summary = cases.summary(session, today=today())
        labels = [(s, label) for s, label in STATUS_LABELS.items()]
        return render(request, "overview.html", {"summary": summary, "labels": labels})
    mine = user.role is Role.CASE_WORKER and not alla
    items = cases.open_items(
        session,
        actor=user,
        today=today(),
        limit=500,
        assigned_to_id=user.staff_id if mine else None,
    )
    requests = extracts.get_all(session, actor=user, today=today())  # team lead, admin
    notes = voice.concerns(session, user, assigned_to_id=user.staff_id if mine else None)
    overdue = deviations.overdue_actions(session, actor=user, on=today(), owned_only=True)
    context = {
        "items": items,
        "mine": mine,
        "extracts": requests,
        "voice_notes": notes,
        "overdue_actions": overdue,
    }
    return render(request, "inbox.html", context)


def _choices(session: Session, user: Actor) -> dict[str, Any]:
    query = select(Unit).order_by(Unit.name)
    if user.role is not Role.ADMIN:
        query = query.where(Unit.id == user.unit_id)
    units = list(session.scalars(query))
    members = [
        m
        for u in units
        for m in staff.get_all(session, unit_id=u.id)
        if m.role in (Role.CASE_WORKER, Role.TEAM_LEAD)
    ]
    return {
        "protected": list(PROTECTED_LABELS.items()),
        "channels": list(CHANNEL_LABELS.items()),
        "concerns": list(CONCERN_LABELS.items()),
        "reporters": list(REPORTER_LABELS.items()),
        "units": [(u.id, u.name) for u in units],
        "workers": [(m.id, m.display_name) for m in members],
        "default_unit": user.unit_id or "",
        "default_worker": user.staff_id if user.role is Role.CASE_WORKER else "",
        "now": forms.now_local(),
        "sibling_rows": SIBLING_ROWS,
    }


@router.get("/anmalan/ny")
def report_form(request: Request, session: SessionDep, user: CaseHandler) -> Response:
    """Show the report form, filled in from the user's draft when there is one."""
    return render(
        request, "report_new.html", {**_choices(session, user), **report_draft(session, user)}
    )


def _report_input(form: FormData) -> dict[str, Any]:
    try:
        received: Any = forms.local_datetime(form, "received_at")
    except InvalidInput:
        received = forms.text(form, "received_at")
    return {
        "child_identity": forms.text(form, "child_identity"),
        "child_first_name": forms.text(form, "child_first_name"),
        "child_last_name": forms.text(form, "child_last_name"),
        "protected_identity": forms.text(form, "protected_identity") or "none",
        "received_at": received,
        "channel": forms.text(form, "channel"),
        "reporter_category": forms.text(form, "reporter_category"),
        "mandatory_reporter": forms.text(form, "mandatory_reporter") == "ja",
        "feedback_requested": forms.text(form, "feedback_requested") == "ja",
        "reporter_name": forms.optional_text(form, "reporter_name"),
        "reporter_organisation": forms.optional_text(form, "reporter_organisation"),
        "reporter_contact": forms.optional_text(form, "reporter_contact"),
        "concerns": [c for c in form.getlist("concerns") if isinstance(c, str)],
        "free_text": forms.text(form, "free_text"),
        "unit_id": forms.text(form, "unit_id"),
        "assigned_to_id": forms.optional_text(form, "assigned_to_id"),
    }


# The form's sibling rows, named by letter (a draft's field names hold no digits); a report
# about more children is registered in parts.
SIBLING_ROWS = ("a", "b", "c")
SIBLING_FIELDS = ("identity", "first_name", "last_name")
# A service refusal about the i:th sibling names "siblings.i.identity"; the form's field.
SIBLING_RENAMES = {
    f"siblings.{i}.{name}": f"sibling_{row}_{name}"
    for i, row in enumerate(SIBLING_ROWS)
    for name in SIBLING_FIELDS
}


def _siblings(form: FormData) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Return the form's filled sibling rows and the errors of each field, by the form's name.

    Each row is checked on its own here, so that an error stands next to its field (the
    report's model names only "siblings"); an empty row is left out. A sibling given twice,
    or the same as the child, is refused next to the sibling's identity number.
    """
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for letter in SIBLING_ROWS:
        row = {name: forms.text(form, f"sibling_{letter}_{name}") for name in SIBLING_FIELDS}
        if not any(row.values()):
            continue
        if not rows:  # the child's number, parsed only when there is a sibling to compare
            with suppress(InvalidInput):  # the child's own field says what is wrong with it
                seen.add(parse_identity(forms.text(form, "child_identity")).number)
        try:
            sibling = SiblingCreate.model_validate(row)
        except ValidationError as error:
            for name, text in messages.field_errors(error.errors(), choices_shown=True).items():
                errors[f"sibling_{letter}_{name}"] = text
        else:
            if sibling.identity.number in seen:
                errors[f"sibling_{letter}_identity"] = MSG_SAME_CHILD
            seen.add(sibling.identity.number)
        rows.append(row)
    return rows, errors


MSG_SAME_CHILD = "Samma barn står två gånger bland barnet och syskonen."


IDENTITY_KINDS = {
    IdentityKind.personnummer: "Personnummer",
    IdentityKind.samordningsnummer: "Samordningsnummer",
    IdentityKind.reserve: "Reservnummer",
}
GENDERS = {Gender.girl: "flicka", Gender.boy: "pojke", Gender.unknown: "kön okänt"}


@router.post("/anmalan/kontrollera-id")
def check_identity(request: Request, user: CaseHandler, form: FormDep) -> Response:
    """Check the child's identity number when the field is left; answer with what goes next to it.

    An htmx fragment: the number is checked, not looked up, so nothing about a child is read
    (and nothing audited); the confirmation repeats what the number itself says, so that a
    mistyped birth date is seen before the report is registered.
    """
    value = forms.text(form, "child_identity")
    problem = confirmed = ""
    if value:
        try:
            identity = parse_identity(value)
        except InvalidInput as error:
            problem = error.message
        else:
            confirmed = (
                f"{IDENTITY_KINDS[identity.kind]}: {GENDERS[identity.gender]}, "
                f"född {identity.birth_date.isoformat()}."
            )
    context = {"problem": problem, "confirmed": confirmed}
    return render(request, "_identity_check.html", context)


@router.post("/anmalan/ny")
def register_report(
    request: Request, session: SessionDep, user: CaseHandler, form: FormDep
) -> Response:
    """Register the report and go to its case, or show the form again with the errors."""
    case = None
    siblings, sibling_errors = _siblings(form)
    attempt = Attempt(
        session, renames={**CHILD_FIELDS, **SIBLING_RENAMES}, whole_form="reporter_category"
    )
    with attempt:
        # The model parses the identity numbers, once; its errors stand next to the others.
        data = ReportCreate.model_validate(
            {**_report_input(form), "siblings": [] if sibling_errors else siblings}
        )
        if not sibling_errors:  # the rest of the form is still checked, to show every error
            case = cases.register_report(session, actor=user, data=data)
    errors = {**attempt.errors, **sibling_errors}
    if case is None:
        context = _choices(session, user)
        return refused_page(request, "report_new.html", context, errors, form, lists=("concerns",))
    forget(session, user, REPORT_NEW)
    request.session["flash"] = (
        f"Anmälan är registrerad som {case.case_number}. Gör skyddsbedömningen nu."
    )
    return RedirectResponse(f"/arenden/{case.case_number}", status_code=303)
