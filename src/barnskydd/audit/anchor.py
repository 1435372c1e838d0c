"""Published heads of the audit chain: signed lines in an append-only file outside the database.

Each line is one JSON object: the head's sequence number and hash, the time it was read, and an
Ed25519 JWS (joserfc, as for the lookup's tokens) over those three. A consistent rewrite of the
chain in the database (every hash recomputed, the head moved along) no longer has the hash an
anchor published for its entry, so `audit verify` finds it; see docs/chain.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Final

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from barnskydd.audit.rules import Anchor, BreakKind, ChainBreak, is_hash, is_int
from barnskydd.core.errors import InvalidInput

ALGORITHM: Final = "Ed25519"


class AnchorsBroken(Exception):
    """The anchor file itself is not intact (a line unreadable, unsigned or out of order)."""

    def __init__(self, broken: ChainBreak) -> None:
        super().__init__(broken.reason)
        self.broken = broken


def create_key(path: Path) -> OKPKey:
    """Write a new Ed25519 private key (JWK, readable by its owner only); never overwrite."""
    key = OKPKey.generate_key(ALGORITHM)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        message = f"{path} finns redan; nyckeln skrivs aldrig över."
        raise InvalidInput(message, field="key") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(key.as_dict(private=True), out)
    return key


def load_key(path: Path, *, create: bool) -> OKPKey:
    """Read the anchor key (private, or only its public half to check); create it if allowed."""
    if not path.exists():
        if create:
            return create_key(path)
        raise InvalidInput(
            f"{path}: ingen nyckel för revisionsloggens ankare; skapa en med "
            "`barnskydd audit keygen`.",
            field="key",
        )
    try:
        key = OKPKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, JoseError):
        raise InvalidInput(f"{path}: ingen läsbar Ed25519-nyckel (JWK).", field="key") from None
    if key.curve_name != ALGORITHM:
        raise InvalidInput(f"{path}: nyckeln är ingen Ed25519-nyckel.", field="key")
    return key


def public_jwk(key: OKPKey) -> dict[str, Any]:
    """Return the public half of the key, to publish where anchors are checked."""
    return dict(key.as_dict(private=False))


def _payload(seq: int, digest: str, at: str) -> bytes:
    return json.dumps({"seq": seq, "hash": digest, "at": at}, sort_keys=True).encode()


def line(key: OKPKey, *, seq: int, digest: str, at: dt.datetime) -> str:
    """Return the signed JSON line that publishes entry `seq` with hash `digest`."""
    stamp = at.astimezone(dt.UTC).isoformat()
    signature = jws.serialize_compact(
        {"alg": ALGORITHM}, _payload(seq, digest, stamp), key, algorithms=[ALGORITHM]
    )
    return json.dumps(
        {"seq": seq, "hash": digest, "at": stamp, "kid": key.thumbprint(), "jws": signature}
    )


def append(path: Path, text: str) -> None:
    """Append one line to the anchor file (opened append-only) and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (text + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _broken(number: int, reason: str) -> AnchorsBroken:
    return AnchorsBroken(ChainBreak(BreakKind.ANCHOR, None, f"ankarfilens rad {number}: {reason}"))


def _parse(number: int, text: str, key: OKPKey) -> Anchor:
    try:
        data = json.loads(text)
    except ValueError:
        raise _broken(number, "ingen läsbar JSON") from None
    if not isinstance(data, dict):
        raise _broken(number, "inget JSON-objekt")
    seq, digest, stamp, signature = (data.get(k) for k in ("seq", "hash", "at", "jws"))
    if not (is_int(seq) and is_hash(digest) and isinstance(stamp, str)):
        raise _broken(number, "seq, hash eller at saknas eller är felaktiga")
    assert isinstance(seq, int)  # for mypy: checked above
    assert isinstance(digest, str)
    if not isinstance(signature, str):
        raise _broken(number, "signaturen saknas")
    try:
        signed = jws.deserialize_compact(signature, key, algorithms=[ALGORITHM]).payload
    except (JoseError, ValueError, TypeError):
        raise _broken(number, "signaturen stämmer inte med nyckeln") from None
    if signed != _payload(seq, digest, stamp):
        raise _broken(number, "raden säger något annat än det som signerades")
    try:
        at = dt.datetime.fromisoformat(stamp)
    except ValueError:
        raise _broken(number, "tidpunkten går inte att läsa") from None
    if at.tzinfo is None:
        raise _broken(number, "tidpunkten saknar tidszon")
    return Anchor(seq=seq, hash=digest, at=at, line=number)


def read(path: Path, key: OKPKey) -> list[Anchor]:
    """Return every anchor in the file, each checked: signed by the key, in order.

    Raises AnchorsBroken naming the first line that is not. A missing file holds no anchors.
    """
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return []
    anchors: list[Anchor] = []
    for number, raw in enumerate(text.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _broken(number, "ingen läsbar text") from None
        anchor = _parse(number, decoded, key)
        if anchors:
            before = anchors[-1]
            if anchor.seq < before.seq or anchor.at < before.at:
                raise _broken(number, f"ankaret går bakåt jämfört med rad {before.line}")
            if anchor.seq == before.seq and anchor.hash != before.hash:
                other = f"post {anchor.seq} har en annan hash än på rad {before.line}"
                raise _broken(number, other)
        anchors.append(anchor)
    return anchors
