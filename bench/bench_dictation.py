"""Dictation's speech engine on this machine: load time, real-time factor and peak memory.

    .venv/bin/python bench/bench_dictation.py [--model-dir DIR] [--threads 2] [--repeat 6]

The model: the Whisper base pair that the tests join (tests/dictation/weights.py), or a
configured directory such as KB-Whisper small (--model-dir). Each configuration runs in a
process of its own (load, one warm-up call, one timed call), so that its peak RSS is its own:
beam 1 and 5, on a short clip (the committed English espeak-ng sentence, 9.5 s) and on a whole
recording (--repeat distinct sentences spoken by espeak-ng when it is installed, else the clip
again, with a second of silence between: about 40 s to a minute), in
English (scored speech) and, for the short clip, Swedish forced as the product does it. VAD
and word timestamps are on, int8 on the CPU, as in the product. RTF = transcription time /
audio length. The last lines say how many workers fit: by cores (one per --threads) and by
memory (the largest peak RSS against the machine's available memory).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


SENTENCES = (  # synthetic case-note sentences (no real case), spoken by espeak-ng
    "A home visit was made on the twelfth of March.",
    "The mother said that the boy sleeps badly and does not want to go to school.",
    "The social worker met the child alone in the school's meeting room.",
    "The girl says that she feels safe with her grandmother.",
    "The father was not present at the meeting but has been contacted by phone.",
    "The school has reported high absence during the autumn term.",
    "The guardians agree that the investigation is opened.",
    "A new meeting is booked with the school counsellor next week.",
)


def _spoken(text: str) -> object:
    """Speak one sentence with espeak-ng and return it as 16 kHz samples."""
    import tempfile

    from barnskydd.dictation.audio import decode

    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", wav.name, text], check=True)
        data = Path(wav.name).read_bytes()
    return decode(data, max_bytes=len(data) + 1, max_seconds=600).samples


def _audio(kind: str, repeat: int) -> tuple[object, str]:
    import numpy as np
    from tests.dictation.media import silence, speech

    if kind == "short-sv":
        return speech("sv"), "sv"
    clip = speech("en")
    if kind == "short":
        return clip, "en"
    gap = silence(1.0)
    if shutil.which("espeak-ng"):  # distinct sentences, as a real dictation has
        parts = [_spoken(SENTENCES[i % len(SENTENCES)]) for i in range(repeat)]
    else:  # the clip again and again: repetitive text makes Whisper re-decode (slower)
        parts = [clip] * repeat
    return np.concatenate([part for piece in parts for part in (piece, gap)]), "en"


def child(model: Path, beam: int, kind: str, threads: int, repeat: int) -> None:
    """Run one configuration and print its figures as JSON."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from barnskydd.dictation.engine import WhisperTranscriber

    samples, language = _audio(kind, repeat)
    began = time.perf_counter()
    engine = WhisperTranscriber(model, beam_size=beam, threads=threads, language=language)
    engine.load()
    load = time.perf_counter() - began
    warm, _ = _audio("short", repeat)
    engine.transcribe(warm[: 16_000 * 3], timeout=600)  # type: ignore[index]
    began = time.perf_counter()
    transcript = engine.transcribe(samples, timeout=3600)  # type: ignore[arg-type]
    spent = time.perf_counter() - began
    seconds = len(samples) / 16_000  # type: ignore[arg-type]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "beam": beam,
                "audio": kind,
                "language": language,
                "audio_s": round(seconds, 1),
                "load_s": round(load, 2),
                "transcribe_s": round(spent, 2),
                "rtf": round(spent / seconds, 3),
                "peak_rss_mb": round(peak_mb),
                "words": len(transcript.words),
            }
        )
    )


def _available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--child", nargs=2, metavar=("BEAM", "AUDIO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model_dir is None:
        from tests.dictation.weights import base_model_dir

        args.model_dir = base_model_dir()
    if args.child:
        child(args.model_dir, int(args.child[0]), args.child[1], args.threads, args.repeat)
        return
    print(
        f"machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"load average {os.getloadavg()[0]:.1f}, {_available_mb():.0f} MB available"
    )
    print(f"model: {args.model_dir}, int8, {args.threads} threads, VAD and word timestamps on")
    rows = []
    for kind in ("short", "whole", "short-sv"):
        for beam in (1, 5):
            command = [sys.executable, __file__, "--model-dir", str(args.model_dir)]
            command += ["--threads", str(args.threads), "--repeat", str(args.repeat)]
            out = subprocess.run(
                [*command, "--child", str(beam), kind],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{row['audio']:9} {row['language']} beam {beam}: {row['audio_s']:5.1f} s audio, "
                f"load {row['load_s']:.2f} s, transcribe {row['transcribe_s']:.2f} s, "
                f"RTF {row['rtf']:.3f}, peak RSS {row['peak_rss_mb']} MB, {row['words']} words"
            )
    peak = max(row["peak_rss_mb"] for row in rows)
    by_cores = max(1, (os.cpu_count() or 1) // args.threads)
    by_memory = int(_available_mb() // peak)
    print(
        f"workers that fit: {min(by_cores, by_memory)} "
        f"(cores: {by_cores} at {args.threads} threads each; memory: {by_memory} at {peak} MB)"
    )


if __name__ == "__main__":
    main()
