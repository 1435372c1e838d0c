"""Decisions on the desk and in the API: a refusal, its letters (page, PDF), who was told when."""

from __future__ import annotations

import datetime as dt
import io
from html import unescape

from pypdf import PdfReader

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.decisions.models import DecisionNotice
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.settings import Settings
from barnskydd.law.decisions import appeal_due
from tests.web.conftest import TestClient, login, token
from tests.web.test_api import Caller, caller, count, register
from tests.web.test_family import MOTHER


def _refused_case(api: Caller) -> tuple[str, int, str]:
    """Register, open the investigation, add the mother, refuse open care; return the ids."""
    number = register(api)
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    day = today().isoformat()
    assert (
        api.step(
            number, "assess_protection", assessed_at=now, immediate_protection_needed=False
        ).status_code
        == 200
    )
    assert (
        api.step(
            number, "decide_preliminary", decided_on=day, outcome="investigation_opened"
        ).status_code
        == 200
    )
    mother = api.post(f"/cases/{number}/guardians", {**MOTHER, "shares_child_address": False})
    refused = api.step(
        number,
        "refuse_intervention",
        category="open_care",
        applied_on=day,
        decided_on=day,
        reason="Behovet tillgodoses genom skolans elevhälsa.",
    )
    assert refused.status_code == 200, refused.text
    [decision] = api.get(f"/cases/{number}/decisions", purpose="handläggning").json()
    return number, decision["id"], f"guardian:{mother.json()['id']}"


def test_a_refusal_shows_on_the_case_page_with_its_letter_as_page_and_pdf(
    client: TestClient,
) -> None:
    api = caller(client, "handlaggare")
    number, decision_id, party = _refused_case(api)
    page = client.get(f"/arenden/{number}").text
    assert 'id="beslut"' in page
    assert "Avslag på ansökan om öppenvård" in page
    assert f"/arenden/{number}/beslut/{decision_id}/brev/{party}" in page
    letter = client.get(f"/arenden/{number}/beslut/{decision_id}/brev/{party}")
    assert letter.status_code == 200
    assert "Hur man överklagar" in letter.text
    assert "Storgatan 1, Uddevalla" in letter.text
    pdf = client.get(f"/arenden/{number}/beslut/{decision_id}/brev/{party}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Beslut om avslag på ansökan om insats" in text
    assert "förvaltningsrätten" in text
    assert "11 kap. 1 § socialtjänstlagen (2025:400)" in text
    assert "Behovet tillgodoses genom skolans elevhälsa." in text
    api_pdf = api.get(f"/cases/{number}/decisions/{decision_id}/letters/{party}")
    assert api_pdf.headers["content-type"] == "application/pdf"
    assert api.get(f"/cases/{number}/decisions/{decision_id}/letters/child").status_code == 404


def test_telling_a_party_on_the_desk_shows_the_appeal_deadline(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number, decision_id, party = _refused_case(api)
    day = today().isoformat()
    bad = client.post(
        f"/arenden/{number}/beslut/{decision_id}/delgivning",
        data={
            "party": party,
            "told_on": "2020-01-01",
            "way": "letter",
            "csrf_token": token(client, f"/arenden/{number}"),
        },
    )
    assert bad.status_code == 422
    assert f'id="beslut-{decision_id}-told_on-fel"' in bad.text
    assert count(settings, DecisionNotice) == 0
    good = client.post(
        f"/arenden/{number}/beslut/{decision_id}/delgivning",
        data={
            "party": party,
            "told_on": day,
            "way": "letter",
            "csrf_token": token(client, f"/arenden/{number}"),
        },
    )
    assert good.status_code == 200
    assert appeal_due(today()).isoformat() in good.text
    assert count(settings, AuditEntry, AuditEntry.entity == "decision_notice") == 1


def test_telling_through_the_api_returns_the_deadline_and_refuses_a_stranger(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number, decision_id, party = _refused_case(api)
    path = f"/cases/{number}/decisions/{decision_id}/told"
    day = today().isoformat()
    stranger = api.post(path, {"party": "guardian:99999", "told_on": day, "way": "digital"})
    assert stranger.status_code == 422
    assert count(settings, DecisionNotice) == 0
    told = api.post(path, {"party": party, "told_on": day, "way": "digital"})
    assert told.status_code == 200, told.text
    [row] = told.json()["parties"]
    assert (row["told_on"], row["way"], row["appeal_due"]) == (
        day,
        "digital",
        appeal_due(today()).isoformat(),
    )


def test_an_analyst_gets_no_letter(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    number, decision_id, party = _refused_case(api)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "analytiker")
    assert client.get(f"/arenden/{number}/beslut/{decision_id}/brev/{party}").status_code == 403


def _timeline(page: str) -> str:
    """The case page's timeline list, as text."""
    start = page.index('<ol class="timeline">')
    return unescape(page[start : page.index("</ol>", start)])


def test_the_timeline_shows_a_refusal_and_the_day_each_party_was_told(
    client: TestClient,
) -> None:
    api = caller(client, "handlaggare")
    number, decision_id, party = _refused_case(api)
    before = _timeline(client.get(f"/arenden/{number}").text)
    assert "Avslag på ansökan om insats" in before
    assert "Öppenvård" in before
    assert "Delgivning av beslut" not in before
    day = today().isoformat()
    told = api.post(
        f"/cases/{number}/decisions/{decision_id}/told",
        {"party": party, "told_on": day, "way": "letter"},
    )
    assert told.status_code == 200, told.text
    after = _timeline(client.get(f"/arenden/{number}").text)
    assert "Delgivning av beslut" in after
    assert f"sista dag att överklaga {appeal_due(today()).isoformat()}" in after
    assert "Vårdnadshavare" in after
