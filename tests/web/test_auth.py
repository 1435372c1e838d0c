"""Login, logout, lock-out, CSRF, session timeout and the demo-only default passwords."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from argon2 import Type, profiles

from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings
from barnskydd.staff import passwords
from barnskydd.staff.models import StaffMember
from barnskydd.web import security
from tests.conftest import PRODUCT_HASHER, TEST_HASHER
from tests.web.conftest import TestClient, login, token


def test_login_with_demo_password_opens_the_inbox(client: TestClient) -> None:
    login(client, "handlaggare")
    assert "<h1>Inkorg</h1>" in client.get("/").text


def test_session_cookie_is_httponly_and_lax(client: TestClient) -> None:
    response = client.post(
        "/logga-in",
        data={
            "username": "handlaggare",
            "password": "demo",
            "csrf_token": token(client),
        },
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: TestClient,
) -> None:
    response = client.post(
        "/logga-in",
        data={
            "username": "handlaggare",
            "password": "fel",
            "csrf_token": token(client),
        },
    )
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord." in response.text
    unknown = client.post(
        "/logga-in",
        data={
            "username": "finns-inte",
            "password": "demo",
            "csrf_token": token(client),
        },
    )
    assert unknown.status_code == 401
    assert "Fel användarnamn eller lösenord." in unknown.text


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client: TestClient,
) -> None:
    for _ in range(security.MAX_FAILURES):
        client.post(
            "/logga-in",
            data={
                "username": "handlaggare",
                "password": "fel",
                "csrf_token": token(client),
            },
        )
    response = client.post(
        "/logga-in",
        data={
            "username": "handlaggare",
            "password": "demo",
            "csrf_token": token(client),
        },
    )
    assert response.status_code == 429
    assert "spärrat" in response.text


def test_lock_lifts_after_the_lock_period(client: TestClient, settings: Settings) -> None:
    guard: security.LoginGuard = client.app.state.login_guard  # type: ignore[attr-defined]
    now = [dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)]
    guard.clock = lambda: now[0]
    for _ in range(security.MAX_FAILURES):
        assert guard.reserve("handlaggare") is not None
    assert guard.reserve("HANDLAGGARE") is None
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        assert guard.locked(session, "Handlaggare ")
    now[0] += dt.timedelta(seconds=security.LOCK_SECONDS + 1)
    with transaction(session_factory(engine)) as session:
        assert not guard.locked(session, "handlaggare")
    engine.dispose()
    login(client, "handlaggare")


def test_a_good_password_on_the_last_check_logs_in_and_forgets_the_failures(
    client: TestClient,
) -> None:
    for _ in range(security.MAX_FAILURES - 1):
        client.post(
            "/logga-in",
            data={"username": "handlaggare", "password": "fel", "csrf_token": token(client)},
        )
    login(client, "handlaggare")
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    for _ in range(security.MAX_FAILURES - 1):  # a fresh window: as many tries again
        client.post(
            "/logga-in",
            data={"username": "handlaggare", "password": "fel", "csrf_token": token(client)},
        )
    login(client, "handlaggare")


def test_the_lock_holds_across_app_processes(client: TestClient, settings: Settings) -> None:
    from barnskydd.web.app import create_app

    for _ in range(security.MAX_FAILURES):
        client.post(
            "/logga-in",
            data={"username": "handlaggare", "password": "fel", "csrf_token": token(client)},
        )
    with TestClient(create_app(settings)) as other_worker:  # a second uvicorn worker
        response = other_worker.post(
            "/logga-in",
            data={"username": "handlaggare", "password": "demo", "csrf_token": token(other_worker)},
        )
    assert response.status_code == 429


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/logga-in", data={"username": "handlaggare", "password": "demo"})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.text
    login(client, "handlaggare")
    assert client.post("/logga-ut", data={"csrf_token": "förfalskad"}).status_code == 403


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client, "handlaggare")
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/logga-in")


def test_idle_session_times_out(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    login(client, "handlaggare")
    later = time.time() + security.IDLE_TIMEOUT + 5
    monkeypatch.setattr(security.time, "time", lambda: later)
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/logga-in?next=/"


def test_pages_need_login(client: TestClient) -> None:
    for path in ("/", "/anmalan/ny", "/arenden/BU-2025-000001"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/logga-in")


def test_login_does_not_redirect_to_another_site(client: TestClient) -> None:
    response = client.post(
        "/logga-in",
        data={
            "username": "handlaggare",
            "password": "demo",
            "csrf_token": token(client),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_no_default_passwords_outside_demo_mode(settings: Settings) -> None:
    production = Settings(
        mode=Mode.PRODUCTION,
        database_url=settings.database_url,
        secret_key="a-secret-of-our-own-for-this-test",
    )
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    with transaction(factory) as session:
        for member in session.query(StaffMember):
            member.password_hash = None
        assert passwords.set_demo_passwords(session, settings=production) == []
    with transaction(factory) as session:
        assert all(m.password_hash is None for m in session.query(StaffMember))
    engine.dispose()


def test_hashes_are_argon2id(settings: Settings) -> None:
    assert passwords.hash_password("ett-langt-losenord").startswith("$argon2id$")


def test_the_product_hashes_with_the_rfc_9106_low_memory_profile() -> None:
    """The suite hashes at argon2's cheapest cost (tests/conftest.py); the product does not."""
    low_memory = profiles.RFC_9106_LOW_MEMORY
    assert (
        PRODUCT_HASHER.time_cost,
        PRODUCT_HASHER.memory_cost,
        PRODUCT_HASHER.parallelism,
        PRODUCT_HASHER.type,
    ) == (low_memory.time_cost, low_memory.memory_cost, low_memory.parallelism, Type.ID)
    # A hash made at the suite's cost would be made again at the product's at the next login.
    assert PRODUCT_HASHER.check_needs_rehash(TEST_HASHER.hash("ett-langt-losenord"))
    assert passwords._hasher is TEST_HASHER  # the swap this test stands in for
