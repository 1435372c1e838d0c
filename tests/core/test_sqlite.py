"""The embedded database's connections: writers take turns, savepoints stay in one transaction."""

from __future__ import annotations

import importlib.util
import multiprocessing
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, exc, text
from sqlalchemy.orm import Session

import barnskydd.core
from barnskydd.core.db import make_engine
from barnskydd.core.sqlite import TurnTakingConnection

HOLD_SECONDS = 4.0


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


def _hold_write(url: str, holding: object, release: object) -> None:
    """In another process: write, keep the transaction open for a while, then commit."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO item VALUES ('andra processen')"))
        holding.set()  # type: ignore[attr-defined]
        release.wait(HOLD_SECONDS)  # type: ignore[attr-defined]
    engine.dispose()


def test_a_writer_waiting_for_another_process_gives_up_after_its_timeout(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    engine = make_engine(url, connect_args={"timeout": 1.0})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (name TEXT NOT NULL)"))
    spawn = multiprocessing.get_context("spawn")
    holding, release = spawn.Event(), spawn.Event()
    other = spawn.Process(target=_hold_write, args=(url, holding, release))
    other.start()
    try:
        assert holding.wait(60), "the other process did not start writing"
        with (
            pytest.raises(exc.OperationalError, match="database is locked"),
            engine.begin() as conn,
        ):
            conn.execute(text("INSERT INTO item VALUES ('denna process')"))
    finally:
        release.set()
        other.join(60)
    assert other.exitcode == 0
    assert _names(engine) == ["andra processen"]
    engine.dispose()


def _without_fcntl(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Load core.sqlite afresh as on a system without fcntl, and let make_engine use it."""
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl now raises ImportError
    spec = importlib.util.find_spec("barnskydd.core.sqlite")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, "barnskydd.core.sqlite", module)
    monkeypatch.setattr(barnskydd.core, "sqlite", module)
    return module


def test_an_engine_works_where_fcntl_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = _without_fcntl(monkeypatch)
    assert module.fcntl is None
    engine = make_engine(f"sqlite:///{tmp_path / 'utan.db'}", connect_args={"timeout": 0.5})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (name TEXT NOT NULL)"))
        conn.execute(text("INSERT INTO item VALUES ('skriven')"))
        assert isinstance(conn.connection.dbapi_connection, module.TurnTakingConnection)
    with engine.connect() as first, engine.connect() as second:  # threads still take turns
        first.begin()
        first.execute(text("INSERT INTO item VALUES ('först')"))
        second.begin()
        with pytest.raises(exc.OperationalError, match="database is locked"):
            second.execute(text("INSERT INTO item VALUES ('samma tråd')"))
        first.commit()
    assert _names(engine) == ["skriven", "först"]
    assert not list(tmp_path.glob("*.writer-lock"))
    engine.dispose()
