"""Autosave of drafts through HTTP: saved as typed, filled in again, gone once submitted."""

from __future__ import annotations

import re
import time

import pytest
from httpx import Response

from barnskydd.audit.models import AuditEntry
from barnskydd.core.settings import Settings
from barnskydd.drafts.models import Draft
from barnskydd.web import security
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token
from tests.web.test_pages import count, register, report_form, step

SAVE = "/anmalan/ny/utkast"


def autosave(
    client: TestClient, url: str = SAVE, csrf: str = "", **fields: str | list[str]
) -> Response:
    """Post a form's input the way htmx does: the CSRF token in the header."""
    headers = {"X-CSRF-Token": csrf or token(client, "/"), "HX-Request": "true"}
    return client.post(url, data=fields, headers=headers)


def test_typed_report_is_saved_and_fills_the_form_when_reopened(client: TestClient) -> None:
    login(client, "handlaggare")
    response = autosave(
        client, child_first_name="Saga", free_text="Oro för Saga.", concerns=["neglect"]
    )
    assert response.status_code == 200
    assert re.search(r"Utkast sparat \d\d:\d\d\.", response.text)
    assert "Släng utkastet" in response.text
    page = client.get("/anmalan/ny").text
    assert 'id="child_first_name" name="child_first_name" required value="Saga"' in page
    assert "Oro för Saga.</textarea>" in page
    assert 'value="neglect" checked' in page
    assert "Ifyllt från ditt utkast, sparat" in page


def test_the_report_form_autosaves_with_htmx_and_the_csrf_header(client: TestClient) -> None:
    login(client, "handlaggare")
    page = client.get("/anmalan/ny").text
    assert 'hx-post="/anmalan/ny/utkast"' in page
    assert 'hx-trigger="input changed delay:1s from:closest form' in page
    assert 'hx-headers=\'{"X-CSRF-Token": "' in page
    assert '<script src="/static/drafts.js" defer></script>' in page
    assert client.get("/static/drafts.js").status_code == 200


def test_registering_the_report_deletes_its_draft(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    autosave(client, child_first_name="Saga")
    assert count(settings, Draft) == 1
    register(client)
    assert count(settings, Draft) == 0
    assert 'value="Saga"' not in client.get("/anmalan/ny").text


def test_a_report_with_errors_keeps_its_draft(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    autosave(client, child_first_name="Saga")
    response = client.post("/anmalan/ny", data=report_form(client, child_identity="20150916-9875"))
    assert response.status_code == 422
    assert count(settings, Draft) == 1


def test_nobody_else_sees_a_draft(client: TestClient) -> None:
    login(client, "handlaggare")
    autosave(client, child_first_name="Hemligt")
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "arbetsledare")
    assert "Hemligt" not in client.get("/anmalan/ny").text


def test_an_ended_session_gets_401_and_a_way_back_not_a_redirect(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, "handlaggare")
    headers = {"X-CSRF-Token": token(client, "/anmalan/ny")}
    later = time.time() + security.IDLE_TIMEOUT + 5
    monkeypatch.setattr(security.time, "time", lambda: later)
    response = client.post(SAVE, data={"free_text": "Skrivet för sent"}, headers=headers)
    assert response.status_code == 401
    assert "Du har loggats ut" in response.text
    assert 'href="/logga-in?next=/anmalan/ny"' in response.text
    assert response.headers["WWW-Authenticate"].startswith("Cookie")


def test_no_session_at_all_gets_401(client: TestClient, settings: Settings) -> None:
    response = client.post(SAVE, data={"free_text": "x"}, headers={"X-CSRF-Token": "gissat"})
    assert response.status_code == 401
    assert count(settings, Draft) == 0


def test_a_save_without_the_csrf_token_is_refused(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    assert client.post(SAVE, data={"free_text": "x"}).status_code == 403
    assert (
        client.post(SAVE, data={"free_text": "x"}, headers={"X-CSRF-Token": "fel"}).status_code
        == 403
    )
    assert count(settings, Draft) == 0


def test_a_closing_page_may_send_the_token_as_a_form_field(client: TestClient) -> None:
    login(client, "handlaggare")
    data = {"csrf_token": token(client, "/anmalan/ny"), "free_text": "Sista orden"}
    assert client.post(SAVE, data=data).status_code == 200
    assert "Sista orden" in client.get("/anmalan/ny").text


def test_the_analyst_has_no_drafts(client: TestClient) -> None:
    login(client, "analytiker")
    assert autosave(client, free_text="x").status_code == 403


def test_a_draft_that_no_form_produces_is_refused(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    response = autosave(client, free_text="x" * 100_001)
    assert response.status_code == 422
    assert "för långt" in response.text
    assert count(settings, Draft) == 0


def test_discarding_the_draft_empties_the_form(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    autosave(client, child_first_name="Saga")
    response = client.post(SAVE + "/radera", data={"csrf_token": token(client, "/anmalan/ny")})
    assert response.url.path == "/anmalan/ny"
    assert 'value="Saga"' not in response.text
    assert count(settings, Draft) == 0


def test_a_step_draft_fills_its_form_and_goes_when_the_step_is_taken(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    url = f"/arenden/{number}/steg/assess_protection/utkast"
    csrf = token(client, "/")
    audited = count(settings, AuditEntry)
    assert autosave(client, url, csrf, notes="Utkast till anteckning").status_code == 200
    assert count(settings, AuditEntry) == audited  # drafts are not the record
    page = client.get(f"/arenden/{number}").text
    assert "Utkast till anteckning</textarea>" in page
    assert f'hx-post="{url}"' in page
    step(client, number, "assess_protection", assessed_at="", immediate_protection_needed="nej")
    assert count(settings, Draft) == 1  # the step failed: the draft stays
    taken = step(
        client,
        number,
        "assess_protection",
        assessed_at=report_form(client)["received_at"],
        immediate_protection_needed="nej",
        notes="Utkast till anteckning",
    )
    assert taken.status_code == 200
    assert count(settings, Draft) == 0


def test_discarding_a_step_draft_returns_to_the_case(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    url = f"/arenden/{number}/steg/assess_protection/utkast"
    autosave(client, url, notes="Bort med detta")
    response = client.post(
        url + "/radera", data={"csrf_token": token(client, f"/arenden/{number}")}
    )
    assert response.url.path == f"/arenden/{number}"
    assert "Bort med detta" not in response.text
    assert count(settings, Draft) == 0


def test_another_units_case_takes_no_drafts(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    number = register(client)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "annan", OTHER_PASSWORD)
    url = f"/arenden/{number}/steg/assess_protection/utkast"
    assert autosave(client, url, notes="x").status_code == 404
    assert count(settings, Draft) == 0
