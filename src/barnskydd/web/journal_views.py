"""The journal on the desk: add an entry (or a correction), sign and delete one.

A refusal (refused input, a signed entry) goes through web.refusal: the case page again (422)
with the errors next to the journal form's fields; the audited reads of that page are kept.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.drafts.service import case_step_key
from barnskydd.web import draft_views
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.journal_section import FORM
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _back(request: Request, case: Case, message: str, anchor: str = "journal") -> Response:
    request.session["flash"] = message
    return RedirectResponse(f"/arenden/{case.case_number}#{anchor}", status_code=303)


def _refused(
    request: Request, session: SessionDep, user: Actor, case: Case, attempt: Attempt, form: FormData
) -> Response:
    context = page_context(session, user, case)
    context["failed_journal"] = FORM
    return refused_page(request, "case.html", context, attempt.errors, form)


@router.post("/arenden/{case_number}/journal")
def add(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Add an unsigned entry, or a correction of a signed one (the form's `corrects`)."""
    attempt = Attempt(session)
    with attempt:
        data = JournalAdd.from_text(form)
        if data.corrects is None:
            entry = journal.create(session, actor=user, case=case, data=data)
        else:
            entry = journal.correct(
                session, actor=user, case=case, entry_id=data.corrects, data=data
            )
    if attempt.refused:
        return _refused(request, session, user, case, attempt, form)
    draft_views.forget(session, user, case_step_key(case.id, FORM))
    return _back(
        request,
        case,
        "Journalanteckningen sparad. Signera den när den är klar.",
        f"anteckning-{entry.id}",
    )


@router.post("/arenden/{case_number}/journal/{entry_id}/signera")
def sign(
    request: Request,
    entry_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Sign your own entry."""
    attempt = Attempt(session)
    with attempt:
        journal.sign(session, actor=user, case=case, entry_id=entry_id)
    if attempt.refused:
        return _refused(request, session, user, case, attempt, form)
    return _back(request, case, "Journalanteckningen signerad.", f"anteckning-{entry_id}")


@router.post("/arenden/{case_number}/journal/{entry_id}/radera")
def delete(
    request: Request,
    entry_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Delete your own unsigned entry."""
    attempt = Attempt(session)
    with attempt:
        journal.delete(session, actor=user, case=case, entry_id=entry_id)
    if attempt.refused:
        return _refused(request, session, user, case, attempt, form)
    return _back(request, case, "Journalanteckningen borttagen.")
