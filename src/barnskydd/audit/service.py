"""Append to and verify the audit trail. Every service that touches a child's data calls record."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    LargeBinary,
    String,
    Table,
    cast,
    event,
    func,
    insert,
    literal,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session, SessionTransaction

from barnskydd.audit.models import AuditEntry, AuditHead
from barnskydd.audit.purpose import check_purpose
from barnskydd.audit.rules import (
    GENESIS_HASH,
    Anchor,
    BreakKind,
    ChainBreak,
    entry_hash,
    hashed_fields,
    verify_chain,
)
from barnskydd.core.actor import Actor
from barnskydd.core.db import has_written, make_engine, session_factory, transaction, utcnow

HEAD_ID = 1
_ENTRY_TABLE = AuditEntry.metadata.tables[AuditEntry.__tablename__]
_PENDING = "barnskydd.audit.pending"  # session.info keys
_MARKS = "barnskydd.audit.savepoints"


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None = None,
    child_id: int | None = None,
    case_id: int | None = None,
    purpose: str | None = None,
) -> None:
    """Queue one entry; it is chained and written when the session's transaction commits.

    Appending takes the chain's head lock, which every other append waits for. Taken at the
    first read of a request, it would be held through the rest of the request (queries,
    rendering) and make all requests of all app processes run one at a time; taken at commit,
    it is held for a few statements. The entry's sequence number and hashes are set then, so
    the chain is in commit order. A rolled-back transaction or savepoint drops what it queued,
    as it would drop rows it had written.

    A purpose that breaks the one rule for purposes (barnskydd.audit.purpose: an identity
    number, an e-mail address, control characters, too long) is refused with InvalidInput,
    whichever path it came by: nothing of it is queued.
    """
    if purpose is not None:
        purpose = check_purpose(purpose)
    entry = {
        "at": utcnow().replace(microsecond=0),
        "actor": actor.username,
        "role": str(actor.role),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "child_id": child_id,
        "case_id": case_id,
        "purpose": purpose,
    }
    if not session.in_transaction():
        session.begin()  # so that a rollback or close before any query also drops the entry
    _pending(session).append(entry)


def take_over(session: Session, queued: Any) -> None:
    """Queue in `session` the entries `queued` (anything with a session's `info`) collected.

    The import checks each report apart, in an object that stands in for the session and
    collects what the services would queue; a report that passes hands its entries over here.
    """
    entries = _pending(queued)
    if entries:
        if not session.in_transaction():
            session.begin()
        _pending(session).extend(entries)
        entries.clear()


Rows = list[dict[str, Any]]


def append_pending(
    session: Session, *, write: Callable[[Session, Table, Rows], None] | None = None
) -> None:
    """Chain and write the entries queued in this session now (commit does it otherwise).

    `write` writes the chained rows instead of one INSERT (the import: PostgreSQL's COPY).
    """
    pending = _pending(session)
    if not pending:
        return
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks (FOR UPDATE is ignored) and pysqlite begins the transaction
        # only at the first write, so two app processes could read the same head and both
        # append its successor. A no-op write first takes the database's write lock (waiting
        # for the other writer), and the head is then read inside that transaction.
        session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq),
            execution_options={"synchronize_session": False},
        )
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID).with_for_update()
    ).one_or_none()
    seq, last = head if head is not None else (0, GENESIS_HASH)
    rows = []
    for entry in pending:
        seq += 1
        row = {**entry, "seq": seq, "prev_hash": last}
        last = row["hash"] = entry_hash(last, hashed_fields(row))
        rows.append(row)
    # Core statements, not the ORM's unit of work: this runs while the head is locked. The
    # table, not the class: the ORM's bulk insert leaves out None values and so splits the
    # rows into one statement per run of the same columns (one per row, at worst).
    if write is None:
        session.execute(insert(_ENTRY_TABLE), rows)
    else:
        write(session, _ENTRY_TABLE, rows)
    if head is None:
        session.execute(insert(AuditHead).values(id=HEAD_ID, seq=seq, hash=last))
    else:
        session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=seq, hash=last),
            execution_options={"synchronize_session": False},
        )
    pending.clear()


def _pending(session: Any) -> list[dict[str, Any]]:
    queued: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    return queued


@event.listens_for(Session, "before_commit")
def _append_on_commit(session: Session) -> None:
    # before_commit also fires when a savepoint is released; its entries stay queued for the
    # outermost commit, so the head lock is not taken in the middle of a request.
    if session.in_nested_transaction() or not _pending(session):
        return
    bind = session.get_bind()
    if isinstance(bind, Engine) and not has_written(session) and _shareable(bind):
        # A transaction that only read: its entries join other readers' in one append.
        entries = list(_pending(session))
        _pending(session).clear()
        _group_for(bind).append(entries)
    else:  # a transaction that writes: its entries commit, or not, with its data
        append_pending(session)


@dataclass(eq=False)
class _Ticket:
    entries: list[dict[str, Any]]
    done: bool = False
    error: Exception | None = None


class _GroupAppend:
    """Appends for the read-only transactions of one process, several in one transaction.

    Every request reads a child's data and so appends to the chain, and every append waits
    for the head lock (on SQLite, for the database's single writer). A request queues its
    entries and waits for the append lock; whoever holds it appends everything queued so far
    in one transaction, on a connection of its own (not the request's, whose pool may be
    exhausted by requests waiting here), and the others find theirs done. Each request still
    returns only after its entries are committed; under load, one append serves many.
    """

    def __init__(self, engine: Engine) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self.pid = os.getpid()
        self._engine = make_engine(url, pool_size=1, max_overflow=0)
        self._factory = session_factory(self._engine)
        self._queue: list[_Ticket] = []
        self._queue_lock = threading.Lock()
        self._append_lock = threading.Lock()

    def append(self, entries: list[dict[str, Any]]) -> None:
        ticket = _Ticket(entries)
        with self._queue_lock:
            self._queue.append(ticket)
        with self._append_lock:
            if not ticket.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                committed = False
                failure: Exception = RuntimeError("the audit entries were not written")
                try:
                    with transaction(self._factory) as session:
                        _pending(session).extend(e for t in batch for e in t.entries)
                        append_pending(session)  # here, not by this commit's own hook
                    committed = True
                except Exception as error:
                    failure = error
                finally:  # every waiter in the batch learns whether it was written
                    for waiting in batch:
                        waiting.error = None if committed else failure
                        waiting.done = True
        if ticket.error is not None:
            raise ticket.error

    def close(self) -> None:
        """Close the connection of its own (after the app's engine is disposed)."""
        with self._append_lock:
            self._engine.dispose()


_groups: weakref.WeakKeyDictionary[Engine, _GroupAppend] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def _shareable(engine: Engine) -> bool:
    """Return whether another connection reaches the same database (not an in-memory one)."""
    return engine.url.database not in (None, "", ":memory:")


def _group_for(engine: Engine) -> _GroupAppend:
    """Return the engine's group append, made at first use and closed with the engine."""
    with _groups_lock:
        group = _groups.get(engine)
        if group is None or group.pid != os.getpid():  # a forked child makes its own
            group = _groups[engine] = _GroupAppend(engine)
            event.listen(engine, "engine_disposed", _close_group)
        return group


def _close_group(engine: Engine) -> None:
    with _groups_lock:
        group = _groups.pop(engine, None)
    if group is not None:
        group.close()


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[transaction] = len(_pending(session))


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        mark = session.info.get(_MARKS, {}).pop(previous_transaction, None)
        if mark is not None:
            del _pending(session)[mark:]
    else:
        _pending(session).clear()


@event.listens_for(Session, "after_transaction_end")
def _forget_queue(session: Session, transaction: SessionTransaction) -> None:
    # after_transaction_end comes before after_soft_rollback, so the marks of released
    # savepoints are dropped only with the outermost transaction.
    if transaction.parent is None:  # also a session closed without commit or rollback
        _pending(session).clear()
        session.info.pop(_MARKS, None)


def get_all(
    session: Session, *, child_id: int | None = None, case_id: int | None = None
) -> list[AuditEntry]:
    """Return entries in order, optionally for one child or case (queued ones included)."""
    append_pending(session)
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if child_id is not None:
        query = query.where(AuditEntry.child_id == child_id)
    if case_id is not None:
        query = query.where(AuditEntry.case_id == case_id)
    return list(session.scalars(query))


_COLUMNS = tuple(c.name for c in AuditEntry.__table__.columns)
_UTC = "UTC"
_PG_TIME = 'YYYY-MM-DD"T"HH24:MI:SS.US BC'  # "BC" prints the era: AD or BC


def _raw_columns(dialect: str, table: Any) -> list[tuple[str, ColumnElement[Any]]]:
    """Return (label, expression) per column, read so that no row can make the driver fail.

    SQLite stores any value in any column: each is read as its storage class and its bytes
    (text could be invalid UTF-8). PostgreSQL enforces the types, but a timestamp may be
    `infinity` or beyond year 9999, which Python cannot hold: the time is read as text.
    """
    columns: list[tuple[str, ColumnElement[Any]]] = []
    for name in _COLUMNS if table is AuditEntry.__table__ else ("seq", "hash"):
        column = table.c[name]
        if dialect == "sqlite":
            columns.append((f"{name}__type", func.typeof(column, type_=String)))
            columns.append((name, cast(column, LargeBinary)))
        elif name == "at":
            utc = column.op("AT TIME ZONE")(literal(_UTC))
            columns.append((name, func.to_char(utc, _PG_TIME, type_=String)))
        else:
            columns.append((name, column))
    return columns


def _chain_rows(session: Session, *, after: int | None) -> Any:
    """Select the head row and the entries after `after` in one statement (one snapshot).

    Read apart, an append committed between the two reads would look like a forged entry
    or a cut tail. The head comes first (part 0), then the entries in order (part 1).
    """
    dialect = session.get_bind().dialect.name
    entry_columns = _raw_columns(dialect, AuditEntry.__table__)
    head_columns = dict(_raw_columns(dialect, AuditHead.__table__))
    entries = select(
        literal(1).label("part"),
        AuditEntry.__table__.c.seq.label("position"),
        *(expr.label(label) for label, expr in entry_columns),
    )
    if after is not None:  # else every row, also one numbered 0 or below
        entries = entries.where(AuditEntry.__table__.c.seq > after)
    head = select(
        literal(0).label("part"),
        AuditHead.__table__.c.seq.label("position"),
        *(
            head_columns.get(label, cast(null(), expr.type)).label(label)
            for label, expr in entry_columns
        ),
    ).where(AuditHead.__table__.c.id == HEAD_ID)
    query = union_all(head, entries).order_by(text("part"), text("position"))
    return session.execute(query.execution_options(yield_per=5000)).mappings()


def _decode(dialect: Any, row: Mapping[str, Any]) -> dict[str, object]:
    """Turn a raw row into Python values; what cannot be read stays as it came (bytes, str)."""
    values: dict[str, object] = {}
    for name in _COLUMNS:
        raw = row[name]
        if dialect.name == "sqlite":
            storage = row[f"{name}__type"]
            value: object = raw
            if storage == "null":
                value = None
            elif storage == "integer":
                value = int(raw)
            elif storage == "real":
                value = float(raw)
            elif storage == "text":
                try:
                    value = bytes(raw).decode("utf-8")
                except UnicodeDecodeError:
                    value = bytes(raw)
        else:
            value = raw
        if name == "at" and isinstance(value, str):
            value = _parse_time(dialect, value)
        values[name] = value
    return values


def _parse_time(dialect: Any, value: str) -> object:
    """Read a stored time as the ORM would; leave it a string when it is no valid time."""
    try:
        if dialect.name == "sqlite":
            process = AuditEntry.__table__.c.at.type.dialect_impl(dialect).result_processor(
                dialect, None
            )
            moment: object = process(value) if process is not None else value
            return moment
        text_part, era = value.rsplit(" ", 1)
        if era != "AD":
            return value
        return dt.datetime.fromisoformat(text_part).replace(tzinfo=dt.UTC)
    except (ValueError, TypeError, OverflowError):
        return value


def verify(session: Session, *, anchors: Sequence[Anchor] = ()) -> ChainBreak | None:
    """Walk the whole chain, its head and the anchors; return the first break or None.

    Never raises on what a row holds: a malformed row is a break naming it.
    """
    append_pending(session)
    return _verify(session, anchors=anchors, start=None)[0]


def verified_head(session: Session, *, since: Anchor | None) -> ChainBreak | tuple[int, str] | None:
    """Return the head (seq, hash) once the entries after the anchor `since` hold.

    The entry at `since` must still have its published hash; the entries before it are left
    to `verify`. None when the trail is empty.
    """
    append_pending(session)
    start: tuple[int, str] | None = None
    if since is not None:
        table = AuditEntry.__table__
        column: ColumnElement[Any] = table.c.hash
        if session.get_bind().dialect.name == "sqlite":
            column = cast(column, LargeBinary)  # whatever it holds, without decoding it
        query = select(column).where(table.c.seq == since.seq)
        stored = session.execute(query).scalar_one_or_none()
        if stored is None or stored != (
            since.hash.encode() if isinstance(stored, bytes) else since.hash
        ):
            return ChainBreak(
                BreakKind.ANCHOR,
                since.seq if stored is not None else None,
                f"post {since.seq} har inte längre den hash som senaste ankaret anger "
                f"(ankarfilens rad {since.line})",
            )
        start = (since.seq, since.hash)
    broken, head = _verify(session, anchors=(), start=start)
    if broken is not None:
        return broken
    if head is None:
        return None
    seq, digest = head  # checked against the entries read with it: an int and a hash
    assert isinstance(seq, int)
    assert isinstance(digest, str)
    return seq, digest


def _verify(
    session: Session, *, anchors: Sequence[Anchor], start: tuple[int, str] | None
) -> tuple[ChainBreak | None, tuple[object, object] | None]:
    """Return the first break and the head row as read in the same statement as the entries."""
    dialect = session.get_bind().dialect
    rows = _chain_rows(session, after=start[0] if start is not None else None)
    try:
        first = next(iter(rows), None)
        head: tuple[object, object] | None = None
        entries: Iterator[Mapping[str, Any]] = iter(rows)
        if first is not None and first["part"] == 0:
            decoded = _head_values(dialect, first)
            head = (decoded["seq"], decoded["hash"])
        elif first is not None:
            entries = itertools.chain([first], rows)
        broken = verify_chain(
            (_decode(dialect, row) for row in entries), head=head, anchors=anchors, start=start
        )
        return broken, head
    finally:
        rows.close()  # a break found early leaves PostgreSQL's server-side cursor open


def _head_values(dialect: Any, row: Mapping[str, Any]) -> dict[str, object]:
    if dialect.name != "sqlite":
        return {"seq": row["seq"], "hash": row["hash"]}
    padded = {**row, **{f"{n}__type": "null" for n in _COLUMNS if n not in ("seq", "hash")}}
    return _decode(dialect, padded)


def count(session: Session) -> int:
    """Return how many entries the trail holds (queued ones included)."""
    append_pending(session)
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
