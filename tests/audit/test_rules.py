"""The hash chain, tested without a database."""

from __future__ import annotations

from typing import Any

from barnskydd.audit.rules import GENESIS_HASH, entry_hash, verify_chain


def _chain(n: int) -> list[tuple[int, str, str, dict[str, Any]]]:
    rows = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        fields = {"seq": seq, "actor": "anna", "action": "read", "case_id": seq}
        digest = entry_hash(prev, fields)
        rows.append((seq, prev, digest, fields))
        prev = digest
    return rows


def test_an_intact_chain_verifies() -> None:
    rows = _chain(5)
    assert verify_chain(rows, head=(5, rows[-1][2])) is None


def test_an_altered_entry_is_named() -> None:
    rows = _chain(5)
    seq, prev, digest, fields = rows[2]
    rows[2] = (seq, prev, digest, {**fields, "actor": "mallory"})
    broken = verify_chain(rows)
    assert broken is not None
    assert broken.seq == 3
    assert "altered" in broken.reason


def test_a_deleted_entry_is_named() -> None:
    rows = _chain(5)
    del rows[1]
    broken = verify_chain(rows)
    assert broken is not None
    assert broken.seq == 2


def test_a_rehashed_entry_breaks_the_link_to_the_next() -> None:
    rows = _chain(4)
    seq, prev, _, fields = rows[1]
    forged = {**fields, "purpose": "forged"}
    rows[1] = (seq, prev, entry_hash(prev, forged), forged)
    broken = verify_chain(rows)
    assert broken is not None
    assert broken.seq == 3


def test_a_truncated_tail_is_caught_by_the_head() -> None:
    rows = _chain(5)
    broken = verify_chain(rows[:3], head=(5, rows[-1][2]))
    assert broken is not None
    assert broken.seq == 4


def test_the_hash_does_not_depend_on_key_order() -> None:
    assert entry_hash("x", {"a": 1, "b": 2}) == entry_hash("x", {"b": 2, "a": 1})
