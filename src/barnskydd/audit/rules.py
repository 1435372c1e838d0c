"""The audit trail's hash chain, as pure functions (tested without a database)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """Return the SHA-256 of the previous hash and the entry's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry at which the chain no longer holds, and why."""

    seq: int
    reason: str


def verify_chain(
    entries: Iterable[tuple[int, str, str, dict[str, Any]]],
    *,
    head: tuple[int, str] | None = None,
) -> ChainBreak | None:
    """Check (seq, prev_hash, hash, fields) rows in order; return the first break or None."""
    expected_seq = 1
    prev = GENESIS_HASH
    for seq, prev_hash, stored_hash, fields in entries:
        if seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (next is {seq})")
        if prev_hash != prev:
            return ChainBreak(seq, "prev_hash does not match the previous entry's hash")
        if entry_hash(prev_hash, fields) != stored_hash:
            return ChainBreak(seq, "content does not match its hash (entry was altered)")
        prev = stored_hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != last_seq:
            return ChainBreak(
                last_seq + 1, f"the head records {head_seq} entries but {last_seq} remain"
            )
        if head_hash != prev:
            return ChainBreak(last_seq, "the last entry's hash does not match the recorded head")
    return None
