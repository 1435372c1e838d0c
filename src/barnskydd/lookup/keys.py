"""The pseudonymiser's OPRF keys: versioned, one current, older ones kept for a transition."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from barnskydd.core.errors import InvalidInput
from barnskydd.lookup import oprf

KEY_INFO = b"barnskydd national lookup v%d"


@dataclass(frozen=True)
class KeyVersion:
    """One OPRF key: its version, secret scalar and the last day it is still accepted."""

    version: int
    secret: bytes = field(repr=False)
    accepted_until: dt.date | None = None


@dataclass(frozen=True)
class KeyRing:
    """All key versions the pseudonymiser holds; the current one is used for new pseudonyms."""

    current: int
    versions: dict[int, KeyVersion] = field(repr=False)

    def accepted(self, today: dt.date) -> list[int]:
        """Return the versions still evaluated today, current first."""
        live = [
            v.version
            for v in self.versions.values()
            if v.accepted_until is None or v.accepted_until >= today
        ]
        return sorted(live, key=lambda v: (v != self.current, -v))

    def secret(self, version: int, today: dt.date) -> bytes:
        """Return the secret scalar of an accepted version, or raise InvalidInput."""
        if version not in self.accepted(today):
            raise InvalidInput(f"Okänd eller utfasad nyckelversion {version}.", field="key_version")
        return self.versions[version].secret


def load(path: Path) -> KeyRing:
    """Read a key file written by create or rotate."""
    data = json.loads(path.read_text(encoding="utf-8"))
    versions = {}
    for item in data["keys"]:
        version = int(item["version"])
        pair = oprf.derive_key_pair(bytes.fromhex(item["seed"]), KEY_INFO % version)
        until = item.get("accepted_until")
        versions[version] = KeyVersion(
            version, pair.secret, dt.date.fromisoformat(until) if until else None
        )
    return KeyRing(int(data["current"]), versions)


def _write(path: Path, data: dict[str, object]) -> None:
    """Write the key file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
    tmp.replace(path)


def create(path: Path) -> None:
    """Write a new key file with version 1; refuse to overwrite one."""
    if path.exists():
        raise InvalidInput(f"{path} finns redan; använd rotate för en ny nyckelversion.")
    _write(path, {"current": 1, "keys": [{"version": 1, "seed": oprf.generate_seed().hex()}]})


def rotate(path: Path, *, today: dt.date, transition_days: int) -> int:
    """Add a new current version; the old ones stay accepted for transition_days."""
    data = json.loads(path.read_text(encoding="utf-8"))
    until = (today + dt.timedelta(days=transition_days)).isoformat()
    for item in data["keys"]:
        if not item.get("accepted_until"):
            item["accepted_until"] = until
    new = max(int(item["version"]) for item in data["keys"]) + 1
    data["keys"].append({"version": new, "seed": oprf.generate_seed().hex()})
    data["current"] = new
    _write(path, data)
    return new
