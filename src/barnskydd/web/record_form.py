"""One view for every record section's forms on the case page, driven by the section's spec.

The journal, the family, the investigation plan and the communications each post small
forms (add, change, sign, remove) from the case page. They all do the same thing, as the
chain's step forms do (web/step_views.py): run the change in a savepoint (web.refusal); on a
refusal show the case page again (422) with the errors next to the failed form's fields and
the audited reads of that page kept; on success forget the form's draft, flash what was done
and go back to the section. A section says only where it lives:

    JOURNAL = RecordSpec(failed="failed_journal", anchor="journal", draft="journal")

    @router.post("/arenden/{case_number}/journal")
    def add(request, session, user, case, form):
        return submit(JOURNAL, request, session, user, case, form,
                      lambda: journal.create(...), saved="Sparad.", saves_draft=True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.drafts.service import case_step_key
from barnskydd.web import draft_views
from barnskydd.web.refusal import Attempt, refused_page

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """Where a record section lives on the case page.

    `failed` is the context key the section's template reads to know its form failed (its
    value names which form: `which` in `submit`, or `draft`/`anchor` by default); `anchor` the
    section's id to go back to; `draft` the key of the section's new-record form's draft
    (case:{id}:{draft}), forgotten when that form is saved (`submit(..., saves_draft=True)`),
    or None when the section has no draft.
    """

    failed: str
    anchor: str
    draft: str | None = None


def back(request: Request, case: Case, message: str, anchor: str) -> Response:
    """Flash the message and go back to the anchor on the case page (303)."""
    request.session["flash"] = message
    return RedirectResponse(f"/arenden/{case.case_number}#{anchor}", status_code=303)


def submit(
    spec: RecordSpec,
    request: Request,
    session: Session,
    user: Actor,
    case: Case,
    form: FormData,
    change: Callable[[], T],
    *,
    saved: str,
    which: str | None = None,
    anchor: Callable[[T], str] | None = None,
    saves_draft: bool = False,
) -> Response:
    """Run one form's change; go back with `saved`, or show the page again with the errors.

    `which` names the failed form when a section has several (the family's "add", "edit-3");
    `anchor` picks where to go back to from what the change returned (the new entry's id);
    `saves_draft` says the form is the one the section's draft is of (signing an entry is not).
    """
    from barnskydd.web.case_page import page_context  # the page imports the sections' contexts

    attempt = Attempt(session)
    with attempt:
        result = change()
    if attempt.refused:
        context = page_context(session, user, case)
        context[spec.failed] = which or spec.draft or spec.anchor
        return refused_page(request, "case.html", context, attempt.errors, form)
    if saves_draft and spec.draft is not None:
        draft_views.forget(session, user, case_step_key(case.id, spec.draft))
    return back(request, case, saved, anchor(result) if anchor else spec.anchor)
