"""The audit trail in the database: appends chain, tampering is found."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.core.actor import Actor, Role

ACTOR = Actor(username="anna", role=Role.CASE_WORKER)


def _write(session: Session, n: int) -> None:
    for i in range(n):
        audit.record(
            session,
            actor=ACTOR,
            action="read",
            entity="case",
            entity_id=i,
            case_id=i,
            purpose="handläggning",
        )


def test_appended_entries_form_an_intact_chain(session: Session) -> None:
    _write(session, 5)
    assert audit.verify(session) is None
    entries = audit.get_all(session)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_an_empty_trail_verifies(session: Session) -> None:
    assert audit.verify(session) is None


@pytest.mark.parametrize(
    ("tamper", "seq"),
    [
        (update(AuditEntry).where(AuditEntry.seq == 3).values(purpose="ändrad"), 3),
        (update(AuditEntry).where(AuditEntry.seq == 2).values(actor="mallory"), 2),
        (delete(AuditEntry).where(AuditEntry.seq == 4), 4),
        (delete(AuditEntry).where(AuditEntry.seq == 5), 5),
    ],
)
def test_an_edited_or_deleted_entry_is_detected_and_named(
    session: Session, tamper: object, seq: int
) -> None:
    _write(session, 5)
    session.execute(tamper)  # type: ignore[call-overload]
    session.expire_all()
    broken = audit.verify(session)
    assert broken is not None
    assert broken.seq == seq
