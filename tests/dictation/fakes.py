"""A fake transcriber for the tests of the queue, the review and the desk (no model)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from barnskydd.dictation.engine import Transcript, TranscriptionTimeout, Word

DRAFT = "Hembesök genomfördes i dag och barnet mår bra"
PROBABILITIES = (0.95, 0.9, 0.99, 0.2, 0.97, 0.98, 0.3, 0.96)  # "dag" and "mår" doubtful


@dataclass
class FakeTranscriber:
    """Answers every recording with DRAFT; or times out, or crashes, when told to."""

    mode: str = "ok"  # "ok", "timeout" or "crash"
    heard: list[float] = field(default_factory=list)  # each recording's length, in seconds

    def transcribe(self, samples: NDArray[np.float32], *, timeout: float) -> Transcript:
        self.heard.append(len(samples) / 16_000)
        if self.mode == "timeout":
            raise TranscriptionTimeout
        if self.mode == "crash":
            raise RuntimeError("the engine fell over")
        words = tuple(
            Word(text, p, i * 0.5, i * 0.5 + 0.4)
            for i, (text, p) in enumerate(zip(DRAFT.split(), PROBABILITIES, strict=True))
        )
        return Transcript(DRAFT, words=words)
