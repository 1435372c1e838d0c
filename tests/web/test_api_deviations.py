"""Deviations and the child's voice through the JSON API: the desk's role rules, audited."""

from __future__ import annotations

import datetime as dt

from barnskydd.core.clock import SWEDEN
from tests.web.conftest import OTHER_PASSWORD, TestClient
from tests.web.test_api import API, api_login, report_body


def _report(client: TestClient, csrf: dict[str, str], **overrides: object) -> dict[str, object]:
    body = {"what_happened": "Kallelsen gick till fel adress.", "occurred_on": "2025-06-19"}
    body |= {"unit_id": 1, "factors": ["it_documentation"], **overrides}
    response = client.post(f"{API}/deviations", json=body, headers=csrf)
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_anyone_reports_the_owner_assesses_and_others_get_the_same_404(client: TestClient) -> None:
    worker = api_login(client, "handlaggare")
    created = _report(client, worker)
    assert created["status"] == "to_assess"
    assert created["reporter"] is None  # the unit does not see who reported
    assert [d["id"] for d in client.get(f"{API}/deviations").json()] == [created["id"]]
    refused = client.post(f"{API}/deviations/{created['id']}/assess", json={"lex_sarah": False},
                          headers=worker)  # fmt: skip
    assert refused.status_code == 403
    bad = client.post(f"{API}/deviations", json={"what_happened": ""}, headers=worker)
    assert bad.status_code == 422

    lead = api_login(client, "arbetsledare")
    read = client.get(f"{API}/deviations/{created['id']}").json()
    assert read["reporter"] is not None  # the owner knows
    assessed = client.post(
        f"{API}/deviations/{created['id']}/assess", json={"lex_sarah": False}, headers=lead
    )
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["status"] == "assessed"
    again = client.post(
        f"{API}/deviations/{created['id']}/assess", json={"lex_sarah": True}, headers=lead
    )
    assert again.status_code == 409

    api_login(client, "annan", OTHER_PASSWORD)  # another unit's case worker
    missing = client.get(f"{API}/deviations/999999")
    hidden = client.get(f"{API}/deviations/{created['id']}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content
    assert client.get(f"{API}/deviations").json() == []


def test_the_voice_of_a_case_is_read_with_a_purpose(client: TestClient) -> None:
    csrf = api_login(client, "handlaggare")
    received = dt.datetime.now(SWEDEN) - dt.timedelta(minutes=1)
    created = client.post(
        f"{API}/reports", json=report_body(received_at=received.isoformat()), headers=csrf
    )
    assert created.status_code == 201, created.text
    number = created.json()["case_number"]
    without = client.get(f"{API}/cases/{number}/voice")
    assert without.status_code == 422
    read = client.get(f"{API}/cases/{number}/voice", params={"purpose": "handläggning"})
    assert read.status_code == 200, read.text
    assert read.json() == []
    api_login(client, "analytiker")
    assert (
        client.get(f"{API}/cases/{number}/voice", params={"purpose": "handläggning"}).status_code
        == 403
    )
