"""Lookup fixtures: municipality credentials, a key ring, and both national services in-process."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.exceptions import StarletteDeprecationWarning

from barnskydd.core.db import make_engine
from barnskydd.lookup import keys as keyring
from barnskydd.lookup.auth import Registry, Signer, generate_key, public_part
from barnskydd.lookup.client import NationalClient
from barnskydd.lookup.edge import RateLimiter
from barnskydd.lookup.index_app import create_app as create_index
from barnskydd.lookup.pseudonymiser import create_app as create_pseudonymiser

with warnings.catch_warnings():  # as in tests/web/conftest.py: Starlette 1.x warns on httpx
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

A, B, UNKNOWN = "1480", "0180", "2580"  # Göteborg, Stockholm, Luleå (not registered)
_counter = itertools.count()


@pytest.fixture(scope="session")
def signers() -> dict[str, Signer]:
    """Signing keys for municipalities A, B and one the services do not know."""
    from joserfc.jwk import OKPKey

    return {code: Signer(code, OKPKey.import_key(generate_key())) for code in (A, B, UNKNOWN)}


@pytest.fixture(scope="session")
def registry(signers: dict[str, Signer]) -> Registry:
    """The services' registry: A and B only."""
    from joserfc.jwk import OKPKey

    return Registry(
        {
            code: OKPKey.import_key(public_part(signers[code].key.as_dict(private=True)))
            for code in (A, B)
        }
    )


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A fresh pseudonymiser key file with version 1."""
    path = tmp_path / "keys.json"
    keyring.create(path)
    return path


def limiter() -> RateLimiter:
    """Generous limits, so only the rate-limit tests meet them."""
    return RateLimiter(rate=1000.0, burst=10_000, daily=100_000)


@pytest.fixture
def pseudonymiser(key_file: Path, registry: Registry) -> Iterator[TestClient]:
    """The pseudonymiser in-process."""
    with TestClient(create_pseudonymiser(keyring.load(key_file), registry, limiter())) as client:
        yield client


@pytest.fixture(params=["sqlite", "postgresql"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for the index, on each dialect."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.db'}"
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"lookup_index_{next(_counter)}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def index(index_url: str, registry: Registry) -> Iterator[TestClient]:
    """The index in-process, on each dialect."""
    with TestClient(create_index(index_url, registry, limiter())) as client:
        yield client


def national(
    pseudonymiser: TestClient, index: TestClient, signers: dict[str, Signer], code: str
) -> NationalClient:
    """Return municipality `code`'s client for the in-process services."""
    return NationalClient(pseudonymiser, index, signers[code])


@pytest.fixture
def local_index(tmp_path: Path, registry: Registry) -> Iterator[TestClient]:
    """The index in-process on SQLite only, for tests about the municipality's side."""
    url = f"sqlite:///{tmp_path / 'local-index.db'}"
    with TestClient(create_index(url, registry, limiter())) as client:
        yield client
