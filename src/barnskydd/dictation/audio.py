"""A recording's bytes checked and decoded to 16 kHz mono samples, with the FFmpeg in PyAV.

The browser's MediaRecorder gives WebM/Opus (Chrome, Firefox, Edge), Ogg/Opus (Firefox) or
MP4/AAC (Safari); a live WebM has no duration in its header, so the length is what decodes.
Each refusal is an InvalidInput on the field `audio` with a Swedish message, raised before
anything is stored; nothing of the recording is put in the message or a log.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np
from numpy.typing import NDArray

from barnskydd.core.errors import InvalidInput

RATE = 16_000  # Whisper's sampling rate
SILENCE_PEAK = 0.01  # below this peak (of full scale) the recording holds no speech
# FFmpeg names a demuxer by all it reads ("matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"):
# the first of these it names is the one stored.
CONTAINERS = ("webm", "ogg", "mp4", "wav", "mp3", "flac", "matroska", "mov")

MSG_EMPTY = "Inspelningen är tom. Spela in igen."
MSG_NOT_AUDIO = "Filen är inte en ljudinspelning som kan läsas (WebM, Ogg, MP4 eller WAV)."
MSG_TRUNCATED = "Inspelningen är avbruten eller skadad och kan inte läsas. Spela in igen."
MSG_SILENT = "Inget tal hördes i inspelningen. Kontrollera mikrofonen och spela in igen."


def msg_too_large(limit: int) -> str:
    mib = 1024 * 1024
    size = f"{limit / mib:.3g} MiB" if limit >= mib else f"{limit // 1024} KiB"
    return f"Inspelningen är för stor (högst {size})."


def msg_too_long(limit: int) -> str:
    length = f"{limit // 60} minuter" if limit >= 120 and limit % 60 == 0 else f"{limit} sekunder"
    return f"Inspelningen är för lång (högst {length}). Dela upp den."


@dataclass(frozen=True, slots=True)
class Recording:
    """A decoded recording: 16 kHz mono float32 samples and the container it came in."""

    samples: NDArray[np.float32]
    container: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="audio")


def decode(data: bytes, *, max_bytes: int, max_seconds: float) -> Recording:
    """Return the recording decoded, or raise InvalidInput (empty, too large, not audio, ...)."""
    if not data:
        raise _refuse(MSG_EMPTY)
    if len(data) > max_bytes:
        raise _refuse(msg_too_large(max_bytes))
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, ValueError, OSError):
        raise _refuse(MSG_NOT_AUDIO) from None
    with container:
        names = set(container.format.name.split(","))
        known = [name for name in CONTAINERS if name in names]
        if not known or not container.streams.audio:
            raise _refuse(MSG_NOT_AUDIO)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks: list[NDArray[np.float32]] = []
        total = 0
        limit = int(max_seconds * RATE)
        try:
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    chunks.append(chunk)
                    total += len(chunk)
                if total > limit:
                    raise _refuse(msg_too_long(int(max_seconds)))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
        except (av.FFmpegError, ValueError, OSError):
            raise _refuse(MSG_TRUNCATED) from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if len(samples) > limit:
        raise _refuse(msg_too_long(int(max_seconds)))
    if len(samples) < RATE // 4:
        raise _refuse(MSG_TRUNCATED)  # headers, or a fraction of a second: cut off
    if float(np.max(np.abs(samples))) < SILENCE_PEAK:
        raise _refuse(MSG_SILENT)
    return Recording(samples=samples, container=known[0])
