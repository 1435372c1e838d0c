"""Test fixtures: the suite runs against SQLite and a throwaway PostgreSQL server.

A test that takes `session` runs once per dialect, inside a transaction rolled back at the end.
A test that takes `database_url` gets a fresh, migrated, empty database of its own (for code
that commits, such as the CLI).

Alembic runs once per dialect and test process, into a template database; every fresh database
after that is a copy of the template (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
PostgreSQL), which is the same schema and revision at a small part of the cost. The migrations
themselves are still run from an empty database by tests/test_migrations.py.

Passwords are hashed in the test processes with argon2-cffi's CHEAPEST profile, the one it
provides for tests: the product's RFC 9106 profile costs a second of CPU a hash on a loaded
machine, and every app start in demo mode hashes four. What the tests prove about passwords
(argon2id, verification, the demo passwords, the lock-out) does not depend on the cost; that
the product keeps its profile is checked in tests/web/test_auth.py. Servers that tests start
as subprocesses hash with the product's profile.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from barnskydd.core import migrate
from barnskydd.core.db import make_engine
from barnskydd.staff import passwords
from tests.postgres_server import postgres_server

DIALECTS = ["sqlite", "postgresql"]
_counter = itertools.count()
PRODUCT_HASHER = passwords._hasher  # the product's own, before the suite swaps it (below)
TEST_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Hash and verify passwords at argon2's cheapest cost in the test process (see above)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", TEST_HASHER)
        patch.setattr(passwords, "_DUMMY_HASH", TEST_HASHER.hash("not-a-password-of-anyone"))
        yield


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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per test process, copied for each fresh database."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    migrate.upgrade(f"sqlite:///{path}")  # Alembic's engine is disposed: nothing left open
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    """The name of a PostgreSQL database migrated to head once per server, used as TEMPLATE."""
    name = "migrated_template"
    admin = make_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    # Alembic disposes of its engine, so no session is left on the template (CREATE DATABASE
    # ... TEMPLATE refuses a template that anyone is connected to).
    migrate.upgrade(postgres_admin_url.rsplit("/", 1)[0] + f"/{name}")
    return name


def migrated_database(dialect: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    """Return the URL of a fresh database at the migrations' head, copied from the template."""
    if dialect == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp / f"test{next(_counter)}.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"test_{next(_counter)}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session", params=DIALECTS)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One migrated database per dialect, shared by the session-level tests."""
    url = migrated_database(request.param, request, tmp_path_factory.mktemp("db"))
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
    return migrated_database(request.param, request, tmp_path)


@pytest.fixture
def other_database_url(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second fresh, migrated database on the same dialect (another municipality's)."""
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    return migrated_database(dialect, request, tmp_path)


@pytest.fixture(params=DIALECTS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database with no tables at all, for the tests of the migrations themselves."""
    return _new_database(request.param, request, tmp_path)
