"""The lookup on the case page: form, answer, refusals and a clear message when it is down."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings
from barnskydd.lookup.auth import Signer
from barnskydd.lookup.client import NationalClient
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app
from barnskydd.web.lookup_views import get_client
from tests.factories import registered_case
from tests.lookup.conftest import A, TestClient, national
from tests.web.conftest import login, seed, token


@pytest.fixture
def desk(database_url: str) -> Iterator[tuple[TestClient, str, Settings]]:
    """The desk with a case in the case worker's unit; lookups go nowhere until overridden."""
    seed(database_url)
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        assert worker.unit_id is not None
        number = registered_case(session, worker.unit_id, worker).case_number
    engine.dispose()
    settings = Settings(mode=Mode.DEMO, database_url=database_url)
    with TestClient(create_app(settings)) as client:
        yield client, number, settings


def ask(
    client: TestClient, number: str, purpose: str = "utredning", htmx: bool = False
) -> httpx.Response:
    """Post the lookup form from the case page."""
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"purpose": purpose, "csrf_token": token(client, f"/arenden/{number}")}
    return client.post(f"/arenden/{number}/riksuppslag", data=data, headers=headers)


def test_the_case_page_offers_the_lookup_and_an_empty_answer_says_so(
    desk: tuple[TestClient, str, Settings],
    pseudonymiser: TestClient,
    local_index: TestClient,
    signers: dict[str, Signer],
) -> None:
    client, number, settings = desk
    client.app.dependency_overrides[get_client] = lambda: national(  # type: ignore[attr-defined]
        pseudonymiser, local_index, signers, A
    )
    login(client, "handlaggare")
    assert "Sök i andra kommuner" in client.get(f"/arenden/{number}").text
    response = ask(client, number, htmx=True)
    assert response.status_code == 200, response.text
    assert "Ingen annan kommun har en anmälan" in response.text
    assert "<html" not in response.text  # htmx gets the section alone
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        purposes = conn.scalars(
            select(AuditEntry.purpose).where(AuditEntry.action == "lookup")
        ).all()
    engine.dispose()
    assert purposes == ["Barnavårdsutredning"]


def test_a_service_down_gives_a_clear_swedish_message(
    desk: tuple[TestClient, str, Settings], signers: dict[str, Signer]
) -> None:
    client, number, _ = desk
    down = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5)
    client.app.dependency_overrides[get_client] = lambda: NationalClient(down, down, signers[A])  # type: ignore[attr-defined]
    login(client, "handlaggare")
    response = ask(client, number)
    assert response.status_code == 503
    assert "går inte att nå just nu" in response.text


def test_without_configuration_purpose_or_role_the_lookup_is_refused(
    desk: tuple[TestClient, str, Settings],
) -> None:
    client, number, _ = desk
    login(client, "handlaggare")
    assert "går inte att nå" in ask(client, number).text  # no national services configured
    assert ask(client, number, purpose="").status_code == 422
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "annan", "annan-enhet-losen")
    assert ask(client, number).status_code == 404  # another unit's case is not found
