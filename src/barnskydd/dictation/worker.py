"""The dictation worker: takes queued jobs from the database one at a time and transcribes them.

Run by `barnskydd dictation worker` (or started beside the desk by `barnskydd serve`). The queue
is the dictation_job table, so a job survives a restart of either: a job left running by a
dead worker is queued again after twice the time limit, and failed after MAX_ATTEMPTS tries.
Each job is claimed in one transaction, transcribed outside any, and its draft stored in a
third. The log names job ids, lengths and times, never a word of the recording.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.db import transaction
from barnskydd.dictation import audio, service
from barnskydd.dictation.engine import MSG_CRASHED, MSG_TIMEOUT, Transcriber, TranscriptionTimeout
from barnskydd.dictation.models import DictationJob

log = logging.getLogger(__name__)


def run_one(
    factory: sessionmaker[Session], transcriber: Transcriber, *, timeout: float
) -> int | None:
    """Transcribe the oldest queued job, if any; return its id."""
    with transaction(factory) as session:
        service.recover(session, stale_after=dt.timedelta(seconds=2 * timeout))
        service.purge_expired(session)
        job = service.claim_next(session)
        if job is None:
            return None
        job_id, data = job.id, job.audio or b""
    began = time.monotonic()
    message: str | None = None
    try:
        recording = audio.decode(data, max_bytes=len(data) + 1, max_seconds=24 * 3600)
        transcript = transcriber.transcribe(recording.samples, timeout=timeout)
    except TranscriptionTimeout:
        message = MSG_TIMEOUT
    except Exception as error:  # any crash of the engine leaves the user's field as it was
        log.warning("dictation job %s failed: %s", job_id, type(error).__name__)
        message = MSG_CRASHED
    with transaction(factory) as session:
        current = session.get(DictationJob, job_id)
        if current is None:
            return job_id
        if message is None:
            service.finish(session, current, transcript)
            log.info(
                "dictation job %s done: %.1f s of audio in %.1f s",
                job_id,
                recording.seconds,
                time.monotonic() - began,
            )
        else:
            service.fail(session, current, message)
    return job_id


def run(
    factory: sessionmaker[Session],
    transcriber: Transcriber,
    *,
    timeout: float,
    poll: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Work until stopped: a job when there is one, else a short sleep."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            done = run_one(factory, transcriber, timeout=timeout)
        except Exception as error:  # the database away for a moment: wait and try again
            log.warning("dictation worker: %s", type(error).__name__)
            done = None
        if done is None:
            stop.wait(poll)
