"""Decisions on the desk: the letter to a party (printable page and PDF), and when they were told.

Viewing a letter is an audited read of the decision and the guardians (the service's); the
told-date is a write of its own. A refusal (a party not of the decision, an impossible day)
goes through web.refusal: the case page again (422) with the error next to the field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from barnskydd.cases.decisions import letters
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.codes import WAY_LABELS
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.cases.feedback import Letter
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.core.errors import NotFound
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.letter_pdf import render_pdf
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
PartyKey = Annotated[str, Path(max_length=30)]
MSG_NO_PARTY = "Parten finns inte för beslutet."


def _letter(
    session: SessionDep, user: Actor, case: Case, decision_id: int, party: str
) -> tuple[decisions.DecisionView, decisions.Party, Letter]:
    view = decisions.get(
        session, actor=user, case=case, decision_id=decision_id, purpose=CASE_PURPOSE
    )
    found = next((p for p in view.parties if p.key == party), None)
    if found is None:
        raise NotFound(MSG_NO_PARTY)
    letter = letters.compose(session, actor=user, case=case, view=view, party=found, today=today())
    return view, found, letter


@router.get("/arenden/{case_number}/beslut/{decision_id}/brev/{party}")
def letter_page(
    request: Request,
    decision_id: RowId,
    party: PartyKey,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
) -> Response:
    """Show the decision letter to one party, ready to print, with its PDF and told-form."""
    view, found, letter = _letter(session, user, case, decision_id, party)
    context = {
        "letter": letter,
        "decision_id": decision_id,
        "party": found,
        "decision_ways": list(WAY_LABELS.items()),
        "heading": view.heading,
    }
    return render(request, "decision_letter.html", context)


@router.get("/arenden/{case_number}/beslut/{decision_id}/brev/{party}/pdf")
def letter_pdf(
    decision_id: RowId, party: PartyKey, session: SessionDep, user: CaseHandler, case: CurrentCase
) -> Response:
    """Return the decision letter to one party as a PDF to download."""
    _, _, letter = _letter(session, user, case, decision_id, party)
    name = party.replace(":", "-")
    filename = f"beslut-{case.case_number}-{decision_id}-{name}.pdf"
    return Response(
        render_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/arenden/{case_number}/beslut/{decision_id}/delgivning")
def told(
    request: Request,
    decision_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Record when and how a party was told of the decision, and go back to the case."""
    attempt = Attempt(session)
    with attempt:
        data = DecisionTold.from_text(form)
        decisions.tell(session, actor=user, case=case, decision_id=decision_id, data=data)
    if attempt.refused:
        context = page_context(session, user, case)
        context["failed_decision"] = decision_id
        return refused_page(request, "case.html", context, attempt.errors, form)
    request.session["flash"] = "Delgivningen är registrerad. Sista dag att överklaga visas."
    return RedirectResponse(f"/arenden/{case.case_number}#beslut-{decision_id}", status_code=303)
