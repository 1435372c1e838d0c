"""Sök: cases by identity number, name or case number, screened-out reports included.

The search is a POST, so the identity number or name never appears in a URL, the browser's
history or an access log; the purpose is required and the search is audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases import search as finder
from barnskydd.cases.codes import PRELIMINARY_LABELS, STATUS_LABELS
from barnskydd.core.errors import InvalidInput
from barnskydd.people.codes import PROTECTED_LABELS, ProtectedIdentity
from barnskydd.web import forms
from barnskydd.web.deps import CaseHandler, SessionDep
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "purposes": list(finder.PURPOSE_LABELS.items()),
        "result": None,
        "status_labels": STATUS_LABELS,
        "outcome_labels": PRELIMINARY_LABELS,
        "protected_labels": PROTECTED_LABELS,
        "no_protection": ProtectedIdentity.NONE,
        **extra,
    }


@router.get("/sok")
def search_form(request: Request, user: CaseHandler) -> Response:
    """Show the empty search form."""
    return render(request, "search.html", _context())


def _errors(form: FormData) -> dict[str, str]:
    """Check the query and the purpose apart, so that both errors show at once."""
    errors: dict[str, str] = {}
    try:
        query = finder.parse_query(forms.text(form, "query"))
    except InvalidInput as error:
        errors.update(forms.domain_errors(error))
        query = finder.Query(finder.QueryKind.CASE_NUMBER, "")
    try:
        finder.purpose_text(forms.text(form, "purpose"), forms.text(form, "purpose_other"), query)
    except InvalidInput as error:
        errors.update(forms.domain_errors(error))
    return errors


@router.post("/sok")
def search(request: Request, session: SessionDep, user: CaseHandler, form: FormDep) -> Response:
    """Search and show the cases found, or the form again with the errors next to the fields."""
    attempt = Attempt(session, writes=False)
    attempt.errors = _errors(form)  # both fields' errors at once, before anything is searched
    if not attempt.refused:
        with attempt:
            result = finder.search(
                session,
                actor=user,
                query=forms.text(form, "query"),
                purpose=forms.text(form, "purpose"),
                purpose_other=forms.text(form, "purpose_other"),
            )
    if attempt.refused:
        return refused_page(request, "search.html", _context(), attempt.errors, form)
    return render(request, "search.html", _context(result=result, values=forms.values(form)))
