"""Dictation on the desk: upload a recording, poll for its draft, accept it into the field.

dictation.js records in the browser and posts the whole recording at stop; the answer is an
htmx fragment that polls its job until the draft is ready (or failed). Accepting answers the
draft as JSON for the script to put into the field: the text enters the record only when the
form is saved and signed. A refused recording answers 422 with the Swedish message, a closed
job 409; nothing is stored. Another user's job, or another case's, is answered as not found.

These routes look the case up without reading its record (cases.locate_by_number: a refused
lookup is audited, an allowed one is not), and each audits what it reads or writes of the
child: the upload, every answer that delivers the draft, the recording listened to, the
acceptance and the discard. The polling answers only the job's status until the draft is
ready, so it leaves no audit entry every 2 s while the worker transcribes.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response
from starlette.types import Scope

from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.core.settings import Settings
from barnskydd.dictation import service as dictation
from barnskydd.dictation.engine import LOW_PROBABILITY, ModelCheck, check_model
from barnskydd.dictation.models import DictationJob, JobStatus
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentUser, RowId, SessionDep
from barnskydd.web.security import closing_form, verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(closing_form), Depends(verify_csrf)])
_UPLOAD = re.compile(r"/arenden/BU-\d{4}-\d{6,12}/diktat")
POLL = "every 2s"
WAITING = (JobStatus.QUEUED, JobStatus.RUNNING)  # the statuses the fragment polls in


def _located_case(case_number: str, session: SessionDep, user: CaseHandler) -> Case:
    """The case in the path, its access checked, its record not read (nothing audited yet)."""
    return cases.locate_by_number(
        session, actor=user, case_number=case_number, purpose=CASE_PURPOSE
    )


JobCase = Annotated[Case, Depends(_located_case)]


def is_upload(scope: Scope) -> bool:
    """Tell whether the request posts a recording (its body may be up to the setting's size)."""
    return scope.get("method") == "POST" and _UPLOAD.fullmatch(scope["path"]) is not None


def upload_body(settings: Settings) -> int:
    return settings.dictation_max_bytes + 64 * 1024  # the recording and the form around it


def model_check(request: Request) -> ModelCheck:
    """The app's check of the model directory, made once per process."""
    return model_check_of(request.app)


def model_check_of(app: Any) -> ModelCheck:
    state = app.state
    if not hasattr(state, "dictation_check"):
        state.dictation_check = check_model(state.settings.dictation_model_dir)
    check: ModelCheck = state.dictation_check
    return check


def _limits(settings: Settings) -> dictation.Limits:
    return dictation.Limits(
        max_bytes=settings.dictation_max_bytes,
        max_seconds=float(settings.dictation_max_seconds),
        audio_days=settings.dictation_audio_days,
    )


def _words(job: DictationJob) -> list[tuple[str, bool]]:
    """The draft's words, each with whether it is doubtful (below LOW_PROBABILITY)."""
    if job.words:
        return [(str(word), float(p) < LOW_PROBABILITY) for word, p in job.words]
    return [(word, False) for word in (job.draft or "").split()]


def _fragment(
    request: Request, case_number: str, job: DictationJob | None, **extra: Any
) -> Response:
    status = extra.pop("status_code", 200)
    context: dict[str, Any] = {"job": None, "case_number": case_number, "poll": POLL, **extra}
    if job is not None:
        context["job"] = {
            "id": job.id,
            "field": job.field,
            "status": job.status.value,
            "seconds": round(job.seconds),
            "words": _words(job) if job.status is JobStatus.DONE else [],
            "message": job.message or "",
            "has_audio": job.audio is not None,
            "audio_type": job.audio_type,
        }
    return render(request, "_dictation.html", context, status_code=status)


@router.get("/diktat/status")
def availability(request: Request, user: CurrentUser) -> Response:
    """Whether dictation is available here, and the limits the recorder keeps to (JSON)."""
    check = model_check(request)
    settings: Settings = request.app.state.settings
    return JSONResponse(
        {
            "available": check.ok,
            "message": check.message,
            "max_seconds": settings.dictation_max_seconds,
            "max_bytes": settings.dictation_max_bytes,
        }
    )


@router.get("/arenden/{case_number}/diktat")
def pending(session: SessionDep, user: CaseHandler, case: JobCase) -> Response:
    """The user's open dictations in the case (ids and fields, no content), for the page to
    show again after a reload or a restart."""
    jobs = dictation.open_jobs(session, actor=user, case=case)
    base = f"/arenden/{case.case_number}/diktat"
    return JSONResponse(
        {"jobs": [{"id": j.id, "field": j.field, "url": f"{base}/{j.id}"} for j in jobs]}
    )


@router.post("/arenden/{case_number}/diktat")
def upload(
    request: Request, session: SessionDep, user: CaseHandler, case: JobCase, form: FormDep
) -> Response:
    """Queue a recording for the field; answer the polling fragment (202) or the refusal (422)."""
    field = form.get("field")
    field = field if isinstance(field, str) else ""
    settings: Settings = request.app.state.settings
    check = model_check(request)
    if not check.ok:
        return _fragment(request, case.case_number, None, refusal=check.message, status_code=409)
    recording = form.get("audio")
    try:
        if not isinstance(recording, UploadFile):
            raise InvalidInput("Ingen inspelning skickades.", field="audio")
        data = recording.file.read(settings.dictation_max_bytes + 1)
        dictation.purge_expired(session)  # the days are kept even when no worker runs
        job = dictation.submit(
            session, actor=user, case=case, field=field, data=data, limits=_limits(settings)
        )
    except InvalidInput as error:
        return _fragment(request, case.case_number, None, refusal=error.message, status_code=422)
    return _fragment(request, case.case_number, job, status_code=202)


@router.get("/arenden/{case_number}/diktat/{job_id}")
def job_status(
    request: Request,
    session: SessionDep,
    user: CaseHandler,
    case: JobCase,
    job_id: RowId,
    seen: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The job's fragment: polling while queued or running, the draft when done.

    The polling says which status it shows (`seen`): while that is still the status, the
    answer is 204 and htmx leaves the fragment as it is, so a screen reader's live region
    announces each change once, not the same words every 2 s.
    """
    job = dictation.get(session, actor=user, case=case, job_id=job_id)
    if seen and seen == job.status.value and job.status in WAITING:
        return Response(status_code=204)
    return _fragment(request, case.case_number, job)


@router.get("/arenden/{case_number}/diktat/{job_id}/ljud")
def listen(session: SessionDep, user: CaseHandler, case: JobCase, job_id: RowId) -> Response:
    """The recording, to listen to while reviewing (audited as an access to the case)."""
    job = dictation.recording(session, actor=user, case=case, job_id=job_id)
    media = {"webm": "audio/webm", "ogg": "audio/ogg", "mp4": "audio/mp4", "wav": "audio/wav"}
    return Response(job.audio, media_type=media.get(job.audio_type, "application/octet-stream"))


@router.post("/arenden/{case_number}/diktat/{job_id}/godta")
def accept(session: SessionDep, user: CaseHandler, case: JobCase, job_id: RowId) -> Response:
    """Hand the draft to the form's field (JSON); the audio and the stored draft are deleted."""
    try:
        accepted = dictation.accept(session, actor=user, case=case, job_id=job_id)
    except ForbiddenTransition as error:
        return JSONResponse({"detail": error.message}, status_code=409)
    return JSONResponse(
        {
            "field": accepted.field,
            "text": accepted.text,
            "message": "Utkastet är infogat i fältet. Granska texten och spara formuläret.",
        }
    )


@router.post("/arenden/{case_number}/diktat/{job_id}/kasta")
def discard(
    request: Request, session: SessionDep, user: CaseHandler, case: JobCase, job_id: RowId
) -> Response:
    """Throw the recording and any draft away; the field is left as it was."""
    try:
        dictation.discard(session, actor=user, case=case, job_id=job_id)
    except ForbiddenTransition as error:
        return _fragment(request, case.case_number, None, refusal=error.message, status_code=409)
    return _fragment(request, case.case_number, None, discarded=True)
