"""Deviations on the desk: report from any page, the Lex Sarah path to IVO, the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from barnskydd.core.clock import SWEDEN
from barnskydd.core.settings import Settings
from barnskydd.deviations.models import Deviation
from tests.factories import CHILD_PNR
from tests.web.conftest import LEX_SARAH_PASSWORD, OTHER_PASSWORD, TestClient, login, token
from tests.web.test_pages import count, register

DEVIATION = re.compile(r"/avvikelser/(\d+)$")


def report(client: TestClient, **fields: Any) -> Any:
    """Post the report form (the three required fields unless overridden)."""
    data: dict[str, Any] = {
        "csrf_token": token(client, "/avvikelser/ny"),
        "what_happened": "Journalanteckningen sparades inte och fick skrivas om.",
        "occurred_on": dt.date.today().isoformat(),
        "unit_id": "1",
        **fields,
    }
    return client.post("/avvikelser/ny", data=data)


def reported(client: TestClient, **fields: Any) -> int:
    response = report(client, **fields)
    assert response.status_code == 200, response.text
    match = DEVIATION.search(str(response.url))
    assert match, response.url
    return int(match.group(1))


def post(client: TestClient, path: str, page: str, **fields: Any) -> Any:
    return client.post(path, data={"csrf_token": token(client, page), **fields})


def test_every_page_links_to_the_report_form(client: TestClient) -> None:
    login(client, "analytiker")
    assert 'href="/avvikelser/ny"' in client.get("/").text


def test_three_fields_file_a_deviation_known_to_the_owner_not_to_the_unit(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    deviation_id = reported(client, factors=["it_documentation", "organisation_workload"])
    page = client.get(f"/avvikelser/{deviation_id}").text
    assert "Att bedöma" in page
    assert "IT och dokumentation" in page
    assert "Rapporterad av" not in page
    login(client, "arbetsledare")
    assert "Rapporterad av</dt><dd>Handlaggare" in client.get(f"/avvikelser/{deviation_id}").text
    login(client, "annan", OTHER_PASSWORD)
    assert client.get(f"/avvikelser/{deviation_id}").status_code == 404
    assert count(settings, Deviation) == 1


def test_a_missing_required_field_is_named_and_nothing_is_stored(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    response = report(client, what_happened="", occurred_on="2999-01-01")
    assert response.status_code == 422
    assert 'id="what_happened-fel"' in response.text
    assert count(settings, Deviation) == 0


def test_a_lex_sarah_report_needs_its_immediate_measures(client: TestClient) -> None:
    login(client, "handlaggare")
    response = report(client, kind="lex_sarah_report")
    assert response.status_code == 422
    assert "åtgärder som vidtogs genast" in response.text


def _serious(client: TestClient) -> int:
    """File a Lex Sarah report, triage it to an investigation and assess it as serious."""
    login(client, "handlaggare")
    now = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    number = register(client)
    deviation_id = reported(
        client,
        kind="lex_sarah_report",
        case_number=number,
        immediate_measures="Barnet placerades genast i jourhem.",
        immediate_measures_at=now,
    )
    login(client, "arbetsledare")
    page = f"/avvikelser/{deviation_id}"
    assert post(client, f"{page}/bedomning", page, decision="lex_sarah").status_code == 200
    login(client, "lexsarah", LEX_SARAH_PASSWORD)
    response = post(
        client,
        f"{page}/utredning",
        page,
        what_happened="Skyddsbedömningen gjordes inte samma dag.",
        why="Ingen hade ansvar för inkorgen under semestern.",
        prevention="Bemanningsschema för inkorgen.",
        assessment="serious",
    )
    assert response.status_code == 200, response.text
    return deviation_id


def test_a_serious_deviation_closes_only_once_its_ivo_report_is_sent(client: TestClient) -> None:
    deviation_id = _serious(client)
    page = f"/avvikelser/{deviation_id}"
    text = client.get(page).text
    assert "Allvarligt missförhållande" in text
    assert "ska snarast anmälas till IVO" in text
    assert re.search(r"BU-\d{4}-\d{6}", text) is None  # another unit's case, for this role
    refused = post(client, f"{page}/avsluta", page)
    assert refused.status_code == 422
    assert "kan inte avslutas förrän anmälan till IVO är skickad" in refused.text
    pdf = client.get(f"{page}/ivo.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    sent = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    response = post(
        client,
        f"{page}/ivo",
        page,
        sender_diary_no="SN 2026/123",
        activity="Barn och unga Centrum",
        contact_person="Kim Kontakt",
        sent_at=sent,
        channel="e_service",
        ivo_diary_no="3.5-12345/2026",
    )
    assert response.status_code == 200, response.text
    assert "0 dagar</strong> från bedömning till anmälan" in response.text
    assert post(client, f"{page}/avsluta", page).status_code == 200
    assert "Avslutad" in client.get(page).text


def test_an_overdue_action_shows_on_the_owners_and_the_team_leads_pages(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    deviation_id = reported(client)
    login(client, "arbetsledare")
    page = f"/avvikelser/{deviation_id}"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = post(
        client,
        f"{page}/atgarder",
        page,
        description="Gå igenom rutinen för autosparande.",
        owner_id="1",
        due_on=yesterday,
    )
    assert response.status_code == 200, response.text
    assert "Försenad" in response.text
    for username in ("arbetsledare", "handlaggare"):
        login(client, username)
        assert "Gå igenom rutinen för autosparande." in client.get("/avvikelser").text
    # Issue 14 item 4: on the owner's inbox and on the team lead's unit page, no one else's.
    login(client, "handlaggare")
    assert "Gå igenom rutinen för autosparande." in client.get("/").text
    login(client, "arbetsledare")
    assert "Gå igenom rutinen för autosparande." in client.get("/enhet").text
    assert "Gå igenom rutinen för autosparande." not in client.get("/").text
    login(client, "annan", OTHER_PASSWORD)
    assert "Gå igenom rutinen för autosparande." not in client.get("/").text


def test_no_dashboard_response_holds_a_name_an_identity_number_or_a_case_number(
    client: TestClient,
) -> None:
    _serious(client)
    login(client, "handlaggare")
    for _ in range(6):
        reported(client, factors=["task"])
    forbidden = [CHILD_PNR, CHILD_PNR.replace("-", ""), "Saga", "Lind", "Handlaggare", "BU-"]
    for username, password in (
        ("arbetsledare", "demo"),
        ("admin", "demo"),
        ("lexsarah", LEX_SARAH_PASSWORD),
        ("analytiker", "demo"),
    ):
        login(client, username, password)
        for query in ("", "?enhet=1", f"?ar={dt.date.today().year}", "?ar=x", "?enhet=99"):
            response = client.get(f"/avvikelser/larande{query}")
            assert response.status_code in (200, 422)
            body = response.text
            assert "Lärandeöversikt" in body
            for text in forbidden:
                assert text not in body, (username, query, text)
            assert re.search(r"\d{6}-?\d{4}", body) is None
    login(client, "admin")
    body = client.get("/avvikelser/larande").text
    assert "<td>6</td>" in body  # the six reports: shown, not suppressed
    assert "&lt;5" in body  # the one Lex Sarah report: suppressed


def test_the_dashboard_is_refused_to_case_workers(client: TestClient) -> None:
    login(client, "handlaggare")
    assert client.get("/avvikelser/larande").status_code == 403
