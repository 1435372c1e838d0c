"""Web fixtures: a fresh database with two units and the four roles, and a client per test."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings
from barnskydd.staff import passwords
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app

# Starlette 1.x wants httpx2 for its TestClient and warns on import with httpx (installed);
# silenced here alone until the test extra pins httpx2 (reported to the lead).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
OTHER_PASSWORD = "annan-enhet-losen"
LEX_SARAH_PASSWORD = "lex-sarah-losen"  # its own: the demo-password tests name four


def seed(url: str) -> None:
    """Create two units, the demo accounts and a case worker in the other unit."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        centrum = staff.create_unit(session, name="Barn och unga Centrum", municipality_code="1480")
        vaster = staff.create_unit(session, name="Barn och unga Väster", municipality_code="1480")
        for username, role, unit in (
            ("handlaggare", Role.CASE_WORKER, centrum.id),
            ("arbetsledare", Role.TEAM_LEAD, centrum.id),
            ("analytiker", Role.ANALYST, None),
            ("admin", Role.ADMIN, None),
        ):
            staff.create(
                session, username=username, display_name=username.title(), role=role, unit_id=unit
            )
        other = staff.create(
            session,
            username="annan",
            display_name="Annan Handläggare",
            role=Role.CASE_WORKER,
            unit_id=vaster.id,
        )
        passwords.set_password(session, member=other, password=OTHER_PASSWORD)
        lex_sarah = staff.create(  # the municipality's Lex Sarah role, last: ids above stay
            session,
            username="lexsarah",
            display_name="Lex Sarah-ansvarig",
            role=Role.LEX_SARAH,
            unit_id=None,
        )
        passwords.set_password(session, member=lex_sarah, password=LEX_SARAH_PASSWORD)
    engine.dispose()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots (never the work tree unless asked to)."""
    from tests.web.browser import screenshot_folder

    return screenshot_folder(tmp_path_factory.mktemp("screenshots"))


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Demo-mode settings on a fresh database holding the seeded staff."""
    seed(database_url)
    return Settings(mode=Mode.DEMO, database_url=database_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A browser-like client (cookies kept, redirects followed) on a started app."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def token(client: TestClient, path: str = "/logga-in") -> str:
    """Return the CSRF token from a page's form."""
    match = TOKEN.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str, password: str = "demo") -> None:  # noqa: S107  (the demo password)
    """Log in and check that the inbox or overview answers."""
    response = client.post(
        "/logga-in",
        data={
            "username": username,
            "password": password,
            "csrf_token": token(client),
            "next": "/",
        },
    )
    assert response.status_code == 200, response.text
    assert f"Inloggad som <strong>{username}</strong>" in response.text
