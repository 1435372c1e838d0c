"""The speech engine: a check of the configured model directory, and the Transcriber it loads.

The model is a directory that the operator installs (docs/dictation.md); nothing is ever
downloaded. faster-whisper quietly fetches a tokenizer from the hub when the directory has no
tokenizer.json, so the directory is checked file by file before it is loaded, and the hub is
switched off for the process all the same.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

LANGUAGE = "sv"  # forced: never detected
LOW_PROBABILITY = 0.5  # a word below this is marked for review
REQUIRED = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY = ("vocabulary.json", "vocabulary.txt")

MSG_UNSET = "Diktering är inte tillgänglig: ingen taligenkänningsmodell är inställd."
MSG_MISSING = "Diktering är inte tillgänglig: modellen saknar filer ({files})."
MSG_TIMEOUT = "Transkriberingen tog för lång tid och avbröts. Fältet är oförändrat."
MSG_CRASHED = "Transkriberingen misslyckades. Fältet är oförändrat; försök igen."


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """What the model directory holds: ok, or the Swedish reason why dictation is unavailable."""

    directory: Path | None
    missing: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.directory is not None and not self.missing

    @property
    def message(self) -> str:
        if self.directory is None:
            return MSG_UNSET
        return "" if self.ok else MSG_MISSING.format(files=", ".join(self.missing))

    def sha256(self) -> dict[str, str]:
        """Return each file's sha256 (reads the whole model: seconds for a large one)."""
        assert self.directory is not None
        digests = {}
        for name in self.files:
            digest = hashlib.sha256()
            with (self.directory / name).open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            digests[name] = digest.hexdigest()
        return digests


def check_model(directory: Path | None) -> ModelCheck:
    """Return whether the directory holds what CTranslate2 and the tokenizer need."""
    if directory is None:
        return ModelCheck(None)
    present = {p.name for p in directory.iterdir() if p.is_file()} if directory.is_dir() else set()
    missing = [name for name in REQUIRED if name not in present]
    vocabulary = [name for name in VOCABULARY if name in present]
    if not vocabulary:
        missing.append("vocabulary.json")
    files = [name for name in REQUIRED if name in present] + vocabulary
    if "preprocessor_config.json" in present:
        files.append("preprocessor_config.json")
    return ModelCheck(directory, tuple(missing), tuple(files))


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    probability: float
    start: float
    end: float

    @property
    def doubtful(self) -> bool:
        return self.probability < LOW_PROBABILITY


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A draft: its text, segments and words (each with its probability)."""

    text: str
    segments: tuple[Segment, ...] = ()
    words: tuple[Word, ...] = ()
    seconds_after_vad: float | None = None


class TranscriptionTimeout(Exception):
    """The transcription ran past its time limit."""


class Transcriber(Protocol):
    """Turns 16 kHz mono samples into a Swedish draft (the real engine or the tests' fake)."""

    def transcribe(self, samples: NDArray[np.float32], *, timeout: float) -> Transcript: ...


@dataclass
class WhisperTranscriber:
    """faster-whisper on CPU, int8: Swedish forced, Silero VAD on, word timestamps."""

    directory: Path
    beam_size: int = 5
    threads: int = 2
    language: str = LANGUAGE
    clock: Callable[[], float] = time.monotonic
    _model: WhisperModel | None = field(default=None, init=False, repr=False)

    def load(self) -> WhisperModel:
        """Load the model (once); refuses a directory that fails check_model."""
        if self._model is None:
            check = check_model(self.directory)
            if not check.ok:
                raise RuntimeError(check.message)
            os.environ["HF_HUB_OFFLINE"] = "1"  # never the hub, whatever the directory holds
            from faster_whisper import WhisperModel

            self._model = WhisperModel(
                str(self.directory), device="cpu", compute_type="int8", cpu_threads=self.threads
            )
        return self._model

    def transcribe(self, samples: NDArray[np.float32], *, timeout: float) -> Transcript:
        model = self.load()
        began = self.clock()
        options: dict[str, Any] = {
            "language": self.language,
            "beam_size": self.beam_size,
            "vad_filter": True,
            "word_timestamps": True,
            "condition_on_previous_text": False,  # a bad window does not poison the next
        }
        pieces, info = model.transcribe(samples, **options)
        segments, words = [], []
        for piece in pieces:  # a generator: each window is decoded as it is asked for
            segments.append(Segment(piece.start, piece.end, piece.text.strip()))
            words += [
                Word(w.word.strip(), w.probability, w.start, w.end) for w in piece.words or ()
            ]
            if self.clock() - began > timeout:
                raise TranscriptionTimeout
        text = " ".join(s.text for s in segments if s.text)
        return Transcript(text, tuple(segments), tuple(words), info.duration_after_vad)
