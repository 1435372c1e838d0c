"""Enhetens ärenden, reassignment and naming staff for a protected child, through the forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from barnskydd.cases.models import Case
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.people.models import Child
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import register

HANDLAGGARE, ARBETSLEDARE, ANNAN = "1", "2", "5"  # staff ids as seeded


def _switch(client: TestClient, username: str) -> None:
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, username)


def _post(client: TestClient, path: str, page: str, **fields: str) -> Any:
    return client.post(path, data={"csrf_token": token(client, page), **fields})


def _assigned(settings: Settings, number: str) -> int | None:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        value = conn.scalar(select(Case.assigned_to_id).where(Case.case_number == number))
    engine.dispose()
    return value


def _set_address(settings: Settings, address: str) -> None:
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(update(Child).values(address=address))
    engine.dispose()


def test_the_team_lead_sees_risk_and_caseload_and_reassigns(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    late = register(
        client,
        received_at=(dt.datetime.now(SWEDEN) - dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
    )
    _switch(client, "arbetsledare")
    page = client.get("/enhet")
    assert page.status_code == 200
    assert "<h1>Enhetens ärenden: Barn och unga Centrum</h1>" in page.text
    assert '<strong class="badge late">Försenad</strong>' in page.text
    assert '<th scope="row">Handlaggare</th>' in page.text
    assert '<label class="visually-hidden" for="' + late + '-staff_id">' in page.text
    moved = _post(
        client,
        f"/arenden/{late}/omfordela",
        "/enhet",
        staff_id=ARBETSLEDARE,
        tillbaka="enhet",
    )
    assert moved.status_code == 200
    assert str(moved.url).endswith("/enhet")
    assert f"Ärende {late} är fördelat till Arbetsledare." in moved.text
    assert _assigned(settings, late) == int(ARBETSLEDARE)


def test_a_bad_worker_is_shown_next_to_the_field_and_nothing_changes(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    _switch(client, "arbetsledare")
    for staff_id, message in (
        ("abc", "Välj en handläggare i listan."),
        ("99999999999999999999", "Välj en handläggare i listan."),
        (ANNAN, "Handläggaren finns inte i ärendets enhet."),
    ):
        response = _post(
            client, f"/arenden/{number}/omfordela", "/enhet", staff_id=staff_id, tillbaka="enhet"
        )
        assert response.status_code == 422
        assert f'<p class="error" id="{number}-staff_id-fel">{message}</p>' in response.text
        assert f'aria-describedby="{number}-staff_id-fel"' in response.text
    response = _post(
        client,
        f"/arenden/{number}/omfordela",
        f"/arenden/{number}",
        staff_id="",
        tillbaka="arende",
    )
    assert response.status_code == 422
    assert '<p class="error" id="reassign-staff_id-fel">Välj en handläggare i listan.</p>' in (
        response.text
    )
    assert _assigned(settings, number) == int(HANDLAGGARE)


def test_case_workers_cannot_open_the_team_view_or_reassign(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    assert client.get("/enhet").status_code == 403
    response = _post(client, f"/arenden/{number}/omfordela", "/", staff_id=ARBETSLEDARE)
    assert response.status_code == 403
    assert "Fördela om" not in client.get(f"/arenden/{number}").text


def test_admin_picks_the_unit_and_garbage_is_refused_next_to_the_field(
    client: TestClient,
) -> None:
    login(client, "admin")
    assert "Barn och unga Väster</h1>" in client.get("/enhet?enhet=2").text
    for garbage in ("abc", "999", "²"):
        page = client.get("/enhet", params={"enhet": garbage})
        assert page.status_code == 422
        assert '<p class="error" id="enhet-fel">Välj en enhet i listan.</p>' in page.text


def test_the_case_page_names_the_rule_set_and_shows_a_plain_address(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    _set_address(settings, "Storgatan 1")
    page = client.get(f"/arenden/{number}").text
    assert "<dt>Regelverk</dt><dd>SoL 2025:400</dd>" in page
    assert "<dt>Adress</dt><dd>Storgatan 1</dd>" in page


def test_a_confidentiality_marking_warns_but_does_not_restrict(
    client: TestClient, settings: Settings
) -> None:
    login(client, "arbetsledare")
    number = register(client, protected_identity="confidentiality_marking", assigned_to_id="")
    _set_address(settings, "Storgatan 1")
    _switch(client, "handlaggare")
    page = client.get(f"/arenden/{number}")
    assert page.status_code == 200
    assert "<strong>Skyddad identitet:</strong> Sekretessmarkering." in page.text
    assert "Storgatan 1" in page.text


def test_a_protected_child_is_limited_to_named_staff_and_the_address_hidden(
    client: TestClient, settings: Settings
) -> None:
    login(client, "arbetsledare")
    number = register(client, protected_identity="protected_registration", assigned_to_id="")
    _set_address(settings, "Storgatan 1")
    page = client.get(f"/arenden/{number}").text
    assert "Storgatan 1" not in page
    assert "<dt>Adress</dt><dd>Skyddad, visas inte</dd>" in page
    assert "Ingen är namngiven ännu." in page
    _switch(client, "handlaggare")
    assert client.get(f"/arenden/{number}").status_code == 404
    _switch(client, "arbetsledare")
    path = f"/arenden/{number}/atkomst"
    bad = _post(client, path, f"/arenden/{number}", staff_id="x")
    assert bad.status_code == 422
    assert '<p class="error" id="grant-staff_id-fel">Välj en handläggare i listan.</p>' in bad.text
    assert _post(client, path, f"/arenden/{number}", staff_id=ANNAN).status_code == 422
    granted = _post(client, path, f"/arenden/{number}", staff_id=HANDLAGGARE)
    assert "Åtkomst given." in granted.text
    assert 'Ta bort åtkomst<span class="visually-hidden"> för Handlaggare</span>' in granted.text
    _switch(client, "handlaggare")
    page = client.get(f"/arenden/{number}")
    assert page.status_code == 200
    assert "Storgatan 1" not in page.text
    assert "Arbetsledning" not in page.text
    _switch(client, "arbetsledare")
    revoked = _post(client, f"{path}/ta-bort", f"/arenden/{number}", staff_id=HANDLAGGARE)
    assert "Åtkomsten är borttagen." in revoked.text
    again = _post(client, f"{path}/ta-bort", f"/arenden/{number}", staff_id=HANDLAGGARE)
    assert again.status_code == 422
    assert "Personen har ingen namngiven åtkomst." in again.text
    _switch(client, "handlaggare")
    assert client.get(f"/arenden/{number}").status_code == 404
