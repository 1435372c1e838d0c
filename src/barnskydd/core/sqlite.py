"""The embedded database's connection: pragmas, savepoints, and one writer at a time.

SQLite lets one connection write at a time. A second writer is told "busy" and, with
pysqlite's timeout, sleeps and retries with growing pauses (up to 100 ms each) until the
first commits. Under the desk's load, where every request appends to the audit trail, those
pauses, not the work, were most of the slow requests' time, and the waiter that had backed
off longest kept losing to new arrivals. So writers take turns here before SQLite is asked:
a thread lock among the threads of one process, then an exclusive file lock among processes
(the app's workers, the CLI), both of which wake the next waiter as soon as the turn is
given back. SQLite's own locking still guards the data; the turn only decides who asks.

A writer waits for its turn at most its connection's timeout (pysqlite's `timeout`, 5 s by
default) and then fails with "database is locked", as SQLite itself would. The file lock is
tried without blocking, in short pauses until the deadline. Where `fcntl` is missing (not a
POSIX system) there is no file lock: writers take turns only among the threads of one process,
and between processes SQLite's own busy timeout decides.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event

from barnskydd.core.db import is_write

try:
    import fcntl
except ImportError:  # not a POSIX system: turns among one process's threads only
    fcntl = None  # type: ignore[assignment]

# How long a writer waiting for another process's turn sleeps between tries (seconds): short,
# since the turn is given back at each commit, and every try is one system call.
POLL_INTERVAL = 0.001
_turns: dict[tuple[int, str], _WriteTurn] = {}
_turns_lock = threading.Lock()


class _WriteTurn:
    """The right to write one SQLite file, shared by the threads of one process."""

    def __init__(self, path: str) -> None:
        self._threads = threading.Lock()
        self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600) if fcntl else None

    def take(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            raise _locked()
        try:
            if self._file is not None:
                _lock_file(self._file, deadline)
        except BaseException:
            self._threads.release()
            raise

    def give_back(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()


def _lock_file(fd: int, deadline: float) -> None:
    """Take the file lock between processes, or fail once the deadline has passed."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _locked() from None
            time.sleep(min(POLL_INTERVAL, left))


def _locked() -> sqlite3.OperationalError:
    # What SQLite itself says after its timeout, so callers see one error.
    return sqlite3.OperationalError("database is locked")


def _turn_for(database: str) -> _WriteTurn:
    # Keyed by process too: a forked child must not share its parent's open lock file.
    key = (os.getpid(), os.path.realpath(database))
    with _turns_lock:
        turn = _turns.get(key)
        if turn is None:
            turn = _turns[key] = _WriteTurn(key[1] + ".writer-lock")
        return turn


class TurnTakingConnection(sqlite3.Connection):
    """A pysqlite connection that waits for its turn before its transaction's first write."""

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._timeout = float(kwargs.get("timeout", 5.0))
        self._turn = _turn_for(database)
        self.holds_turn = False

    def take_turn(self) -> None:
        """Wait until no other connection of this database writes, then hold the turn."""
        if not self.holds_turn:
            self._turn.take(self._timeout)
            self.holds_turn = True

    def _give_back(self) -> None:
        if self.holds_turn:
            self.holds_turn = False
            self._turn.give_back()

    def commit(self) -> None:
        self._ending(super().commit)

    def rollback(self) -> None:
        self._ending(super().rollback)

    def _ending(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            if not self.in_transaction:
                self._give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()


CONNECT_ARGS: dict[str, Any] = {"factory": TurnTakingConnection}  # for a database file


def configure(engine: Engine) -> None:
    """Install the pragmas, the savepoint fix and turn-taking on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "before_cursor_execute")
    def _wait_for_turn(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if (
            isinstance(dbapi_connection, TurnTakingConnection)
            and not dbapi_connection.holds_turn
            and not dbapi_connection.in_transaction
            and is_write(statement)
        ):
            dbapi_connection.take_turn()

    @event.listens_for(engine, "savepoint")
    def _begin_before_savepoint(connection: Connection, _name: str) -> None:
        # pysqlite opens a transaction only before a data-changing statement. A SAVEPOINT
        # with none open starts one of SQLite's own, and releasing it COMMITS, so what the
        # request writes after the savepoint (its audit entries, written at commit) would
        # land in a second transaction. Savepoints here guard writes, so the transaction
        # begins IMMEDIATE, after this connection's turn to write.
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is not None and not dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
