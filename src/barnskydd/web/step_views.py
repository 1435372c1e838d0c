"""Taking a step on the desk: one view for every step, driven by the step's spec.

The form (web/templates/_step_forms.html) is made from the same spec, so a new step needs
nothing here. A refused step is undone to its savepoint and the case page is shown again with
the errors next to the fields (422), with web.refusal as every other form; the audited read of
the case that page shows is kept.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from barnskydd.cases import chain
from barnskydd.cases.chain.transitions import Step
from barnskydd.drafts.service import case_step_key
from barnskydd.web import draft_views
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CaseHandler, CurrentCase, SessionDep
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])


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
    # Only the step is undone on a refusal: the audited read of the case that the 422 page
    # shows again is kept when the request's transaction commits.
    attempt = Attempt(session)
    taken = None
    with attempt:
        taken = chain.take(session, actor=user, case=case, data=spec.input.from_text(form))
    if attempt.refused:
        context = page_context(session, user, case)
        context["failed_step"] = spec.step.value
        return refused_page(request, "case.html", context, spec.desk_errors(attempt.errors), form)
    draft_views.forget(session, user, case_step_key(case.id, step.value))
    warning = taken.warning if taken is not None else None
    request.session["flash"] = f"{spec.title}: sparat." + (
        f" Varning: {warning.message}" if warning else ""
    )
    return RedirectResponse(f"/arenden/{case.case_number}", status_code=303)
