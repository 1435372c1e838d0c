"""Feedback to a mandatory reporter (återkoppling): the letter as a printable page and as PDF.

Viewing the letter is a read of the case (audited by CurrentCase); recording that it was given
is a write of its own (audited by cases.feedback.record).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases import feedback
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.web.deps import CaseHandler, CurrentCase, SessionDep
from barnskydd.web.letter_pdf import render_pdf
from barnskydd.web.record_form import RecordSpec, submit
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
REQUEST = RecordSpec(failed="feedback_failed", anchor="aterkoppling")


def feedback_context(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's feedback section: what the reporter may be told, what was given."""
    found = feedback.offer(session, actor=user, case=case)
    return {
        "feedback": found,
        "feedback_label": feedback.FEEDBACK_LABELS[found.outcome] if found else "",
        "feedback_failed": None,
        "feedback_today": today().isoformat(),
    }


@router.get("/arenden/{case_number}/aterkoppling")
def letter_page(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase
) -> Response:
    """Show the feedback letter, ready to print, with the PDF and the button to record it."""
    letter = feedback.letter(session, actor=user, case=case, today=today())
    context = {"letter": letter, **feedback_context(session, user, case)}
    return render(request, "letter.html", context)


@router.get("/arenden/{case_number}/aterkoppling.pdf")
def letter_pdf(session: SessionDep, user: CaseHandler, case: CurrentCase) -> Response:
    """Return the feedback letter as a PDF to download."""
    letter = feedback.letter(session, actor=user, case=case, today=today())
    filename = f"aterkoppling-{case.case_number}.pdf"
    return Response(
        render_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/arenden/{case_number}/aterkoppling")
def record_feedback(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase
) -> Response:
    """Record that the reporter was given feedback, and go back to the case."""
    try:
        feedback.record(session, actor=user, case_id=case.id)
    except InvalidInput as error:
        context = {"heading": "Återkoppling kan inte registreras", "detail": error.message}
        return render(request, "error.html", context, status_code=409)
    request.session["flash"] = "Återkopplingen till anmälaren är registrerad."
    return RedirectResponse(f"/arenden/{case.case_number}#aterkoppling", status_code=303)


@router.post("/arenden/{case_number}/aterkoppling/begaran")
def record_request(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Record the reporter's request for feedback, or show the case with the error by the field."""
    return submit(
        REQUEST,
        request,
        session,
        user,
        case,
        form,
        lambda: feedback.record_request(
            session, actor=user, case=case, data=feedback.FeedbackRequest.from_text(form)
        ),
        saved="Anmälarens begäran om återkoppling är registrerad.",
    )
