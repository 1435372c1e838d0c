"""The hash chain, tested without a database: every row content gives a break or None."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from barnskydd.audit.rules import (
    GENESIS_HASH,
    Anchor,
    BreakKind,
    entry_hash,
    hashed_fields,
    verify_chain,
)

AT = dt.datetime(2025, 6, 19, 10, 0, tzinfo=dt.UTC)


def _chain(n: int) -> list[dict[str, Any]]:
    rows = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        row: dict[str, Any] = {
            "seq": seq,
            "at": AT,
            "actor": "anna",
            "role": "case_worker",
            "action": "read",
            "entity": "case",
            "entity_id": seq,
            "child_id": None,
            "case_id": seq,
            "purpose": "handläggning",
            "prev_hash": prev,
        }
        prev = row["hash"] = entry_hash(prev, hashed_fields(row))
        rows.append(row)
    return rows


def _head(rows: list[dict[str, Any]]) -> tuple[object, object]:
    return rows[-1]["seq"], rows[-1]["hash"]


def test_an_intact_chain_verifies() -> None:
    rows = _chain(5)
    assert verify_chain(rows, head=_head(rows)) is None


def test_an_altered_entry_is_named() -> None:
    rows = _chain(5)
    head = _head(rows)
    rows[2]["actor"] = "mallory"
    broken = verify_chain(rows, head=head)
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.ENTRY, 3)
    assert "ändrats" in broken.reason


def test_a_deleted_entry_names_the_entry_after_the_gap() -> None:
    rows = _chain(5)
    head = _head(rows)
    del rows[1]
    broken = verify_chain(rows, head=head)
    assert broken is not None
    assert broken.seq == 3
    assert "post 2 saknas" in broken.reason


def test_a_rehashed_entry_breaks_the_link_to_the_next() -> None:
    rows = _chain(4)
    head = _head(rows)
    rows[1]["purpose"] = "forged"
    rows[1]["hash"] = entry_hash(rows[1]["prev_hash"], hashed_fields(rows[1]))
    broken = verify_chain(rows, head=head)
    assert broken is not None
    assert broken.seq == 3


def test_a_truncated_tail_names_the_last_entry_that_remains() -> None:
    rows = _chain(5)
    broken = verify_chain(rows[:3], head=_head(rows))
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.HEAD, 3)
    assert "avkortad efter post 3" in broken.reason


def test_an_entry_past_the_head_is_named() -> None:
    rows = _chain(5)
    broken = verify_chain(rows, head=_head(rows[:4]))
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.HEAD, 5)


def test_a_missing_head_is_said_to_be_missing() -> None:
    broken = verify_chain(_chain(3), head=None)
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.HEAD, None)
    assert "saknas" in broken.reason


def test_a_consistent_rewrite_is_caught_by_an_anchor() -> None:
    original = _chain(5)
    anchor = Anchor(seq=4, hash=original[3]["hash"], at=AT, line=1)
    rewritten = _chain(5)
    for row in rewritten:  # the same chain with entry 2 changed and every hash recomputed
        if row["seq"] == 2:
            row["actor"] = "mallory"
        if row["seq"] >= 2:
            row["prev_hash"] = rewritten[row["seq"] - 2]["hash"]
            row["hash"] = entry_hash(row["prev_hash"], hashed_fields(row))
    assert verify_chain(rewritten, head=_head(rewritten)) is None
    broken = verify_chain(rewritten, head=_head(rewritten), anchors=[anchor])
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.ANCHOR, 4)


def test_an_anchor_past_the_end_tells_the_tail_was_cut() -> None:
    rows = _chain(5)
    anchor = Anchor(seq=5, hash=rows[4]["hash"], at=AT, line=1)
    broken = verify_chain(rows[:4], head=_head(rows[:4]), anchors=[anchor])
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.ANCHOR, 4)
    assert "kapats efter post 4" in broken.reason


def test_the_hash_does_not_depend_on_key_order() -> None:
    assert entry_hash("x", {"a": 1, "b": 2}) == entry_hash("x", {"b": 2, "a": 1})


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=70),
    st.binary(max_size=70),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.datetimes(),
    st.sampled_from([GENESIS_HASH, "A" * 64, "g" * 64]),
)
COLUMNS = [*hashed_fields(_chain(1)[0]), "prev_hash", "hash"]


@given(
    edits=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(COLUMNS), ANY_VALUE), max_size=4),
    drop=st.lists(st.integers(0, 5), max_size=2),
    head=st.one_of(st.none(), st.tuples(ANY_VALUE, ANY_VALUE)),
)
def test_any_row_content_gives_a_break_naming_a_present_entry_or_none(
    edits: list[tuple[int, str, object]], drop: list[int], head: tuple[object, object] | None
) -> None:
    rows: list[dict[str, Any]] = _chain(6)
    for index, column, value in edits:
        rows[index][column] = value
    rows = [row for i, row in enumerate(rows) if i not in drop]
    broken = verify_chain(rows, head=head)
    if broken is not None:
        assert broken.seq is None or broken.seq in [row["seq"] for row in rows]
        assert broken.reason
