"""Append to and verify the audit trail. Every service that touches a child's data calls record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from barnskydd.audit.models import AuditEntry, AuditHead
from barnskydd.audit.rules import GENESIS_HASH, ChainBreak, entry_hash, verify_chain
from barnskydd.core.actor import Actor
from barnskydd.core.db import utcnow

HEAD_ID = 1


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "role": entry.role,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "child_id": entry.child_id,
        "case_id": entry.case_id,
        "purpose": entry.purpose,
    }


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
) -> AuditEntry:
    """Append one hash-chained entry; the head row lock keeps the chain linear."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks (FOR UPDATE is ignored) and pysqlite begins the transaction
        # only at the first write, so two app processes could read the same head and both
        # append its successor. A no-op write first takes the database's write lock (waiting
        # for the other writer), and the head is then read inside that transaction.
        session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq),
            execution_options={"synchronize_session": False},
        )
    head = session.scalars(
        select(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS_HASH)
        session.add(head)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=utcnow().replace(microsecond=0),
        actor=actor.username,
        role=str(actor.role),
        action=action,
        entity=entity,
        entity_id=entity_id,
        child_id=child_id,
        case_id=case_id,
        purpose=purpose,
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    return entry


def get_all(
    session: Session, *, child_id: int | None = None, case_id: int | None = None
) -> list[AuditEntry]:
    """Return entries in order, optionally for one child or case."""
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if child_id is not None:
        query = query.where(AuditEntry.child_id == child_id)
    if case_id is not None:
        query = query.where(AuditEntry.case_id == case_id)
    return list(session.scalars(query))


def verify(session: Session) -> ChainBreak | None:
    """Walk the whole chain; return the first broken entry or None when it holds."""
    head = session.get(AuditHead, HEAD_ID)
    rows = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=5000)
    )
    try:
        return verify_chain(
            ((e.seq, e.prev_hash, e.hash, _fields(e)) for e in rows),
            head=(head.seq, head.hash) if head is not None else (0, GENESIS_HASH),
        )
    finally:
        rows.close()  # a break found early leaves PostgreSQL's server-side cursor open


def count(session: Session) -> int:
    """Return how many entries the trail holds."""
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
