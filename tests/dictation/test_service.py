"""Dictation jobs through the service layer and the worker, with a fake transcriber."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, PermissionDenied
from barnskydd.dictation import audio, service, worker
from barnskydd.dictation.engine import MSG_CRASHED, MSG_TIMEOUT
from barnskydd.dictation.models import DictationJob, JobStatus
from barnskydd.staff import service as staff
from tests.dictation.fakes import DRAFT, FakeTranscriber
from tests.dictation.media import encode, silence, tone
from tests.factories import registered_case, unit_and_worker

LIMITS = service.Limits(max_bytes=2 * 1024 * 1024, max_seconds=30, audio_days=7)
FIELD = "journal-text"


def _world(session: Session) -> tuple[Case, Actor]:
    unit_id, worker_ = unit_and_worker(session)
    return registered_case(session, unit_id, worker_), worker_


def _submit(session: Session, case: Case, actor: Actor, data: bytes | None = None) -> DictationJob:
    data = encode(tone(2.0), "webm") if data is None else data
    return service.submit(session, actor=actor, case=case, field=FIELD, data=data, limits=LIMITS)


def _jobs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DictationJob)) or 0


@contextmanager
def _savepoint(session: Session) -> Iterator[Session]:
    with session.begin_nested():
        yield session


def _work(session: Session, transcriber: FakeTranscriber) -> int | None:
    """Run one worker pass in the test's session (its transactions become savepoints)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "transaction", lambda _factory: _savepoint(session))
        return worker.run_one(None, transcriber, timeout=60)  # type: ignore[arg-type]


def test_a_recording_is_queued_with_its_audio_and_length(session: Session) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    assert job.status is JobStatus.QUEUED
    assert job.audio
    assert job.audio_type == "webm"
    assert job.seconds == pytest.approx(2.0, abs=0.1)
    assert job.expires_at - job.created_at == dt.timedelta(days=7)
    assert job.draft is None


def test_the_worker_turns_a_queued_job_into_a_draft_with_doubtful_words(
    session: Session,
) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    fake = FakeTranscriber()
    assert _work(session, fake) == job.id
    assert _work(session, fake) is None  # nothing left in the queue
    session.refresh(job)
    assert job.status is JobStatus.DONE
    assert job.draft == DRAFT
    assert [w for w, p in job.words or [] if p < 0.5] == ["dag", "mår"]
    assert fake.heard == [pytest.approx(2.0, abs=0.1)]
    assert job.audio is not None  # kept until the user accepts or discards


def test_accepting_hands_over_the_draft_and_deletes_audio_and_draft(session: Session) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    with pytest.raises(ForbiddenTransition):
        service.accept(session, actor=actor, case=case, job_id=job.id)  # not done yet
    _work(session, FakeTranscriber())
    accepted = service.accept(session, actor=actor, case=case, job_id=job.id)
    assert accepted == service.Accepted(FIELD, DRAFT)
    session.refresh(job)
    assert (job.status, job.audio, job.draft, job.words) == (JobStatus.ACCEPTED, None, None, None)
    with pytest.raises(ForbiddenTransition):
        service.accept(session, actor=actor, case=case, job_id=job.id)


def test_discarding_deletes_the_audio_at_any_stage(session: Session) -> None:
    case, actor = _world(session)
    queued = _submit(session, case, actor)
    service.discard(session, actor=actor, case=case, job_id=queued.id)
    assert _work(session, FakeTranscriber()) is None  # a discarded job is never transcribed
    session.refresh(queued)
    assert (queued.status, queued.audio) == (JobStatus.DISCARDED, None)


def test_audio_and_draft_are_deleted_after_the_days_whatever_the_status(session: Session) -> None:
    case, actor = _world(session)
    done = _submit(session, case, actor)
    _work(session, FakeTranscriber())
    waiting = _submit(session, case, actor)
    assert service.purge_expired(session, now=utcnow() + dt.timedelta(days=6)) == 0
    assert service.purge_expired(session, now=utcnow() + dt.timedelta(days=7, minutes=1)) == 2
    for job in (done, waiting):
        session.refresh(job)
        assert (job.status, job.audio, job.draft) == (JobStatus.EXPIRED, None, None)


@pytest.mark.parametrize(("mode", "message"), [("timeout", MSG_TIMEOUT), ("crash", MSG_CRASHED)])
def test_a_failed_transcription_leaves_no_draft_and_says_why(
    session: Session, mode: str, message: str
) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    _work(session, FakeTranscriber(mode=mode))
    session.refresh(job)
    assert (job.status, job.draft, job.message) == (JobStatus.FAILED, None, message)
    with pytest.raises(ForbiddenTransition):
        service.accept(session, actor=actor, case=case, job_id=job.id)
    service.discard(session, actor=actor, case=case, job_id=job.id)  # and it can be thrown away


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", audio.MSG_EMPTY),
        (b"%PDF-1.4 not a recording at all" * 10, audio.MSG_NOT_AUDIO),
        ("silent", audio.MSG_SILENT),
        ("truncated", audio.MSG_TRUNCATED),
        ("large", audio.msg_too_large(LIMITS.max_bytes)),
        ("long", audio.msg_too_long(30)),
    ],
)
def test_bad_input_is_refused_with_a_swedish_message_and_nothing_stored(
    session: Session, data: bytes | str, message: str
) -> None:
    case, actor = _world(session)
    made = {
        "silent": lambda: encode(silence(3.0), "webm"),
        "truncated": lambda: encode(tone(3.0), "webm")[:1000],  # the headers and a few frames
        "large": lambda: b"\x1a\x45\xdf\xa3" + bytes(LIMITS.max_bytes),
        "long": lambda: encode(tone(31.0, level=0.1), "ogg"),
    }
    payload = made[data]() if isinstance(data, str) else data
    with pytest.raises(InvalidInput) as refused:
        _submit(session, case, actor, payload)
    assert (refused.value.message, refused.value.field) == (message, "audio")
    assert _jobs(session) == 0


def test_a_job_is_its_authors_alone_and_readers_are_refused(session: Session) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    colleague = staff.actor_for(
        staff.create(
            session, username="bo", display_name="B", role=Role.CASE_WORKER, unit_id=case.unit_id
        )
    )
    with pytest.raises(service.JobNotFound):
        service.get(session, actor=colleague, case=case, job_id=job.id)
    analyst = staff.actor_for(
        staff.create(session, username="ana", display_name="A", role=Role.ANALYST, unit_id=None)
    )
    with pytest.raises(PermissionDenied):
        _submit(session, case, analyst)


def test_reads_of_audio_and_draft_are_audited_without_content(session: Session) -> None:
    case, actor = _world(session)
    job = _submit(session, case, actor)
    _work(session, FakeTranscriber())
    service.recording(session, actor=actor, case=case, job_id=job.id)
    service.get(session, actor=actor, case=case, job_id=job.id)
    audit.append_pending(session)
    rows = session.execute(
        select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity)
        .where(AuditEntry.entity.in_((service.ENTITY, service.AUDIO)))
        .order_by(AuditEntry.seq)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("anna", "create", "dictation_job"),
        ("diktering", "read", "dictation_audio"),  # the worker's read of the recording
        ("anna", "read", "dictation_audio"),
        ("anna", "read", "dictation_job"),
    ]
    assert all(r.case_id == case.id for r in session.scalars(select(AuditEntry)) if r.case_id)


def test_a_job_survives_a_restart_and_a_dead_workers_job_is_run_again(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = session_factory(engine)
    with transaction(factory) as session:
        case, actor = _world(session)
        case_id = case.id
        job_id = _submit(session, case, actor).id
    with transaction(factory) as session:  # a worker takes it, then dies without a word
        assert service.claim_next(session) is not None
    engine.dispose()

    engine = make_engine(database_url)  # the restart: a new process, a new engine
    factory = session_factory(engine)
    with transaction(factory) as session:
        assert session.get(DictationJob, job_id).status is JobStatus.RUNNING  # type: ignore[union-attr]
        assert service.recover(session, stale_after=dt.timedelta(0)) == 1
    assert worker.run_one(factory, FakeTranscriber(), timeout=60) == job_id
    with transaction(factory) as session:
        job = session.get(DictationJob, job_id)
        assert job is not None
        assert (job.status, job.draft, job.attempts) == (JobStatus.DONE, DRAFT, 2)
        case = cases.load(session, case_id, whole_chain=False)
        assert service.accept(session, actor=actor, case=case, job_id=job_id).text == DRAFT
    engine.dispose()
