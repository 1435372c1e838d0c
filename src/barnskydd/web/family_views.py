"""The family on the case page: guardians and household (add, change, remove) and siblings.

The forms are made from the guardian's input model (cases.family.GuardianInput): its titles
are the labels. Each form goes through the record sections' one view (web.record_form): a
refused form is undone to its savepoint and the case page is shown again with the errors
next to the fields; the audited read of the case is kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases import family
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.people.codes import LANGUAGE_LABELS, RELATION_LABELS
from barnskydd.people.guardians import CONTACT_FIELDS
from barnskydd.people.models import Guardian
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.record_form import RecordSpec, back, submit
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


SPEC = RecordSpec(failed="family_failed", anchor="familj")


@router.post("/arenden/{case_number}/vardnadshavare")
def add_guardian(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Record a guardian or household member, or show the case again with the errors."""
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: family.add_guardian(
            session, actor=user, case=case, data=GuardianInput.from_text(form)
        ),
        saved="Vårdnadshavare/hushållsmedlem: sparad.",
        which="add",
    )


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

    def change() -> Guardian:
        changes = dict(GuardianInput.from_text(form))
        if form.get("contact_hidden") == "ja":
            changes = {k: v for k, v in changes.items() if k not in CONTACT_FIELDS}
        return family.update_guardian(
            session, actor=user, case=case, guardian_id=guardian_id, changes=changes
        )

    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        change,
        saved="Vårdnadshavare/hushållsmedlem: ändrad.",
        which=f"edit-{guardian_id}",
    )


@router.post("/arenden/{case_number}/vardnadshavare/{guardian_id}/ta-bort")
def remove_guardian(
    request: Request, guardian_id: RowId, session: SessionDep, user: CaseHandler, case: CurrentCase
) -> Response:
    """Remove a guardian recorded in error or no longer of the household."""
    family.remove_guardian(session, actor=user, case=case, guardian_id=guardian_id)
    return back(request, case, "Vårdnadshavare/hushållsmedlem: borttagen.", SPEC.anchor)
