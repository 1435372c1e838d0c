"""barnskydd dictation check-model and worker: the model check's exits, a queue emptied."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings
from barnskydd.dictation import service
from barnskydd.dictation.engine import MSG_MISSING, MSG_UNSET
from barnskydd.dictation.models import DictationJob, JobStatus
from barnskydd.staff import service as staff
from tests.cli.test_cli_chain import db  # noqa: F401  (the fixture)
from tests.dictation.media import encode, speech
from tests.dictation.weights import MODEL_SHA256, base_model_dir
from tests.factories import registered_case

runner = CliRunner()


def test_check_model_names_what_is_missing_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BARNSKYDD_DICTATION_MODEL_DIR", raising=False)
    get_settings.cache_clear()
    unset = runner.invoke(app, ["dictation", "check-model"])
    assert (unset.exit_code, unset.stderr.strip()) == (2, f"fel: {MSG_UNSET}")
    empty = runner.invoke(app, ["dictation", "check-model", "--model-dir", str(tmp_path)])
    missing = "model.bin, config.json, tokenizer.json, vocabulary.json"
    assert (empty.exit_code, empty.stderr.strip()) == (
        2,
        f"fel: {MSG_MISSING.format(files=missing)}",
    )
    get_settings.cache_clear()


@pytest.mark.dictation_engine
@pytest.mark.xdist_group("dictation_engine")
def test_check_model_prints_the_sha256_and_the_worker_empties_the_queue(
    db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = base_model_dir()
    checked = runner.invoke(app, ["dictation", "check-model", "--model-dir", str(model)])
    assert checked.exit_code == 0, checked.stderr
    assert f"{MODEL_SHA256}  model.bin" in checked.stdout.splitlines()
    assert "Modellen laddades." in checked.stdout

    engine = make_engine(db)
    with transaction(session_factory(engine)) as session:
        actor = staff.actor_for(staff.get_by_username(session, username="anna"))
        case = registered_case(session, actor.unit_id or 0, actor)
        data = encode(speech("en"), "webm")
        limits = service.Limits(max_bytes=len(data), max_seconds=60, audio_days=7)
        service.submit(
            session, actor=actor, case=case, field="journal-text", data=data, limits=limits
        )
    monkeypatch.setenv("BARNSKYDD_DICTATION_MODEL_DIR", str(model))
    monkeypatch.setenv("BARNSKYDD_DICTATION_BEAM_SIZE", "1")
    get_settings.cache_clear()
    worked = runner.invoke(app, ["dictation", "worker", "--once"])
    get_settings.cache_clear()
    assert worked.exit_code == 0, worked.stderr
    with engine.connect() as conn:
        status, draft = conn.execute(select(DictationJob.status, DictationJob.draft)).one()
    engine.dispose()
    assert status is JobStatus.DONE
    assert draft


def test_serve_starts_the_settings_workers_only_when_a_model_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from barnskydd.cli import web

    started: list[list[str]] = []
    monkeypatch.setattr(web.subprocess, "Popen", lambda command: started.append(command))
    monkeypatch.setenv("BARNSKYDD_DICTATION_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("BARNSKYDD_DICTATION_WORKERS", "2")
    get_settings.cache_clear()
    assert web._start_dictation_workers() == []  # the directory is empty: none started
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (tmp_path / name).write_bytes(b"{}")
    assert len(web._start_dictation_workers()) == 2
    get_settings.cache_clear()
    assert started == [[web.sys.executable, "-m", "barnskydd", "dictation", "worker"]] * 2
