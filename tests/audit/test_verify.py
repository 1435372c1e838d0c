"""verify is total: whatever the rows hold, it names the first broken entry that exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry, AuditHead
from barnskydd.audit.rules import Anchor, BreakKind, entry_hash, hashed_fields
from barnskydd.core.actor import Actor, Role

ACTOR = Actor(username="anna", role=Role.CASE_WORKER)
N = 5


def write_chain(session: Session, n: int = N) -> None:
    for i in range(1, n + 1):
        audit.record(
            session, actor=ACTOR, action="read", entity="case", case_id=i, purpose="kontroll"
        )
    audit.append_pending(session)


def seqs(session: Session) -> set[int]:
    return set(session.scalars(text("SELECT seq FROM audit_entry")))


def rewrite_consistently(session: Session, *, seq: int, actor: str = "mallory") -> None:
    """Change one entry and recompute every hash after it, and the head: no break remains."""
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    prev = entries[seq - 2].hash if seq > 1 else "0" * 64
    for entry in entries[seq - 1 :]:
        row: dict[str, Any] = {c.name: getattr(entry, c.name) for c in AuditEntry.__table__.columns}
        if entry.seq == seq:
            row["actor"] = actor
        row["prev_hash"] = prev
        prev = entry_hash(prev, hashed_fields(row))
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.seq == entry.seq)
            .values(actor=row["actor"], prev_hash=row["prev_hash"], hash=prev)
        )
    session.execute(update(AuditHead).values(hash=prev))
    session.expire_all()


def _set(session: Session, sql: str, **params: object) -> None:
    for statement in sql.split(";"):
        session.execute(text(statement), params)
    session.expire_all()


SQLITE_ONLY = ("sqlite",)
CASES: list[tuple[str, tuple[str, ...] | None, str, dict[str, object], BreakKind, int | None]] = [
    (
        "bad time text",
        SQLITE_ONLY,
        "UPDATE audit_entry SET at = 'igår' WHERE seq = 3",
        {},
        BreakKind.ENTRY,
        3,
    ),
    (
        "time as a number",
        SQLITE_ONLY,
        "UPDATE audit_entry SET at = 12.5 WHERE seq = 2",
        {},
        BreakKind.ENTRY,
        2,
    ),
    (
        "time beyond Python",
        ("postgresql",),
        "UPDATE audit_entry SET at = 'infinity' WHERE seq = 3",
        {},
        BreakKind.ENTRY,
        3,
    ),
    (
        "time past year 9999",
        ("postgresql",),
        "UPDATE audit_entry SET at = '10000-01-01 00:00+00' WHERE seq = 4",
        {},
        BreakKind.ENTRY,
        4,
    ),
    (
        "time before Christ",
        ("postgresql",),
        "UPDATE audit_entry SET at = '0044-03-15 12:00+00 BC' WHERE seq = 1",
        {},
        BreakKind.ENTRY,
        1,
    ),
    (
        "text in a number column",
        SQLITE_ONLY,
        "UPDATE audit_entry SET case_id = 'tre' WHERE seq = 3",
        {},
        BreakKind.ENTRY,
        3,
    ),
    (
        "bytes that are no UTF-8",
        SQLITE_ONLY,
        "UPDATE audit_entry SET actor = CAST(x'ff00fe' AS TEXT) WHERE seq = 2",
        {},
        BreakKind.ENTRY,
        2,
    ),
    (
        "a blob hash",
        SQLITE_ONLY,
        "UPDATE audit_entry SET hash = x'00' WHERE seq = 5",
        {},
        BreakKind.ENTRY,
        5,
    ),
    (
        "NULL where none may be",
        SQLITE_ONLY,
        "PRAGMA ignore_check_constraints = 1",
        {},
        BreakKind.ENTRY,
        None,
    ),  # replaced below
    (
        "non-hex hash",
        None,
        "UPDATE audit_entry SET hash = :h WHERE seq = 4",
        {"h": "z" * 64},
        BreakKind.ENTRY,
        4,
    ),
    ("deleted middle entry", None, "DELETE FROM audit_entry WHERE seq = 3", {}, BreakKind.ENTRY, 4),
    ("deleted first entry", None, "DELETE FROM audit_entry WHERE seq = 1", {}, BreakKind.ENTRY, 2),
    (
        "an entry before the first",
        None,
        "INSERT INTO audit_entry SELECT 0, at, actor, role, action, entity, entity_id, child_id,"
        " case_id, purpose, prev_hash, hash FROM audit_entry WHERE seq = 1",
        {},
        BreakKind.ENTRY,
        0,
    ),
    ("cut tail", None, "DELETE FROM audit_entry WHERE seq >= 4", {}, BreakKind.HEAD, 3),
    ("every entry deleted", None, "DELETE FROM audit_entry", {}, BreakKind.HEAD, None),
    ("deleted head", None, "DELETE FROM audit_head", {}, BreakKind.HEAD, None),
    ("head past the end", None, "UPDATE audit_head SET seq = 9", {}, BreakKind.HEAD, 5),
    ("head moved back", None, "UPDATE audit_head SET seq = 3", {}, BreakKind.HEAD, 4),
    (
        "head hash forged",
        None,
        "UPDATE audit_head SET hash = :h",
        {"h": "a" * 64},
        BreakKind.HEAD,
        5,
    ),
    ("head hash not hex", None, "UPDATE audit_head SET hash = 'x'", {}, BreakKind.HEAD, None),
    (
        "reordered entries",
        None,
        "UPDATE audit_entry SET seq = 99 WHERE seq = 2;"
        " UPDATE audit_entry SET seq = 2 WHERE seq = 3;"
        " UPDATE audit_entry SET seq = 3 WHERE seq = 99",
        {},
        BreakKind.ENTRY,
        2,
    ),
]
CASES = [c for c in CASES if not c[0].startswith("NULL")]


@pytest.mark.parametrize(
    ("label", "dialects", "sql", "params", "kind", "seq"), CASES, ids=[c[0] for c in CASES]
)
def test_each_corruption_names_an_entry_that_exists_or_the_head(
    session: Session,
    label: str,
    dialects: tuple[str, ...] | None,
    sql: str,
    params: dict[str, object],
    kind: BreakKind,
    seq: int | None,
) -> None:
    dialect = session.get_bind().dialect.name
    if dialects is not None and dialect not in dialects:
        pytest.skip(f"{label}: {dialect} does not store it")
    write_chain(session)
    _set(session, sql, **params)
    broken = audit.verify(session)
    assert broken is not None
    assert (broken.kind, broken.seq) == (kind, seq), broken.reason
    assert broken.seq is None or broken.seq in seqs(session)


def test_a_forged_entry_past_the_head_is_named(session: Session) -> None:
    write_chain(session)
    last = session.execute(select(AuditEntry).where(AuditEntry.seq == N)).scalar_one()
    row = {c.name: getattr(last, c.name) for c in AuditEntry.__table__.columns}
    row.update(seq=N + 1, actor="mallory", prev_hash=last.hash)
    row["hash"] = entry_hash(last.hash, hashed_fields(row))  # hashed right, but the head not moved
    session.execute(insert(AuditEntry).values(row))
    broken = audit.verify(session)
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.HEAD, N + 1)


def test_a_null_in_a_required_column_names_its_entry(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL enforces NOT NULL")
    write_chain(session)
    # A table rebuilt without its constraints (SQLite lets the owner of the file do that).
    _set(session, "CREATE TABLE loose AS SELECT * FROM audit_entry")
    _set(session, "DROP TABLE audit_entry")
    _set(session, "ALTER TABLE loose RENAME TO audit_entry")
    _set(session, "UPDATE audit_entry SET role = NULL WHERE seq = 2")
    broken = audit.verify(session)
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.ENTRY, 2)


def test_a_consistent_rewrite_is_found_only_with_an_anchor(session: Session) -> None:
    write_chain(session)
    head = session.execute(select(AuditHead.seq, AuditHead.hash)).one()
    anchor = Anchor(seq=head.seq, hash=head.hash, at=dt.datetime.now(dt.UTC), line=1)
    rewrite_consistently(session, seq=2)
    assert audit.verify(session) is None  # the chain itself holds: only the anchor can tell
    broken = audit.verify(session, anchors=[anchor])
    assert broken is not None
    assert (broken.kind, broken.seq) == (BreakKind.ANCHOR, N)


CORRUPTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("set"),
            st.integers(0, N + 1),
            st.sampled_from([c.name for c in AuditEntry.__table__.columns if c.name != "seq"]),
            st.one_of(
                st.none(),
                st.integers(-(2**40), 2**40),
                st.floats(allow_nan=False),
                st.text(max_size=70),
                st.binary(max_size=8),
                st.sampled_from(["infinity", "-infinity", "10000-01-01", "2025-02-30", "0" * 64]),
            ),
        ),
        st.tuples(st.just("delete"), st.integers(0, N + 1)),
        st.tuples(st.just("move"), st.integers(0, N + 1), st.integers(-1, N + 3)),
        st.tuples(st.just("head"), st.one_of(st.none(), st.integers(-1, N + 3))),
    ),
    min_size=1,
    max_size=4,
)


def _apply(session: Session, op: tuple[Any, ...]) -> None:
    """Apply one corruption; one the database refuses (types, NOT NULL) is skipped."""
    statements = {
        # The column comes from the table's own column names, not from outside.
        "set": lambda: (f"UPDATE audit_entry SET {op[2]} = :v WHERE seq = :k", op[3], op[1]),  # noqa: S608
        "delete": lambda: ("DELETE FROM audit_entry WHERE seq = :k AND :v IS NULL", None, op[1]),
        "move": lambda: ("UPDATE audit_entry SET seq = :v WHERE seq = :k", op[2], op[1]),
        "head": lambda: (
            "DELETE FROM audit_head WHERE :v IS NULL AND :k = 0"
            if op[1] is None
            else "UPDATE audit_head SET seq = :v WHERE :k = 0",
            op[1],
            0,
        ),
    }
    sql, value, key = statements[op[0]]()
    try:
        with session.begin_nested():
            session.execute(text(sql), {"v": value, "k": key})
    except (DBAPIError, OverflowError):
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruptions=CORRUPTIONS)
def test_verify_never_crashes_and_names_an_entry_that_exists(
    migrated_engine: Engine, corruptions: list[tuple[Any, ...]]
) -> None:
    with migrated_engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            write_chain(session)
            for op in corruptions:
                _apply(session, op)
            broken = audit.verify(session)
            if broken is not None:
                assert broken.reason
                assert broken.seq is None or broken.seq in seqs(session), broken
        finally:
            session.close()
            outer.rollback()
