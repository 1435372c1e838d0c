"""Database engine, session factory, declarative base and shared column types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Engine,
    Enum,
    MetaData,
    String,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker

from barnskydd.core.errors import DomainError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as UTC on every dialect (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; every stored time must carry a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


int_pk = Annotated[int, mapped_column(primary_key=True)]
code = Annotated[str, mapped_column(String(40))]


def enum_by_value(enum_cls: type[Any], length: int = 40) -> Enum:
    """Store a StrEnum by its value, as a plain string column portable across dialects."""
    return Enum(
        enum_cls,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        validate_strings=True,
        length=length,
    )


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for a SQLite file, create its folder and configure it (core.sqlite)."""
    from barnskydd.core import sqlite  # here: it builds on this module's is_write

    is_file = url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:")
    if is_file:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {**sqlite.CONNECT_ARGS, **kwargs.get("connect_args", {})}
    # A driver's error then names the statement but not its values: what a user typed never
    # reaches a log or a traceback through a failed query.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sqlite.configure(engine)
    return engine


_WROTE = "barnskydd.wrote"
# The statements that write, or begin a transaction or savepoint that is there to write (also
# the statements before which pysqlite begins a transaction on its own: Python 3.11).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "BEGIN ", "SAVEPO")


def is_write(statement: str) -> bool:
    """Tell whether a SQL statement writes, or begins a transaction or savepoint to write."""
    return statement.lstrip()[:6].upper() in _WRITES


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not connection.info.get(_WROTE) and is_write(statement):
        connection.info[_WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_writes(connection: Connection) -> None:
    connection.info.pop(_WROTE, None)


def has_written(session: Session) -> bool:
    """Return whether the session's transaction has written, or will write at its flush."""
    if session.new or session.dirty or session.deleted:
        return True
    return bool(session.in_transaction() and session.connection().info.get(_WROTE))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to the engine."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open one session and one transaction: commit on success, roll back on any error.

    A refusal (a DomainError) of a transaction that has written nothing is committed rather
    than rolled back: a commit then changes no data, and it keeps the audit entries queued
    before the refusal (the read of a case, the refused read of a case the actor may not
    see), so every read of a child's data leaves its entry, also when the request is refused.
    A transaction that wrote is rolled back, entries and all, so nothing half-written is kept.
    """
    with factory() as session:
        session.begin()
        try:
            yield session
        except DomainError:
            if session.is_active and session.in_transaction() and not has_written(session):
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise
        else:
            session.commit()
