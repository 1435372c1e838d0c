"""Dictation jobs: submit a recording, let a worker transcribe it, review, accept or discard.

The edge loads the case with its audited read; each function here checks the actor again. A
job is its author's alone: another user is answered as if it did not exist. Every read of the
recording or the draft is audited as an access to the case (the entity and id, never the
content). Acceptance hands the draft to the form's field and deletes the audio and the draft;
the text enters the record only when the form is saved and signed, as typed text does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.dictation import audio as audio_check
from barnskydd.dictation.engine import MSG_CRASHED, Transcript
from barnskydd.dictation.models import OPEN, DictationJob, JobStatus

ENTITY = "dictation_job"
AUDIO = "dictation_audio"
WRITERS = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN)
WORKER = Actor(username="diktering", role=Role.SYSTEM)  # the worker's reads in the audit trail
MAX_ATTEMPTS = 2  # a job whose worker died is tried once more, then failed
FIELD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,119}$")
MSG_WRITERS = "Diktering används av handläggare, arbetsledare och administratörer."
MSG_FIELD = "Fältet att diktera i saknas eller är okänt."
MSG_NOT_READY = "Utkastet är inte klart än."
MSG_CLOSED = "Dikteringen är redan avslutad."


class JobNotFound(NotFound):
    """No job with this id of this user in this case."""

    MESSAGE = "Dikteringen finns inte."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_seconds: float
    audio_days: int


def _writer(actor: Actor, case: Case) -> None:
    if actor.role not in WRITERS:
        raise PermissionDenied(MSG_WRITERS)
    cases.authorize(actor, case)


def _own(session: Session, actor: Actor, case: Case, job_id: int) -> DictationJob:
    _writer(actor, case)
    job = session.scalars(
        select(DictationJob).where(DictationJob.id == job_id, DictationJob.case_id == case.id)
    ).one_or_none()
    if job is None or job.author != actor.username:
        raise JobNotFound
    return job


def _audit(session: Session, actor: Actor, case: Case, action: str, entity: str, id_: int) -> None:
    cases.audit_case(session, actor, case, action=action, entity=entity, entity_id=id_)


def submit(
    session: Session, *, actor: Actor, case: Case, field: str, data: bytes, limits: Limits
) -> DictationJob:
    """Check the recording and queue it; refuse (InvalidInput) before anything is stored."""
    _writer(actor, case)
    if not FIELD.match(field):
        raise InvalidInput(MSG_FIELD, field="field")
    recording = audio_check.decode(data, max_bytes=limits.max_bytes, max_seconds=limits.max_seconds)
    now = utcnow()
    job = DictationJob(
        case_id=case.id,
        field=field,
        author=actor.username,
        status=JobStatus.QUEUED,
        audio=data,
        audio_type=recording.container,
        seconds=round(recording.seconds, 2),
        created_at=now,
        expires_at=now + dt.timedelta(days=limits.audio_days),
    )
    session.add(job)
    session.flush()
    _audit(session, actor, case, "create", ENTITY, job.id)
    return job


def get(session: Session, *, actor: Actor, case: Case, job_id: int) -> DictationJob:
    """Return the user's own job; audited only when it holds a draft (each such read delivers
    the draft), so polling a queued or running job, which tells only its status, leaves no entry.
    """
    job = _own(session, actor, case, job_id)
    if job.draft is not None:
        _audit(session, actor, case, "read", ENTITY, job.id)
    return job


def open_jobs(session: Session, *, actor: Actor, case: Case) -> list[DictationJob]:
    """Return the user's jobs in the case not yet accepted, discarded or expired (oldest first)."""
    _writer(actor, case)
    return list(
        session.scalars(
            select(DictationJob)
            .where(
                DictationJob.case_id == case.id,
                DictationJob.author == actor.username,
                DictationJob.status.in_(OPEN),
            )
            .order_by(DictationJob.id)
        )
    )


def recording(session: Session, *, actor: Actor, case: Case, job_id: int) -> DictationJob:
    """Return the job for listening to its audio (audited); refuse once the audio is gone."""
    job = _own(session, actor, case, job_id)
    if job.audio is None:
        raise JobNotFound
    _audit(session, actor, case, "read", AUDIO, job.id)
    return job


def _close(job: DictationJob, status: JobStatus) -> None:
    job.status = status
    job.audio = None
    job.draft = None
    job.words = None
    job.finished_at = job.finished_at or utcnow()


@dataclass(frozen=True, slots=True)
class Accepted:
    """The draft handed to the form: the field it is for and its text."""

    field: str
    text: str


def accept(session: Session, *, actor: Actor, case: Case, job_id: int) -> Accepted:
    """Return the draft for the form's field; the audio and the stored draft are deleted.

    The one audit entry (`accept`) is the read of the draft it delivers."""
    job = _own(session, actor, case, job_id)
    if job.status is not JobStatus.DONE or job.draft is None:
        raise ForbiddenTransition(MSG_NOT_READY if job.status in OPEN else MSG_CLOSED)
    accepted = Accepted(job.field, job.draft)
    _close(job, JobStatus.ACCEPTED)
    session.flush()
    _audit(session, actor, case, "accept", ENTITY, job.id)
    return accepted


def discard(session: Session, *, actor: Actor, case: Case, job_id: int) -> None:
    """Throw the job away at any stage: the audio and any draft are deleted."""
    job = _own(session, actor, case, job_id)
    if job.status not in OPEN:
        raise ForbiddenTransition(MSG_CLOSED)
    _close(job, JobStatus.DISCARDED)
    session.flush()
    _audit(session, actor, case, "discard", ENTITY, job.id)


# The worker's side: no user; its reads of the audio are audited as the system's.


def claim_next(session: Session) -> DictationJob | None:
    """Take the oldest queued job for this worker (safe against other workers), or None."""
    candidates = session.scalars(
        select(DictationJob.id)
        .where(DictationJob.status == JobStatus.QUEUED)
        .order_by(DictationJob.id)
        .limit(5)
    ).all()
    for job_id in candidates:
        taken = session.execute(
            update(DictationJob)
            .where(DictationJob.id == job_id, DictationJob.status == JobStatus.QUEUED)
            .values(
                status=JobStatus.RUNNING,
                started_at=utcnow(),
                attempts=DictationJob.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) == 1:
            job = session.get(DictationJob, job_id, populate_existing=True)
            assert job is not None
            case = session.get(Case, job.case_id)
            assert case is not None
            _audit(session, WORKER, case, "read", AUDIO, job.id)
            return job
    return None


def finish(session: Session, job: DictationJob, transcript: Transcript) -> None:
    """Store the draft and its words; the audio stays until the user accepts or discards."""
    if job.status is not JobStatus.RUNNING:
        return  # discarded while it ran: keep nothing
    job.status = JobStatus.DONE
    job.draft = transcript.text
    job.words = [[w.text, round(w.probability, 3)] for w in transcript.words]
    job.finished_at = utcnow()
    session.flush()


def fail(session: Session, job: DictationJob, message: str = MSG_CRASHED) -> None:
    """Mark the job failed with a fixed message (the user can discard it and dictate again)."""
    if job.status is not JobStatus.RUNNING:
        return
    job.status = JobStatus.FAILED
    job.message = message
    job.finished_at = utcnow()
    session.flush()


def recover(session: Session, *, stale_after: dt.timedelta) -> int:
    """Requeue jobs whose worker died (running too long); fail those tried MAX_ATTEMPTS times."""
    cutoff = utcnow() - stale_after
    stale = session.scalars(
        select(DictationJob).where(
            DictationJob.status == JobStatus.RUNNING, DictationJob.started_at < cutoff
        )
    ).all()
    for job in stale:
        if job.attempts >= MAX_ATTEMPTS:
            fail(session, job)
        else:
            job.status = JobStatus.QUEUED
            job.started_at = None
    session.flush()
    return len(stale)


def purge_expired(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete the audio and draft of every job past its expiry, whatever its status."""
    expired = session.scalars(
        select(DictationJob).where(
            DictationJob.expires_at <= (now or utcnow()), DictationJob.status.in_(OPEN)
        )
    ).all()
    for job in expired:
        _close(job, JobStatus.EXPIRED)
    session.flush()
    return len(expired)
