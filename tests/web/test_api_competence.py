"""Competence and co-signatures through the JSON API: the desk's access rules, audited."""

from __future__ import annotations

from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from tests.web.conftest import OTHER_PASSWORD, TestClient
from tests.web.test_api import API, api_login


def test_the_team_lead_records_and_reads_a_workers_competence_and_others_get_404(
    client: TestClient, settings: Settings
) -> None:
    lead = api_login(client, "arbetsledare")
    url = f"{API}/staff/handlaggare/competence"
    changed = client.patch(
        url,
        json={
            "degree": "socionom",
            "degree_on": "2015-06-05",
            "experience_from": "2016-01-11",
            "earlier": [{"start_on": "2014-01-01", "end_on": "2014-12-31"}],
        },
        headers=lead,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["degree"], body["degree_date"]) == ("socionom", "2015-06-05")
    assert body["experience_periods"] == [
        {"from": "2014-01-01", "to": "2014-12-31"},
        {"from": "2016-01-11", "to": None},
    ]
    assert body["employment"][0]["role"] == "case_worker"
    started = client.post(
        f"{url}/introduction", json={"started_on": "2025-01-07", "mentor": "arbetsledare"},
        headers=lead,
    )  # fmt: skip
    assert started.status_code == 200, started.text
    intro = started.json()["introduction"]
    assert intro["mentor"] == "arbetsledare"
    done = client.post(
        f"{url}/introduction/items",
        json={"item": intro["items"][0]["key"], "completed_on": "2025-02-01"},
        headers=lead,
    )
    assert done.json()["introduction"]["items"][0]["completed_on"] == "2025-02-01"
    named = client.post(f"{url}/co-signers", json={"co_signer": "admin"}, headers=lead)
    assert named.json()["co_signers"] == ["admin"]
    # Bad input: a 4xx naming the field, and nothing kept.
    future = client.patch(url, json={"degree_on": "2999-01-01"}, headers=lead)
    assert future.status_code == 422
    assert client.get(url).json()["degree_date"] == "2015-06-05"
    unknown = client.patch(url, json={"degree": "doctor"}, headers=lead)
    assert unknown.status_code == 422
    assert client.patch(url, json={"colour": "blue"}, headers=lead).status_code == 422

    worker = api_login(client, "handlaggare")
    own = client.get(url)
    assert own.status_code == 200
    assert own.json()["introduction"]["programme"] == intro["programme"]
    assert client.patch(url, json={"degree": "none"}, headers=worker).status_code == 404
    assert client.get(f"{API}/staff/arbetsledare/competence").status_code == 404
    assert client.get(f"{API}/staff/finns-inte/competence").status_code == 404

    api_login(client, "annan", OTHER_PASSWORD)  # another unit's case worker
    assert client.get(url).status_code == 404
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        actions = conn.execute(
            select(AuditEntry.actor, AuditEntry.action).where(
                AuditEntry.entity == "staff_competence"
            )
        ).all()
    engine.dispose()
    assert ("arbetsledare", "update") in actions
    assert ("handlaggare", "read") in actions
    assert client.get(f"{API}/co-signatures").json() == []
    refused = client.post(f"{API}/co-signatures/1/confirm", headers=api_login(client, "admin"))
    assert refused.status_code == 404


def test_an_api_address_the_mount_does_not_match_answers_in_json(client: TestClient) -> None:
    # A newline in a path parameter: the API's mount does not match it, the desk's 404 would.
    api_login(client, "arbetsledare")
    found = client.get(f"{API}/staff/%0A/competence")
    assert found.status_code == 404
    assert found.headers["content-type"].startswith("application/json")
    assert found.json()["detail"] == "Adressen finns inte i API:t."
    assert client.get("/finns-inte").headers["content-type"].startswith("text/html")
