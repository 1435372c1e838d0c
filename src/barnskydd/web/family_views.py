"""The family on the case page: guardians and household (add, change, remove) and siblings.

The forms are made from the guardian's input model (cases.family.GuardianInput): its titles
are the labels. A refused form is undone to its savepoint and the case page is shown again
with the errors next to the fields (web.refusal); the audited read of the case is kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases import family
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.people.codes import LANGUAGE_LABELS, RELATION_LABELS
from barnskydd.people.guardians import CONTACT_FIELDS
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
LABELS = {name: field.title or name for name, field in GuardianInput.model_fields.items()}


def family_context(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's family section: guardians as the user may see them, siblings."""
    return {
        "guardians": family.list_guardians(session, actor=user, case=case, purpose=CASE_PURPOSE),
        "siblings": family.sibling_cases(session, actor=user, case=case),
        "guardian_labels": LABELS,
        "relations": list(RELATION_LABELS.items()),
        "languages": list(LANGUAGE_LABELS.items()),
        "family_failed": None,
    }


def _refused(
    request: Request,
    session: Session,
    user: Actor,
    case: Case,
    attempt: Attempt,
    form: Any,
    which: str,
) -> Response:
    from barnskydd.web.case_page import page_context  # the page imports this module's context

    context = {**page_context(session, user, case), "family_failed": which}
    return refused_page(request, "case.html", context, attempt.errors, form)


def _back(request: Request, case: Case, message: str) -> Response:
    request.session["flash"] = message
    return RedirectResponse(f"/arenden/{case.case_number}#familj", status_code=303)


@router.post("/arenden/{case_number}/vardnadshavare")
def add_guardian(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Record a guardian or household member, or show the case again with the errors."""
    attempt = Attempt(session)
    with attempt:
        data = GuardianInput.from_text(form)
        family.add_guardian(session, actor=user, case=case, data=data)
    if attempt.refused:
        return _refused(request, session, user, case, attempt, form, "add")
    return _back(request, case, "Vårdnadshavare/hushållsmedlem: sparad.")


@router.post("/arenden/{case_number}/vardnadshavare/{guardian_id}")
def change_guardian(
    request: Request,
    guardian_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Change a guardian; contact details hidden from the user are not in the form, and kept."""
    attempt = Attempt(session)
    with attempt:
        data = GuardianInput.from_text(form)
        changes = dict(data)
        if form.get("contact_hidden") == "ja":
            changes = {k: v for k, v in changes.items() if k not in CONTACT_FIELDS}
        family.update_guardian(
            session, actor=user, case=case, guardian_id=guardian_id, changes=changes
        )
    if attempt.refused:
        return _refused(request, session, user, case, attempt, form, f"edit-{guardian_id}")
    return _back(request, case, "Vårdnadshavare/hushållsmedlem: ändrad.")


@router.post("/arenden/{case_number}/vardnadshavare/{guardian_id}/ta-bort")
def remove_guardian(
    request: Request, guardian_id: RowId, session: SessionDep, user: CaseHandler, case: CurrentCase
) -> Response:
    """Remove a guardian recorded in error or no longer of the household."""
    family.remove_guardian(session, actor=user, case=case, guardian_id=guardian_id)
    return _back(request, case, "Vårdnadshavare/hushållsmedlem: borttagen.")
