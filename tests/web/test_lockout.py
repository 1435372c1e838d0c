"""The lock-out: at most MAX_FAILURES password checks per window, at any concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.staff.models import LoginAttempt
from barnskydd.web import security
from barnskydd.web.security import LoginGuard, Reservation

THREADS = 24


@pytest.fixture
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    waits = {"timeout": 30} if database_url.startswith("sqlite") else {}  # a loaded machine
    engine = make_engine(database_url, pool_size=THREADS, connect_args=waits)
    yield session_factory(engine)
    engine.dispose()


def test_concurrent_reservations_get_at_most_the_limit(factory: sessionmaker[Session]) -> None:
    guard = LoginGuard(factory)
    start = threading.Barrier(THREADS)
    granted: list[Reservation | None] = []

    def attempt() -> None:
        start.wait()
        granted.append(guard.reserve("Handlaggare"))

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(r.number for r in granted if r is not None)
    assert numbers == list(range(1, security.MAX_FAILURES + 1))
    assert len(granted) == THREADS
    with transaction(factory) as session:
        assert guard.locked(session, "handlaggare")
    assert guard.reserve("handlaggare") is None


def test_a_good_password_checked_before_the_lock_counts_and_forgets_the_window(
    factory: sessionmaker[Session],
) -> None:
    guard = LoginGuard(factory)
    first = guard.reserve("admin")
    second = guard.reserve("admin")
    assert first is not None
    assert second is not None
    assert guard.succeeded(first)  # checks were left: not locked
    assert guard.succeeded(second)  # the window is forgotten already
    taken = [guard.reserve("admin") for _ in range(security.MAX_FAILURES)]
    assert all(taken)
    assert taken[-1] is not None
    assert taken[-1].number == security.MAX_FAILURES


def test_a_good_password_that_took_the_last_check_counts(
    factory: sessionmaker[Session],
) -> None:
    guard = LoginGuard(factory)
    for _ in range(security.MAX_FAILURES - 1):
        guard.reserve("admin")
    last = guard.reserve("admin")
    assert last is not None
    assert guard.succeeded(last)
    with transaction(factory) as session:
        assert not guard.locked(session, "admin")


def test_a_good_password_is_refused_when_later_checks_locked_the_account(
    factory: sessionmaker[Session],
) -> None:
    guard = LoginGuard(factory)
    mine = guard.reserve("admin")  # the right password, still being checked ...
    assert mine is not None
    while guard.reserve("admin") is not None:  # ... while guesses use up the window
        pass
    assert not guard.succeeded(mine)
    assert guard.reserve("admin") is None  # still locked


def test_a_window_ends_after_the_lock_period(factory: sessionmaker[Session]) -> None:
    now = [dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)]
    guard = LoginGuard(factory, clock=lambda: now[0])
    for _ in range(security.MAX_FAILURES):
        assert guard.reserve("analytiker") is not None
    now[0] += dt.timedelta(seconds=security.LOCK_SECONDS - 1)
    assert guard.reserve("analytiker") is None  # the window's last second
    now[0] += dt.timedelta(seconds=1)
    fresh = guard.reserve("analytiker")
    assert fresh is not None
    assert fresh.number == 1
    assert fresh.window == now[0]
    assert guard.reserve("annan") is not None  # each username has its own window


# -- a real server: two worker processes, as `barnskydd serve --workers 2` runs them ----------

WRONG = 40
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serve(settings: Settings, log: Path) -> Iterator[str]:
    """Run `barnskydd serve --workers 2` on a free loopback port until the block ends."""
    port = _free_port()
    env = {
        **os.environ,
        "BARNSKYDD_DATABASE_URL": settings.database_url,
        "BARNSKYDD_MODE": "demo",
        "BARNSKYDD_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "barnskydd", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # ready once a worker has given the demo accounts their password
            try:
                ready = httpx.post(
                    f"{base}/api/v1/session",
                    json={"username": "admin", "password": "demo"},
                    timeout=10,
                )
                if ready.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start:\n" + log.read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _client(base: str) -> httpx.AsyncClient:
    # The server drops an idle keep-alive connection after 5 s (uvicorn's default). Setting up
    # forty clients on a loaded machine takes longer than that, and a request sent on a
    # connection the server is closing fails with ReadError: so no connection idles past 1 s.
    limits = httpx.Limits(keepalive_expiry=1.0)
    return httpx.AsyncClient(base_url=base, timeout=120, limits=limits)


async def _desk_client(base: str) -> tuple[httpx.AsyncClient, str]:
    client = _client(base)
    match = TOKEN.search((await client.get("/logga-in")).text)
    assert match
    return client, match.group(1)


async def _desk_login(client: httpx.AsyncClient, token: str, password: str) -> int:
    response = await client.post(
        "/logga-in",
        data={"username": "handlaggare", "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


async def _api_login(client: httpx.AsyncClient, password: str) -> int:
    response = await client.post(
        "/api/v1/session", json={"username": "handlaggare", "password": password}
    )
    return response.status_code


async def _burst(base: str) -> tuple[list[int], int, int]:
    """Send WRONG wrong passwords at once (half desk, half API), and the right one with them.

    The right one leaves once the first refusal is back, while the rest of the burst is still
    in flight: by then the lock is decided, so its answer does not depend on arrival order.
    """
    desk = [await _desk_client(base) for _ in range(WRONG // 2)]
    api = [_client(base) for _ in range(WRONG - len(desk))]
    right_client, right_token = await _desk_client(base)
    try:
        refused = asyncio.Event()

        async def noted(status: Awaitable[int]) -> int:
            code = await status
            if code == 429:
                refused.set()
            return code

        wrong = asyncio.gather(
            *(noted(_desk_login(c, t, f"fel-{i}")) for i, (c, t) in enumerate(desk)),
            *(noted(_api_login(c, f"fel-api-{i}")) for i, c in enumerate(api)),
        )
        waiting = asyncio.ensure_future(refused.wait())
        either: list[asyncio.Future[Any]] = [wrong, waiting]
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        right = await _desk_login(right_client, right_token, "demo")
        statuses = list(await wrong)
        waiting.cancel()
        after = await _api_login(right_client, "demo")  # the API too, after the burst
    finally:  # closed also when a request fails: no socket left for the next test's warnings
        for client in [right_client, *api, *(c for c, _ in desk)]:
            await client.aclose()
    return statuses, right, after


def test_a_burst_of_guesses_on_two_workers_gets_at_most_the_limit_checked(
    settings: Settings, tmp_path: Path
) -> None:
    with _serve(settings, tmp_path / "server.log") as base:
        statuses, right, after = asyncio.run(_burst(base))
    checked = statuses.count(401)
    assert sorted(set(statuses)) <= [401, 429], statuses
    assert checked == security.MAX_FAILURES, statuses
    assert statuses.count(429) == WRONG - security.MAX_FAILURES
    assert right == 429  # the right password in the same burst is refused
    assert after == 429  # and the account stays locked
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        assert LoginGuard(session_factory(engine)).locked(session, "handlaggare")
    engine.dispose()


def test_ended_windows_of_other_names_are_swept_and_a_lock_is_kept(
    factory: sessionmaker[Session],
) -> None:
    """Guesses at names leave no lasting rows; a name still locked stays locked."""
    now = [dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)]
    guard = LoginGuard(factory, clock=lambda: now[0])
    for name in ("gissning-1", "gissning-2"):
        assert guard.reserve(name) is not None
    now[0] += dt.timedelta(seconds=security.LOCK_SECONDS // 2)
    for _ in range(security.MAX_FAILURES):
        assert guard.reserve("annan") is not None  # locked from here, for a whole window
    now[0] += dt.timedelta(seconds=security.LOCK_SECONDS // 2)
    assert guard.reserve("admin") is not None  # a window on: the sweep runs
    with transaction(factory) as session:
        names = set(session.scalars(select(LoginAttempt.username)))
        assert names == {"annan", "admin"}
        assert guard.locked(session, "annan")
    assert guard.reserve("annan") is None
