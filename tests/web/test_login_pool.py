"""Simultaneous logins: no login holds a pooled connection while its password is checked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.staff import passwords
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app
from tests.web.conftest import token

LOGINS = 30  # twice what the default pool lends (5 connections and 10 overflow)
PASSWORD = "samtidig-inloggning"  # a test account's


def test_thirty_simultaneous_logins_all_succeed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name="Barn och unga Samtidig", municipality_code="1480")
        for number in range(LOGINS):
            member = staff.create(
                session,
                username=f"samtidig{number}",
                display_name=f"Samtidig {number}",
                role=Role.CASE_WORKER,
                unit_id=unit.id,
            )
            passwords.set_password(session, member=member, password=PASSWORD)
    engine.dispose()

    # Every login waits inside its password check until all of them are there: if a login
    # held a pooled connection meanwhile, the pool would run dry before the last one arrived.
    everyone = threading.Barrier(LOGINS, timeout=60)
    real_verify = passwords.verify

    def verify_together(member: object, password: str) -> bool:
        everyone.wait()
        return real_verify(member, password)  # type: ignore[arg-type]

    monkeypatch.setattr(passwords, "verify", verify_together)
    app = create_app(settings)
    with TestClient(app, follow_redirects=False) as client:
        csrf = token(client)

        def log_in(number: int) -> int:
            form = {"username": f"samtidig{number}", "password": PASSWORD, "csrf_token": csrf}
            return client.post("/logga-in", data=form).status_code

        with ThreadPoolExecutor(LOGINS) as pool:
            statuses = list(pool.map(log_in, range(LOGINS)))
    assert statuses == [303] * LOGINS
    assert not everyone.broken
