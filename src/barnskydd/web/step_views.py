"""Taking a step on the desk: one view for every step, driven by the step's spec.

The form (web/templates/_step_forms.html) is made from the same spec, so a new step needs
nothing here. A refused step is undone to its savepoint and the case page is shown again with
the errors next to the fields (422); the audited read of the case that page shows is kept.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases import chain
from barnskydd.cases.chain.spec import StepSpec
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.drafts.service import case_step_key
from barnskydd.web import draft_views, forms
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CaseHandler, CurrentCase, SessionDep
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _refused(
    request: Request,
    session: SessionDep,
    user: Actor,
    case: Case,
    spec: StepSpec,
    form: FormData,
    errors: dict[str, str],
) -> Response:
    """Show the case again with the step's errors next to its fields (422)."""
    session.expire_all()  # what the step changed in memory is gone with its savepoint
    context = page_context(session, user, case)
    context.update(
        errors=spec.desk_errors(errors), values=forms.values(form), failed_step=spec.step.value
    )
    return render(request, "case.html", context, status_code=422)


@router.post("/arenden/{case_number}/steg/{step}")
def take_step(
    request: Request,
    step: Step,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Take one step of the chain, or show the case again with the errors next to the fields."""
    spec = chain.STEPS[step]
    try:
        data = spec.input.from_text(form)
    except ValidationError as error:
        errors = forms.validation_errors(error)
        return _refused(request, session, user, case, spec, form, errors)
    try:
        # Only the step is undone on failure: the audited read of the case that the 422
        # page shows again is kept when the request's transaction commits.
        with session.begin_nested():
            chain.take(session, actor=user, case=case, data=data)
    except (InvalidInput, ForbiddenTransition) as error:
        return _refused(request, session, user, case, spec, form, forms.domain_errors(error))
    draft_views.forget(session, user, case_step_key(case.id, step.value))
    request.session["flash"] = f"{spec.title}: sparat."
    return RedirectResponse(f"/arenden/{case.case_number}", status_code=303)
