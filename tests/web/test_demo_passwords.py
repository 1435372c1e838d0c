"""Production mode refuses to start on a database whose accounts still have the demo password."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from barnskydd.cli import app as cli
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings, get_settings
from barnskydd.staff import passwords
from barnskydd.staff.models import StaffMember
from barnskydd.web.app import create_app
from tests.web.conftest import OTHER_PASSWORD, TestClient

SECRET = "a-secret-of-our-own-for-this-test"
NEW_PASSWORD = "ett-eget-langt-losenord"
REMEDY = "barnskydd staff password ANVÄNDARNAMN"
runner = CliRunner()


@pytest.fixture
def production(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Production settings on a database the demo has run on (its accounts got 'demo')."""
    with TestClient(create_app(settings)):  # demo mode: the start-up sets the demo passwords
        pass
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BARNSKYDD_MODE", "production")
    monkeypatch.setenv("BARNSKYDD_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    yield Settings(mode=Mode.PRODUCTION, database_url=settings.database_url, secret_key=SECRET)
    get_settings.cache_clear()


def test_the_app_is_not_created_while_demo_passwords_are_left(production: Settings) -> None:
    with pytest.raises(passwords.DemoPasswordsLeft) as refused:
        create_app(production)
    assert refused.value.usernames == ["admin", "analytiker", "arbetsledare", "handlaggare"]
    assert REMEDY in str(refused.value)
    assert "annan" not in str(refused.value)  # an account with a password of its own


def test_serve_refuses_to_start_and_names_the_remedy(production: Settings) -> None:
    env = {**os.environ, "BARNSKYDD_LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "-m", "barnskydd", "serve", "--host", "127.0.0.1", "--port", "9"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # today's code would serve instead, and never exit by itself
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "demolösenordet" in result.stderr
    assert "admin, analytiker, arbetsledare, handlaggare" in result.stderr
    assert REMEDY in result.stderr


def test_new_passwords_or_none_let_production_start(production: Settings) -> None:
    for username in ("admin", "analytiker", "arbetsledare"):
        result = runner.invoke(
            cli, ["staff", "password", username], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
        )
        assert result.exit_code == 0, result.output
        assert f"Lösenordet för {username} är bytt." in result.output
    with pytest.raises(passwords.DemoPasswordsLeft) as refused:
        create_app(production)
    assert refused.value.usernames == ["handlaggare"]
    result = runner.invoke(cli, ["staff", "password", "handlaggare", "--ingen"])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(production), base_url="https://testserver") as client:
        response = client.post(
            "/api/v1/session", json={"username": "admin", "password": NEW_PASSWORD}
        )
        assert response.status_code == 200
        refused_demo = client.post(
            "/api/v1/session", json={"username": "handlaggare", "password": "demo"}
        )
        assert refused_demo.status_code == 401
    engine = make_engine(production.database_url)
    with transaction(session_factory(engine)) as session:
        member = session.scalars(select(StaffMember).where(StaffMember.username == "annan")).one()
        assert passwords.verify(member, OTHER_PASSWORD)
    engine.dispose()


def test_the_password_command_refuses_a_short_password_and_an_unknown_account(
    production: Settings,
) -> None:
    short = runner.invoke(cli, ["staff", "password", "admin"], input="kort\nkort\n")
    assert short.exit_code == 2
    assert "minst 12 tecken" in short.output
    unknown = runner.invoke(cli, ["staff", "password", "finns-inte", "--ingen"])
    assert unknown.exit_code == 3
    with pytest.raises(passwords.DemoPasswordsLeft):  # nothing was changed
        create_app(production)
