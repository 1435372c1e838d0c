"""Test fixtures: the suite runs against SQLite and a throwaway PostgreSQL server.

A test that takes `session` runs once per dialect, inside a transaction rolled back at the end.
A test that takes `database_url` gets a fresh, migrated, empty database of its own (for code
that commits, such as the CLI).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from barnskydd.core import migrate
from barnskydd.core.db import make_engine
from tests.postgres_server import postgres_server

DIALECTS = ["sqlite", "postgresql"]
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """Start one PostgreSQL server for this test process."""
    with postgres_server() as url:
        yield url


def _new_database(dialect: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{tmp / f'test{next(_counter)}.db'}"
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"test_{next(_counter)}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session", params=DIALECTS)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One migrated database per dialect, shared by the session-level tests."""
    url = _new_database(request.param, request, tmp_path_factory.mktemp("db"))
    migrate.upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with migrated_engine.connect() as connection:
        outer = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


@pytest.fixture(params=DIALECTS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty database for code that commits on its own."""
    url = _new_database(request.param, request, tmp_path)
    migrate.upgrade(url)
    return url


@pytest.fixture
def other_database_url(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second fresh, migrated database on the same dialect (another municipality's)."""
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = _new_database(dialect, request, tmp_path)
    migrate.upgrade(url)
    return url
