"""Dictation on the desk: upload, the polling fragment, the draft, accept into a journal entry.

The worker is the real worker module with a fake transcriber (tests/dictation/fakes.py); the
model directory holds the file names the check wants, so the desk offers dictation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import Mode, Settings
from barnskydd.dictation import audio, worker
from barnskydd.dictation.engine import MSG_CRASHED, MSG_TIMEOUT, MSG_UNSET
from barnskydd.dictation.models import DictationJob, JobStatus
from barnskydd.web import dictation_purge
from barnskydd.web.app import create_app
from tests.dictation.fakes import DRAFT, FakeTranscriber
from tests.dictation.media import encode, silence, tone
from tests.web.conftest import TestClient, login, seed, token
from tests.web.test_pages import register


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "modell"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_bytes(b"{}")
    return folder


@pytest.fixture
def desk(database_url: str, model_dir: Path) -> Iterator[tuple[TestClient, Settings]]:
    seed(database_url)
    settings = Settings(
        mode=Mode.DEMO,
        database_url=database_url,
        dictation_model_dir=model_dir,
        dictation_max_bytes=64 * 1024,
        dictation_max_seconds=5,
    )
    with TestClient(create_app(settings)) as client:
        login(client, "handlaggare")
        yield client, settings


def _post(client: TestClient, number: str, data: bytes, field: str = "journal-text") -> object:
    return client.post(
        f"/arenden/{number}/diktat",
        data={"field": field},
        files={"audio": ("inspelning.webm", data, "audio/webm")},
        headers={"X-CSRF-Token": token(client, f"/arenden/{number}")},
    )


def _work(settings: Settings, transcriber: FakeTranscriber | None = None) -> None:
    engine = make_engine(settings.database_url)
    worker.run_one(session_factory(engine), transcriber or FakeTranscriber(), timeout=60)
    engine.dispose()


def _jobs(settings: Settings) -> list[DictationJob]:
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        jobs = list(session.scalars(select(DictationJob)))
    engine.dispose()
    return jobs


def test_dictate_review_and_accept_into_a_signed_journal_entry(
    desk: tuple[TestClient, Settings],
) -> None:
    client, settings = desk
    number = register(client)
    page = client.get(f"/arenden/{number}").text
    assert '<script src="/static/dictation.js" defer></script>' in page
    status = client.get("/diktat/status").json()
    assert status == {"available": True, "message": "", "max_seconds": 5, "max_bytes": 65536}

    sent = _post(client, number, encode(tone(2.0), "webm"))
    assert sent.status_code == 202  # type: ignore[attr-defined]
    fragment = sent.text  # type: ignore[attr-defined]
    job_id = fragment.split('data-job="', 1)[1].split('"', 1)[0]
    assert f'hx-get="/arenden/{number}/diktat/{job_id}?seen=queued"' in fragment
    assert "väntar på transkribering" in fragment

    listed = client.get(f"/arenden/{number}/diktat").json()
    assert listed == {
        "jobs": [
            {
                "id": int(job_id),
                "field": "journal-text",
                "url": f"/arenden/{number}/diktat/{job_id}",
            }
        ]
    }
    _work(settings)
    done = client.get(f"/arenden/{number}/diktat/{job_id}").text
    assert "hx-get" not in done  # the polling stops
    assert '<mark title="osäkert ord">dag</mark>' in done
    assert '<mark title="osäkert ord">mår</mark>' in done
    listened = client.get(f"/arenden/{number}/diktat/{job_id}/ljud")
    assert (listened.status_code, listened.headers["content-type"]) == (200, "audio/webm")

    csrf = {"X-CSRF-Token": token(client, f"/arenden/{number}")}
    accepted = client.post(f"/arenden/{number}/diktat/{job_id}/godta", headers=csrf)
    assert accepted.json()["field"] == "journal-text"
    assert accepted.json()["text"] == DRAFT
    (job,) = _jobs(settings)
    assert (job.status, job.audio, job.draft) == (JobStatus.ACCEPTED, None, None)
    assert client.get(f"/arenden/{number}/diktat/{job_id}/ljud").status_code == 404
    again = client.post(f"/arenden/{number}/diktat/{job_id}/godta", headers=csrf)
    assert again.status_code == 409
    assert client.get(f"/arenden/{number}/diktat").json() == {"jobs": []}

    engine = make_engine(settings.database_url)
    with engine.connect() as conn:  # nothing in the record before the form is saved
        assert conn.scalar(select(JournalEntry.id)) is None
    saved = client.post(
        f"/arenden/{number}/journal",
        data={
            "csrf_token": token(client, f"/arenden/{number}"),
            "kind": "home_visit",
            "at": dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "30",
            "child_alone": "nej",
            "text": accepted.json()["text"],
        },
    )
    assert saved.status_code == 200, saved.text
    with engine.connect() as conn:
        entry_id, text = conn.execute(select(JournalEntry.id, JournalEntry.text)).one()
        actions = list(
            conn.execute(
                select(AuditEntry.action, AuditEntry.entity).where(
                    AuditEntry.entity.like("dictation%")
                )
            )
        )
    assert text == DRAFT
    signed = client.post(
        f"/arenden/{number}/journal/{entry_id}/signera",
        data={"csrf_token": token(client, f"/arenden/{number}")},
    )
    assert signed.status_code == 200
    assert ("read", "dictation_audio") in [tuple(a) for a in actions]
    assert DRAFT not in json.dumps([list(a) for a in actions])
    engine.dispose()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"", audio.MSG_EMPTY),
        (lambda: b"GIF89a not a recording", audio.MSG_NOT_AUDIO),
        (lambda: encode(silence(2.0), "webm"), audio.MSG_SILENT),
        (lambda: encode(tone(3.0), "webm")[:1000], audio.MSG_TRUNCATED),  # cut off mid-upload
        (lambda: encode(tone(6.0, level=0.05), "ogg"), audio.msg_too_long(5)),
    ],
)
def test_a_bad_recording_gets_its_message_and_nothing_is_stored(
    desk: tuple[TestClient, Settings], make: object, message: str
) -> None:
    client, settings = desk
    number = register(client)
    refused = _post(client, number, make())  # type: ignore[operator]
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert message in refused.text  # type: ignore[attr-defined]
    assert 'role="alert"' in refused.text  # type: ignore[attr-defined]
    assert _jobs(settings) == []


def test_a_recording_over_the_size_limit_is_refused_before_it_is_read(
    desk: tuple[TestClient, Settings],
) -> None:
    client, settings = desk
    number = register(client)
    refused = _post(client, number, b"\x1a\x45\xdf\xa3" + bytes(200 * 1024))
    assert refused.status_code == 413  # type: ignore[attr-defined]
    assert audio.msg_too_large(64 * 1024) in refused.text  # type: ignore[attr-defined]
    assert _jobs(settings) == []


@pytest.mark.parametrize(("mode", "message"), [("crash", MSG_CRASHED), ("timeout", MSG_TIMEOUT)])
def test_a_crashed_or_timed_out_transcription_says_so_and_can_be_discarded(
    desk: tuple[TestClient, Settings], mode: str, message: str
) -> None:
    client, settings = desk
    number = register(client)
    sent = _post(client, number, encode(tone(2.0), "webm"))
    job_id = sent.text.split('data-job="', 1)[1].split('"', 1)[0]  # type: ignore[attr-defined]
    _work(settings, FakeTranscriber(mode=mode))
    failed = client.get(f"/arenden/{number}/diktat/{job_id}?seen=running")
    assert failed.status_code == 200  # the polling sees the change and stops
    assert message in failed.text
    assert "Fältet är oförändrat" in message
    assert "hx-get" not in failed.text
    assert "dictation-draft" not in failed.text  # nothing offered for the field
    accept = client.post(
        f"/arenden/{number}/diktat/{job_id}/godta",
        headers={"X-CSRF-Token": token(client, f"/arenden/{number}")},
    )
    assert accept.status_code == 409
    csrf = {"X-CSRF-Token": token(client, f"/arenden/{number}")}
    thrown = client.post(f"/arenden/{number}/diktat/{job_id}/kasta", headers=csrf)
    assert "Inspelningen är kastad" in thrown.text
    (job,) = _jobs(settings)
    assert (job.status, job.audio) == (JobStatus.DISCARDED, None)


def test_without_a_model_dictation_is_unavailable_with_a_swedish_message(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    number = register(client)
    assert client.get("/diktat/status").json()["message"] == MSG_UNSET
    refused = _post(client, number, encode(tone(1.0), "webm"))
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert MSG_UNSET in refused.text  # type: ignore[attr-defined]


def test_the_days_are_kept_without_a_worker_the_next_upload_deletes_old_audio(
    desk: tuple[TestClient, Settings],
) -> None:
    client, settings = desk
    number = register(client)
    _post(client, number, encode(tone(1.0), "webm"))
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        (old,) = session.scalars(select(DictationJob)).all()
        old.expires_at = utcnow() - dt.timedelta(minutes=1)
    _post(client, number, encode(tone(1.0), "webm"))
    with session_factory(engine)() as session:
        jobs = session.scalars(select(DictationJob).order_by(DictationJob.id)).all()
        assert [(j.status, j.audio is None) for j in jobs] == [
            (JobStatus.EXPIRED, True),
            (JobStatus.QUEUED, False),
        ]
    engine.dispose()


def _audit_rows(settings: Settings) -> list[tuple[str, str, str]]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity).order_by(AuditEntry.seq)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_polling_is_not_audited_until_the_draft_is_delivered_then_each_delivery_is(
    desk: tuple[TestClient, Settings],
) -> None:
    client, settings = desk
    number = register(client)
    sent = _post(client, number, encode(tone(2.0), "webm"))
    job_id = sent.text.split('data-job="', 1)[1].split('"', 1)[0]  # type: ignore[attr-defined]
    url = f"/arenden/{number}/diktat/{job_id}"
    csrf = {"X-CSRF-Token": token(client, f"/arenden/{number}")}  # the case page: a read
    before = _audit_rows(settings)
    assert ("handlaggare", "create", "dictation_job") in before  # the upload
    assert "väntar på transkribering" in client.get(url).text
    for _ in range(5):  # the htmx polling while the job waits: unchanged, nothing to swap
        unchanged = client.get(f"{url}?seen=queued")
        assert (unchanged.status_code, unchanged.text) == (204, "")
    assert client.get(f"/arenden/{number}/diktat").json()["jobs"]  # the list after a reload
    assert _audit_rows(settings) == before

    _work(settings)
    worked = _audit_rows(settings)
    assert worked[len(before) :] == [("diktering", "read", "dictation_audio")]
    for _ in range(2):  # each answer that shows the draft is a read of it
        assert '<blockquote class="dictation-draft">' in client.get(f"{url}?seen=queued").text
    assert client.post(f"{url}/godta", headers=csrf).json()["text"] == DRAFT
    after = _audit_rows(settings)
    assert after[len(worked) :] == [
        ("handlaggare", "read", "dictation_job"),
        ("handlaggare", "read", "dictation_job"),
        ("handlaggare", "accept", "dictation_job"),
    ]


def test_the_running_app_deletes_expired_audio_without_a_worker_or_an_upload(
    database_url: str, model_dir: Path
) -> None:
    seed(database_url)
    settings = Settings(mode=Mode.DEMO, database_url=database_url, dictation_model_dir=model_dir)
    app = create_app(settings)
    dictation_purge.install(app, every=0.05)
    with TestClient(app) as client:
        login(client, "handlaggare")
        number = register(client)
        assert _post(client, number, encode(tone(1.0), "webm")).status_code == 202  # type: ignore[attr-defined]
        engine = make_engine(database_url)
        with transaction(session_factory(engine)) as session:
            (job,) = session.scalars(select(DictationJob)).all()
            job.expires_at = utcnow() - dt.timedelta(minutes=1)
        for _ in range(200):  # the loop wakes every 0.05 s; waits at most 10 s for it
            (job,) = _jobs(settings)
            if job.status is JobStatus.EXPIRED:
                break
            time.sleep(0.05)
        engine.dispose()
    assert (job.status, job.audio, job.draft) == (JobStatus.EXPIRED, None, None)


def test_the_app_checks_the_model_at_its_start_and_logs_each_files_sha256(
    database_url: str, model_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seed(database_url)
    caplog.set_level(logging.INFO, logger="barnskydd.web.app")
    settings = Settings(mode=Mode.DEMO, database_url=database_url, dictation_model_dir=model_dir)
    digest = hashlib.sha256(b"{}").hexdigest()  # each file of the fixture's model holds "{}"
    wanted = {
        f"dictation model file {name} sha256 {digest}"
        for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")
    }
    with TestClient(create_app(settings)):
        for _ in range(200):  # hashed in a thread beside the start: wait at most 10 s for it
            if wanted <= {r.getMessage() for r in caplog.records}:
                break
            time.sleep(0.05)
    messages = {r.getMessage() for r in caplog.records}
    assert wanted <= messages
    assert "dictation model present: model.bin, config.json, tokenizer.json, vocabulary.json" in (
        messages
    )
