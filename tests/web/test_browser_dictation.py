"""Dictation in real headless Chromium: record from a fake microphone, upload, see the draft,
accept it into the journal form, save and sign the entry.

Chromium's fake audio device plays the committed espeak-ng recording (as WAV); its
MediaRecorder makes the WebM/Opus that the server decodes with PyAV. The transcription is the
real worker loop with the fake transcriber (tests/dictation/fakes.py): the real engine is
tested on its own in tests/dictation/test_engine.py. The fake transcriber notes the length of
each recording it hears, so the test sees that Chromium's recording decoded.
"""

from __future__ import annotations

import re
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.dictation import worker
from barnskydd.staff import service as staff
from tests.dictation.fakes import DRAFT, FakeTranscriber
from tests.dictation.media import speech
from tests.factories import registered_case
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS


def _wav(path: Path) -> Path:
    samples = np.tile(speech("en"), 3)  # Chromium loops the file; a few seconds is enough
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def dictating(tmp_path: Path) -> Iterator[tuple[Any, FakeTranscriber, str]]:
    model = tmp_path / "modell"
    model.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (model / name).write_bytes(b"{}")
    database = tmp_path / "dictation.db"
    fake = FakeTranscriber()
    stop = threading.Event()
    args = (
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={_wav(tmp_path / 'mic.wav')}",
        "--autoplay-policy=no-user-gesture-required",
    )
    with serve(database, dictation_model_dir=model) as url:
        engine = make_engine(f"sqlite:///{database}")
        factory = session_factory(engine)
        with transaction(factory) as session:
            member = staff.get_by_username(session, username="handlaggare")
            actor = staff.actor_for(member)
            number = registered_case(session, member.unit_id or 0, actor).case_number
        loop = threading.Thread(
            target=worker.run,
            args=(factory, fake),
            kwargs={"timeout": 60.0, "poll": 0.2, "stop": stop},
            daemon=True,
        )
        loop.start()
        try:
            with open_page(url, args=args, permissions=["microphone"]) as page:
                yield page, fake, number
        finally:
            stop.set()
            loop.join(timeout=10)
            engine.dispose()


def test_record_upload_review_and_accept_into_a_signed_journal_entry(
    dictating: tuple[Any, FakeTranscriber, str],
) -> None:
    from playwright.sync_api import expect

    page, fake, number = dictating
    page.goto("/")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"/arenden/{number}")

    form = page.locator("form#journal-ny")
    record = form.get_by_role("button", name="Diktera i Anteckning")
    expect(record).to_be_visible()
    # The step form's free text too: every textarea of the case's forms has its button.
    step = page.locator("form#assess_protection")
    expect(step.get_by_role("button", name="Diktera i Anteckning")).to_have_attribute(
        "aria-pressed", "false"
    )
    areas = page.locator("form[action^='/arenden/'] textarea").count()
    assert areas >= 2
    expect(page.locator("button.dictation-record")).to_have_count(areas)
    record.focus()
    page.keyboard.press("Enter")  # keyboard operable
    stop = form.get_by_role("button", name="Stoppa och skicka dikteringen i Anteckning")
    expect(stop).to_have_attribute("aria-pressed", "true")
    # Let the fake microphone speak for a few seconds, as the elapsed time shows them.
    expect(form.locator(".dictation-time")).to_have_text(re.compile(r"0:0[3-9]"), timeout=8000)
    expect(form.locator(".dictation-live")).to_contain_text("Inspelningen pågår")
    expect(form.locator(".dictation-level")).to_be_visible()
    assert_accessible(page, "journal form while recording")
    stop.press("Enter")
    expect(form.locator(".dictation-live")).to_contain_text("Inspelningen är skickad")
    draft = form.locator(".dictation-draft")
    expect(draft).to_be_visible(timeout=15_000)  # the polling fragment turned into the draft
    expect(draft.locator("mark")).to_have_count(2)
    assert fake.heard
    assert fake.heard[0] > 1.5  # Chromium's own WebM/Opus decoded to seconds of audio
    assert_accessible(page, "journal form with a dictation draft")
    page.reload()  # the open dictation is shown again under its field
    form = page.locator("form#journal-ny")
    expect(form.locator(".dictation-draft mark")).to_have_count(2)

    form.get_by_role("button", name="Infoga utkastet i fältet").click()
    expect(form.locator("#journal-text")).to_have_value(DRAFT)
    expect(form.locator(".dictation-live")).to_contain_text("Utkastet är infogat")
    form.locator("#journal-kind").select_option("home_visit")
    form.locator("#journal-minutes").fill("30")
    form.locator("#journal-child_alone").get_by_label("Nej").check()
    form.get_by_role("button", name="Spara anteckningen").click()
    entry = page.locator("ol.journal li").first
    expect(entry).to_contain_text(DRAFT)
    entry.get_by_role("button", name="Signera").click()
    expect(page.locator("ol.journal li").first).to_contain_text("Signerad")
