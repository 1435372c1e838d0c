"""The audit trail's hash chain, as pure functions (tested without a database).

`verify_chain` is total: whatever a row holds (a malformed time, NULL, a value of the wrong
type, a hash that is not hex, a gap, a row out of place), it returns the first break, naming
an entry that exists, or the head, and never raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TEXT = ("actor", "role", "action", "entity")
_OPTIONAL_INT = ("entity_id", "child_id", "case_id")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """Return the SHA-256 of the previous hash and the entry's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def hashed_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return what an entry's hash covers (its sequence number and everything it says)."""
    return {
        "seq": entry["seq"],
        "at": entry["at"].isoformat(),
        "actor": entry["actor"],
        "role": entry["role"],
        "action": entry["action"],
        "entity": entry["entity"],
        "entity_id": entry["entity_id"],
        "child_id": entry["child_id"],
        "case_id": entry["case_id"],
        "purpose": entry["purpose"],
    }


class BreakKind(StrEnum):
    """Where the break is: in the entries, in the head row, or against a published anchor."""

    ENTRY = "entry"
    HEAD = "head"
    ANCHOR = "anchor"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place at which the chain no longer holds, and why (in Swedish).

    `seq` is always an entry that exists in the table, or None when no entry can be named
    (the head row is missing or malformed, or every entry is gone).
    """

    kind: BreakKind
    seq: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """A published head: entry `seq` had hash `hash` at time `at` (line `line` of the file)."""

    seq: int
    hash: str
    at: dt.datetime
    line: int


def is_int(value: object) -> bool:
    """Tell whether a value is an integer (and not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_hash(value: object) -> bool:
    """Tell whether a value is a SHA-256 hash as the chain writes it (64 lowercase hex)."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def malformed(row: Mapping[str, object]) -> str | None:
    """Return what is wrong with a row's fields (in Swedish), or None when each is well-typed."""
    at = row.get("at")
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        return "tidpunkten (at) saknas eller är ingen giltig tidpunkt"
    for name in _TEXT:
        if not isinstance(row.get(name), str):
            return f"fältet {name} saknas eller är ingen text"
    for name in _OPTIONAL_INT:
        value = row.get(name)
        if value is not None and not is_int(value):
            return f"fältet {name} är inget heltal"
    purpose = row.get("purpose")
    if purpose is not None and not isinstance(purpose, str):
        return "fältet purpose är ingen text"
    for name in ("prev_hash", "hash"):
        if not is_hash(row.get(name)):
            return f"fältet {name} är inte 64 hexadecimala tecken"
    return None


def _after(seq: int) -> str:
    return f"post {seq}" if seq else "kedjans början"


def verify_chain(
    rows: Iterable[Mapping[str, object]],
    *,
    head: tuple[object, object] | None,
    anchors: Sequence[Anchor] = (),
    start: tuple[int, str] | None = None,
) -> ChainBreak | None:
    """Check the rows in sequence order against each other, the head and the anchors.

    `rows` hold the columns of audit_entry; `head` is the head row's (seq, hash), None when
    the row is missing; `anchors` are published heads, in file order (monotonic); `start` is
    an entry already checked (seq, hash) after which `rows` begin. Returns the first break.
    """
    last, prev = start if start is not None else (0, GENESIS_HASH)
    pending = sorted((a for a in anchors if a.seq > last), key=lambda a: a.seq)
    matched: Anchor | None = None
    for row in rows:
        seq = row.get("seq")
        if not is_int(seq):
            return ChainBreak(BreakKind.ENTRY, None, f"raden efter {_after(last)} har inget nummer")
        assert isinstance(seq, int)  # for mypy: is_int checked it
        if seq <= last:
            return ChainBreak(
                BreakKind.ENTRY,
                seq,
                f"post {seq} hör inte hemma i kedjan (efter {_after(last)} väntades {last + 1})",
            )
        if seq > last + 1:
            missing = f"post {last + 1}" if seq == last + 2 else f"posterna {last + 1}–{seq - 1}"
            return ChainBreak(
                BreakKind.ENTRY, seq, f"{missing} saknas: efter {_after(last)} kommer post {seq}"
            )
        problem = malformed(row)
        if problem is not None:
            return ChainBreak(BreakKind.ENTRY, seq, f"posten är felaktig: {problem}")
        if row["prev_hash"] != prev:
            culprit = f"post {last} eller {seq}" if last else f"post {seq}"
            return ChainBreak(
                BreakKind.ENTRY,
                seq,
                f"prev_hash stämmer inte med {_after(last)}s hash ({culprit} har ändrats)",
            )
        stored = row["hash"]
        assert isinstance(stored, str)  # for mypy: malformed checked it
        if entry_hash(prev, hashed_fields(row)) != stored:
            altered = "innehållet stämmer inte med postens hash (posten har ändrats)"
            return ChainBreak(BreakKind.ENTRY, seq, altered)
        while pending and pending[0].seq == seq:
            anchor = pending.pop(0)
            if anchor.hash != stored:
                since = f"efter post {matched.seq}" if matched is not None else "från början"
                return ChainBreak(
                    BreakKind.ANCHOR,
                    seq,
                    f"posten har inte den hash som ankaret från {anchor.at.isoformat()} anger "
                    f"(ankarfilens rad {anchor.line}): kedjan har skrivits om {since} "
                    f"till och med post {seq}",
                )
            matched = anchor
        last, prev = seq, stored
    broken = _check_head(head, last, prev)
    if broken is not None:
        return broken
    if pending:
        anchor = pending[0]
        return ChainBreak(
            BreakKind.ANCHOR,
            last or None,
            f"ankaret från {anchor.at.isoformat()} (ankarfilens rad {anchor.line}) anger post "
            f"{anchor.seq}, men kedjan slutar "
            + (f"vid post {last}: svansen har kapats efter post {last}" if last else "före post 1")
            + " och huvudet flyttats med",
        )
    return None


def _check_head(head: tuple[object, object] | None, last: int, prev: str) -> ChainBreak | None:
    if head is None:
        if last == 0:
            return None  # a trail that has never been written to
        return ChainBreak(
            BreakKind.HEAD, None, f"huvudet (audit_head) saknas; kedjan har {last} poster"
        )
    head_seq, head_hash = head
    if not is_int(head_seq) or not is_hash(head_hash):
        return ChainBreak(BreakKind.HEAD, None, "huvudet (audit_head) är felaktigt")
    assert isinstance(head_seq, int)  # for mypy
    if head_seq < 1:
        return ChainBreak(BreakKind.HEAD, None, f"huvudet (audit_head) anger post {head_seq}")
    if head_seq > last:
        if last == 0:
            return ChainBreak(
                BreakKind.HEAD, None, f"alla poster saknas: huvudet anger {head_seq} poster"
            )
        return ChainBreak(
            BreakKind.HEAD,
            last,
            f"kedjan är avkortad efter post {last}: huvudet anger {head_seq} poster",
        )
    if head_seq < last:
        return ChainBreak(
            BreakKind.HEAD,
            head_seq + 1,
            f"posten ligger efter huvudet, som anger {head_seq} poster: posterna efter "
            f"{head_seq} har lagts till utanför kedjan eller huvudet flyttats bakåt",
        )
    if head_hash != prev:
        return ChainBreak(
            BreakKind.HEAD,
            last,
            "postens hash stämmer inte med huvudets (den sista posten eller huvudet har ändrats)",
        )
    return None
