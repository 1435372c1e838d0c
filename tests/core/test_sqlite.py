"""The embedded database's connections: writers take turns, savepoints stay in one transaction."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, exc, text
from sqlalchemy.orm import Session

from barnskydd.core.db import make_engine
from barnskydd.core.sqlite import TurnTakingConnection


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}", connect_args={"timeout": 0.5})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (name TEXT NOT NULL)"))
    return engine


def _names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT name FROM item ORDER BY rowid")))


def _holds_turn(conn: object) -> bool:
    raw = conn.connection.dbapi_connection  # type: ignore[attr-defined]
    assert isinstance(raw, TurnTakingConnection)
    return raw.holds_turn


def test_a_writer_waits_for_the_turn_and_goes_on_when_it_is_given_back(engine: Engine) -> None:
    first = engine.connect()
    first.begin()
    first.execute(text("INSERT INTO item VALUES ('först')"))
    assert _holds_turn(first)
    done = threading.Event()

    def second_writer() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO item VALUES ('sedan')"))
        done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not done.wait(0.2)  # still waiting for its turn, not failing on a busy database
    first.commit()
    assert not _holds_turn(first)
    thread.join(5)
    assert done.is_set()
    assert _names(engine) == ["först", "sedan"]
    first.close()
    engine.dispose()


def test_reads_take_no_turn_and_rollback_or_close_give_it_back(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM item"))
        assert not _holds_turn(conn)
        conn.execute(text("INSERT INTO item VALUES ('ångrad')"))
        assert _holds_turn(conn)
        conn.rollback()
        assert not _holds_turn(conn)
        conn.execute(text("INSERT INTO item VALUES ('stängd')"))
    with engine.begin() as other:  # would wait and fail if close had kept the turn
        other.execute(text("INSERT INTO item VALUES ('nästa')"))
    assert _names(engine) == ["nästa"]
    engine.dispose()


def test_a_second_writer_in_the_same_thread_fails_instead_of_waiting_for_ever(
    engine: Engine,
) -> None:
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        first.execute(text("INSERT INTO item VALUES ('först')"))
        second.begin()
        with pytest.raises(exc.OperationalError, match="database is locked"):
            second.execute(text("INSERT INTO item VALUES ('samma tråd')"))
        first.commit()
    assert _names(engine) == ["först"]
    engine.dispose()


def test_a_released_savepoint_does_not_commit_what_the_transaction_then_undoes(
    engine: Engine,
) -> None:
    """pysqlite alone: a SAVEPOINT before any write starts SQLite's own transaction, and
    releasing it commits, so the later rollback would have undone nothing."""
    with Session(engine) as session:
        with session.begin_nested():
            session.execute(text("INSERT INTO item VALUES ('i sparpunkten')"))
        session.execute(text("INSERT INTO item VALUES ('efter')"))
        session.rollback()
    assert _names(engine) == []
    with Session(engine) as session:
        with session.begin_nested():
            session.execute(text("INSERT INTO item VALUES ('sparad')"))
        session.commit()
    assert _names(engine) == ["sparad"]
    engine.dispose()
