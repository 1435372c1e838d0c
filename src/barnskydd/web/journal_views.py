"""The journal on the desk: add an entry (or a correction), sign and delete one.

Each form goes through the record sections' one view (web.record_form): a refusal (refused
input, a signed entry) shows the case page again (422) with the errors next to the journal
form's fields; the audited reads of that page are kept.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.web.deps import CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.journal_section import FORM
from barnskydd.web.record_form import RecordSpec, submit
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
SPEC = RecordSpec(failed="failed_journal", anchor="journal", draft=FORM)


@router.post("/arenden/{case_number}/journal")
def add(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Add an unsigned entry, or a correction of a signed one (the form's `corrects`)."""

    def change() -> JournalEntry:
        data = JournalAdd.from_text(form)
        if data.corrects is None:
            return journal.create(session, actor=user, case=case, data=data)
        return journal.correct(session, actor=user, case=case, entry_id=data.corrects, data=data)

    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        change,
        saved="Journalanteckningen sparad. Signera den när den är klar.",
        anchor=lambda entry: f"anteckning-{entry.id}",
        saves_draft=True,
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
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: journal.sign(session, actor=user, case=case, entry_id=entry_id),
        saved="Journalanteckningen signerad.",
        anchor=lambda _: f"anteckning-{entry_id}",
    )


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
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: journal.delete(session, actor=user, case=case, entry_id=entry_id),
        saved="Journalanteckningen borttagen.",
    )
