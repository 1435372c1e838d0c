"""Recordings made in the tests the way browsers make them, with PyAV's own encoders.

Chrome's MediaRecorder writes WebM/Opus at 48 kHz as a live stream (no duration in the
header), Firefox Ogg/Opus, Safari MP4/AAC; `encode` writes the same from samples.
"""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from barnskydd.dictation.audio import RATE, decode

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = {  # container: (codec, sample rate, muxer options)
    "webm": ("libopus", 48_000, {"live": "1"}),
    "ogg": ("libopus", 48_000, {}),
    "mp4": ("aac", 48_000, {"movflags": "frag_keyframe+empty_moov"}),
}


def encode(samples: NDArray[np.float32], container: str, *, rate: int = RATE) -> bytes:
    """Return mono float samples at `rate` as a recording in the container, browser-like."""
    codec, out_rate, options = FORMATS[container]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container, options=options) as out:
        stream = out.add_stream(codec, rate=out_rate, layout="mono")
        stream.bit_rate = 32_000 if codec == "libopus" else 64_000
        frame = av.AudioFrame.from_ndarray(
            np.clip(samples, -1, 1).astype(np.float32).reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=out_rate)
        for piece in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def tone(seconds: float, *, level: float = 0.3, hz: float = 440.0) -> NDArray[np.float32]:
    """A sine tone (the fake transcriber's input: loud enough to pass the silence check)."""
    t = np.arange(int(seconds * RATE), dtype=np.float32) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def silence(seconds: float) -> NDArray[np.float32]:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def speech(name: str) -> NDArray[np.float32]:
    """A committed espeak-ng fixture (fixtures/README.md), decoded to 16 kHz samples."""
    data = (FIXTURES / f"{name}.ogg").read_bytes()
    return decode(data, max_bytes=len(data) + 1, max_seconds=600).samples
