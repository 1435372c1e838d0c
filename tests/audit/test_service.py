"""The audit trail in the database: appends chain, tampering is found."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff.models import StaffMember

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
    audit.append_pending(session)  # what commit does


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
        (delete(AuditEntry).where(AuditEntry.seq == 4), 5),  # the entry after the gap
        (delete(AuditEntry).where(AuditEntry.seq == 5), 4),  # the tail was cut after entry 4
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


def _read(session: Session, case_id: int) -> None:
    audit.record(session, actor=ACTOR, action="read", entity="case", case_id=case_id)


def test_entries_are_written_at_commit_in_commit_order(database_url: str) -> None:
    """An open request holds no lock on the chain: a later one commits past it.

    Before this, the head was locked at the first read of a request and held until its
    commit, so every request of every app process waited for the one before it.
    """
    engine = make_engine(database_url)
    first, second = Session(engine), Session(engine)
    try:
        _read(first, 1)  # a long request: read audited, not yet committed
        if engine.dialect.name == "postgresql":
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
        else:
            second.connection().exec_driver_sql("PRAGMA busy_timeout = 2000")
        _read(second, 2)
        second.commit()  # would wait for `first` and time out if reading took the lock
        first.commit()
        with Session(engine) as check:
            entries = audit.get_all(check)
            assert [(e.seq, e.case_id) for e in entries] == [(1, 2), (2, 1)]
            assert audit.verify(check) is None
    finally:
        first.close()
        second.close()
        engine.dispose()


def test_a_rolled_back_savepoint_drops_its_entries_and_a_released_one_keeps_them(
    session: Session,
) -> None:
    _read(session, 1)
    with session.begin_nested():
        _read(session, 2)

    def refused_step() -> None:
        with session.begin_nested():
            _read(session, 3)
            with session.begin_nested():
                _read(session, 4)
            raise RuntimeError("the step was refused")

    with pytest.raises(RuntimeError):
        refused_step()
    _read(session, 5)
    audit.append_pending(session)  # what commit does
    assert [(e.seq, e.case_id) for e in audit.get_all(session)] == [(1, 1), (2, 2), (3, 5)]


def test_a_rolled_back_or_abandoned_transaction_writes_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with Session(engine) as rolled_back:
            _read(rolled_back, 1)
            rolled_back.rollback()
            rolled_back.commit()  # a new, empty transaction
        with Session(engine) as abandoned:
            _read(abandoned, 2)
        with Session(engine) as reused:
            _read(reused, 3)
            reused.close()  # closed without commit, then used again
            reused.commit()
        with Session(engine) as check:
            assert audit.get_all(check) == []
    finally:
        engine.dispose()


def test_concurrent_reads_are_chained_together_and_each_waits_for_its_commit(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    factory = session_factory(engine)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def request(case_id: int) -> None:
        try:
            with transaction(factory) as session:
                _read(session, case_id)
                start.wait()
            # Back from commit: the entry is in the trail, whoever appended it.
            with Session(engine) as check:
                assert case_id in {e.case_id for e in audit.get_all(check)}
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with Session(engine) as check:
        entries = audit.get_all(check)
        assert sorted(e.case_id for e in entries) == list(range(1, 9))
        assert [e.seq for e in entries] == list(range(1, 9))
        assert audit.verify(check) is None
    engine.dispose()


def test_a_writing_transaction_that_fails_at_commit_leaves_no_entries(database_url: str) -> None:
    engine = make_engine(database_url)

    def read_and_write() -> None:
        with transaction(session_factory(engine)) as session:
            _read(session, 1)
            session.add(
                StaffMember(username="x", display_name="X", role=Role.CASE_WORKER, unit_id=999)
            )  # no such unit: the flush at commit fails after the entries were appended

    with pytest.raises(IntegrityError):
        read_and_write()
    with Session(engine) as check:
        assert audit.get_all(check) == []
    engine.dispose()


def test_a_read_whose_entries_cannot_be_written_fails_instead_of_returning(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url)

    def broken(session: Session) -> None:
        raise RuntimeError("the database refused the audit entries")

    monkeypatch.setattr(audit, "append_pending", broken)
    with pytest.raises(RuntimeError, match="refused"), transaction(session_factory(engine)) as s:
        _read(s, 1)  # a read only: its entries go to the group append, which fails
    monkeypatch.undo()
    with Session(engine) as check:
        assert audit.get_all(check) == []
    engine.dispose()
