"""The child's voice on the desk: the case page's section, child mode and the one-time link.

Child mode (`/rost/barnlage`): the worker hands the device over from the case page; that ends
the worker's session at once (nothing of the case is reachable from the child's page, not
even with the back button) and the session then carries only the hand-over's code. The page
shows only the questions: no name, personnummer, case number or navigation. When the child is
done, the session is cleared and a thank-you page links to the login; the worker sees the
answers after logging in again.

The one-time link (`/rost/l/{code}`) needs no login, works once and expires; an unknown, used
or expired code gets the same 404 body. Read aloud or with an interpreter, the worker fills in
the same questions (`/arenden/{case_number}/rost/{record_id}/svar`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session, object_session
from starlette.responses import Response

from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.core.errors import NotFound
from barnskydd.voice import service as voice
from barnskydd.voice.codes import (
    CONTEXT_LABELS,
    MODE_LABELS,
    REASON_LABELS,
    SHOWN_LABELS,
    STATUS_LABELS,
    VoiceMode,
    VoiceStatus,
)
from barnskydd.voice.itemset import THEME_LABELS, item_set
from barnskydd.voice.models import ChildVoiceRecord
from barnskydd.web.deps import CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.refusal import Attempt
from barnskydd.web.security import csrf_token, verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])

SESSION_KEY = "voice_code"
CHILD_MODE = "/rost/barnlage"
WITH_WORKER = (VoiceMode.READ_ALOUD, VoiceMode.INTERPRETER)


def step_choices(case: Case) -> dict[str, list[tuple[str, str]]]:
    """Return the voice fields' choices, the band preselected from the child's age today."""
    band = voice.band_of(case, today(), "auto")
    items = item_set()
    return {
        "voice_statuses": [(s.value, label) for s, label in STATUS_LABELS.items()],
        "voice_reasons": [(r.value, label) for r, label in REASON_LABELS.items()],
        "voice_modes": [(m.value, label) for m, label in MODE_LABELS.items()],
        "voice_bands": [
            ("auto", f"Efter barnets ålder den dagen (idag: {band.label})"),
            *((b.id, b.label) for b in items.bands),
        ],
    }


def timeline_details(case: Case) -> dict[tuple[str, int], str]:
    """Return the timeline's detail per contact: how the child's view was obtained.

    The key names the contact: ("follow_up", its id) or ("placement_review", its id), whatever
    the context the answers are counted under.
    """
    session = object_session(case)
    if session is None:
        return {}
    details = {}
    for r in voice.for_case(session, case):
        if r.follow_up_id is not None:
            contact = ("follow_up", r.follow_up_id)
        elif r.placement_review_id is not None:
            contact = ("placement_review", r.placement_review_id)
        else:
            continue
        details[contact] = f"Barnets röst: {_status_text(r)}"
    return details


def _status_text(record: ChildVoiceRecord) -> str:
    text = STATUS_LABELS[record.status]
    if record.reason is not None:
        text += f" ({REASON_LABELS[record.reason].lower()})"
    if record.status is VoiceStatus.ANSWERED and record.answered_at is None:
        text += ", svaren väntas"
    return text


def _record_view(record: ChildVoiceRecord) -> dict[str, Any]:
    items = item_set(record.item_set_version)
    band = items.band(record.band)
    by_id = {a.item_id: a for a in record.answers}
    answers = [
        (
            item.text,
            THEME_LABELS[item.theme],
            "Vill inte svara"
            if by_id.get(item.id) is None or by_id[item.id].value is None
            else band.scale[int(by_id[item.id].value or 1) - 1],
            by_id.get(item.id) is not None and by_id[item.id].value == 1 and item.concern,
        )
        for item in items.items[record.band]
    ]
    words = [(q.text, by_id[q.id].words) for q in items.open[record.band] if q.id in by_id]
    return {
        "id": record.id,
        "taken_on": record.taken_on.isoformat(),
        "context": CONTEXT_LABELS[record.context],
        "status": _status_text(record),
        "reason_text": record.reason_text,
        "mode": MODE_LABELS[record.mode] if record.mode else "",
        "mode_code": record.mode.value if record.mode else "",
        "band": band.label,
        "version": record.item_set_version,
        "alone": record.alone,
        "waiting": record.status is VoiceStatus.ANSWERED and record.answered_at is None,
        "answered": record.answered_at is not None,
        "answers": answers,
        "words": words,
        "shown_to": SHOWN_LABELS[record.shown_to] if record.shown_to else "",
        "concern": record.concern,
    }


def case_voice(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's section: every voice record of the case, newest first."""
    return {"voice_records": [_record_view(r) for r in voice.for_case(session, case)]}


def _questions(record: ChildVoiceRecord, action: str, **extra: Any) -> dict[str, Any]:
    items = item_set(record.item_set_version)
    band = items.band(record.band)
    return {
        "band": band,
        "items": items.items[record.band],
        "questions": items.open[record.band],
        "shown_choices": list(SHOWN_LABELS.items()),
        "action": action,
        "worker": False,
        **extra,
    }


def _refused(request: Request, context: Mapping[str, Any], attempt: Attempt, form: Any) -> Response:
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    full = {**context, "errors": attempt.errors, "values": values}
    return render(request, "voice_questions.html", full, status_code=422)


@router.post("/arenden/{case_number}/rost/{record_id}/barnlage")
def hand_over(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, record_id: RowId
) -> Response:
    """Hand the device to the child: the worker's session ends here."""
    record = voice.get_record(session, case, record_id)
    code = voice.hand_over(session, user, case, record)
    request.session.clear()
    request.session[SESSION_KEY] = code
    csrf_token(request)
    return RedirectResponse(CHILD_MODE, status_code=303)


def _child_record(request: Request, session: Session) -> ChildVoiceRecord:
    code = request.session.get(SESSION_KEY)
    return voice.by_code(session, code if isinstance(code, str) else "")


@router.get(CHILD_MODE)
def child_mode(request: Request, session: SessionDep) -> Response:
    """Show the questions in child mode (only to the session the worker handed over)."""
    record = _child_record(request, session)
    return render(request, "voice_questions.html", _questions(record, CHILD_MODE))


@router.post(CHILD_MODE)
def child_mode_answer(request: Request, session: SessionDep, form: FormDep) -> Response:
    """Save the child's answers; the session ends and the thank-you page leads to the login."""
    record = _child_record(request, session)
    attempt = Attempt(session)
    with attempt:
        answers = voice.parse_answers(item_set(record.item_set_version), record.band, form)
        voice.submit(session, voice.CHILD, voice.case_of(session, record), record, answers)
    if attempt.refused:
        return _refused(request, _questions(record, CHILD_MODE), attempt, form)
    request.session.clear()
    return render(request, "voice_thanks.html", {"to_login": True})


@router.get("/rost/l/{code}")
def link(request: Request, session: SessionDep, code: str) -> Response:
    """Show the questions behind a one-time link (no login, no name)."""
    record = voice.by_code(session, code)
    return render(request, "voice_questions.html", _questions(record, f"/rost/l/{code}"))


@router.post("/rost/l/{code}")
def link_answer(request: Request, session: SessionDep, code: str, form: FormDep) -> Response:
    """Save the answers given through a one-time link; the link then answers 404."""
    record = voice.by_code(session, code)
    attempt = Attempt(session)
    with attempt:
        answers = voice.parse_answers(item_set(record.item_set_version), record.band, form)
        voice.submit(session, voice.CHILD, voice.case_of(session, record), record, answers)
    if attempt.refused:
        return _refused(request, _questions(record, f"/rost/l/{code}"), attempt, form)
    return render(request, "voice_thanks.html", {"to_login": False})


def _with_worker(session: Session, case: Case, record_id: int) -> ChildVoiceRecord:
    record = voice.get_record(session, case, record_id)
    if record.mode not in WITH_WORKER or record.answered_at is not None:
        raise NotFound("Svaren finns inte.")
    return record


@router.get("/arenden/{case_number}/rost/{record_id}/svar")
def with_worker(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, record_id: RowId
) -> Response:
    """Show the questions for the worker to read aloud (or put through an interpreter)."""
    record = _with_worker(session, case, record_id)
    action = f"/arenden/{case.case_number}/rost/{record.id}/svar"
    return render(request, "voice_questions.html", _questions(record, action, worker=True))


@router.post("/arenden/{case_number}/rost/{record_id}/svar")
def with_worker_answer(
    request: Request,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    record_id: RowId,
    form: FormDep,
) -> Response:
    """Save the answers the child gave with the worker reading aloud."""
    record = _with_worker(session, case, record_id)
    attempt = Attempt(session)
    with attempt:
        answers = voice.parse_answers(item_set(record.item_set_version), record.band, form)
        voice.submit(session, user, case, record, answers)
    if attempt.refused:
        action = f"/arenden/{case.case_number}/rost/{record.id}/svar"
        return _refused(request, _questions(record, action, worker=True), attempt, form)
    request.session["flash"] = "Barnets svar: sparade."
    return RedirectResponse(f"/arenden/{case.case_number}#barnets-rost", status_code=303)


@router.post("/arenden/{case_number}/rost/{record_id}/lank")
def create_link(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, record_id: RowId
) -> Response:
    """Create the one-time link and show it once (only its hash is kept)."""
    record = voice.get_record(session, case, record_id)
    code = voice.create_link(session, user, case, record)
    url = f"{request.base_url}rost/l/{code}"
    request.session["flash"] = (
        f"Engångslänk till barnet (visas bara nu, gäller i {voice.LINK_DAYS} dagar): {url}"
    )
    return RedirectResponse(f"/arenden/{case.case_number}#barnets-rost", status_code=303)
