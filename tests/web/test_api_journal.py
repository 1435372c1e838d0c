"""The journal's API contract: the paths, the statuses (409 on a signed entry), the audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.journal.inputs import MSG_HTML
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.core.clock import SWEDEN
from barnskydd.core.settings import Settings
from tests.web.conftest import TestClient
from tests.web.test_api import API, caller, count, register

PURPOSE = {"purpose": "handläggning"}


def _entry(**overrides: Any) -> dict[str, Any]:
    at = dt.datetime.now(SWEDEN).replace(microsecond=0)
    body: dict[str, Any] = {
        "kind": "child_talk",
        "at": at.isoformat(),
        "minutes": 40,
        "child_alone": True,
        "participants": "Barnet",
        "text": "Syntetiskt samtal.",
    }
    body.update(overrides)
    return body


def test_add_edit_sign_correct_and_list_through_the_api(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    path = f"/cases/{number}/journal"
    added = api.post(path, _entry())
    assert added.status_code == 201, added.text
    entry = added.json()
    assert (entry["signed_at"], entry["author"], entry["corrects"]) == (None, "handlaggare", None)
    edited = client.patch(f"{API}{path}/{entry['id']}", json={"minutes": 55}, headers=api.headers)
    assert edited.status_code == 200
    assert edited.json()["minutes"] == 55
    signed = api.post(f"{path}/{entry['id']}/sign", {})
    assert signed.status_code == 200
    assert signed.json()["signed_by"] == "handlaggare"
    fixed = api.post(path, _entry(kind="other", text="Rättelse.", corrects=entry["id"]))
    assert fixed.status_code == 201
    listed = api.get(path, **PURPOSE)
    assert listed.status_code == 200
    assert [(e["id"], e["corrects"]) for e in listed.json()] == [
        (fixed.json()["id"], entry["id"]),
        (entry["id"], None),
    ]
    only = api.get(path, kind="other", **PURPOSE).json()
    assert [e["id"] for e in only] == [fixed.json()["id"]]


def test_a_signed_entry_is_409_on_patch_delete_and_sign_and_nothing_changes(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    path = f"{API}/cases/{number}/journal"
    entry_id = api.post(f"/cases/{number}/journal", _entry()).json()["id"]
    assert api.post(f"/cases/{number}/journal/{entry_id}/sign", {}).status_code == 200
    for response in (
        client.patch(f"{path}/{entry_id}", json={"text": "Ändrad."}, headers=api.headers),
        client.delete(f"{path}/{entry_id}", headers=api.headers),
        client.post(f"{path}/{entry_id}/sign", headers=api.headers),
    ):
        assert response.status_code == 409, response.text
        assert "signerad" in response.json()["detail"]
    assert count(settings, JournalEntry, JournalEntry.text == "Syntetiskt samtal.") == 1


def test_an_unsigned_entry_is_deleted_with_204(client: TestClient, settings: Settings) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    entry_id = api.post(f"/cases/{number}/journal", _entry()).json()["id"]
    deleted = client.delete(f"{API}/cases/{number}/journal/{entry_id}", headers=api.headers)
    assert deleted.status_code == 204
    assert count(settings, JournalEntry) == 0


def test_refused_input_is_422_by_field_and_writes_nothing(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    path = f"/cases/{number}/journal"
    early = (dt.datetime.now(SWEDEN) - dt.timedelta(days=3)).isoformat(timespec="seconds")
    for body, field, message in (
        (_entry(minutes=-1), "minutes", "Värdet är för litet (minst 1)."),
        (_entry(minutes=601), "minutes", "Värdet är för stort (högst 600)."),
        (_entry(minutes="40"), "minutes", "Ange ett heltal."),
        (_entry(text="<p>hej</p>"), "text", MSG_HTML),
        (_entry(at="2025-06-20T09:30"), "at", "Ange en tidpunkt med tidszon"),
        (_entry(at=early), "at", "Tidpunkten kan inte ligga före anmälan"),
    ):
        response = api.post(path, body)
        assert response.status_code == 422, body
        assert response.json()["errors"][field].startswith(message), response.json()
    assert count(settings, JournalEntry) == 0


def test_another_workers_draft_is_403_and_an_unknown_entry_404(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    entry_id = api.post(f"/cases/{number}/journal", _entry()).json()["id"]
    lead = caller(client, "arbetsledare")
    assert lead.post(f"/cases/{number}/journal/{entry_id}/sign", {}).status_code == 403
    missing = lead.post(f"/cases/{number}/journal/{entry_id + 99}/sign", {})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Journalanteckningen finns inte i ärendet."


def test_the_list_is_audited_with_its_purpose(client: TestClient, settings: Settings) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    assert api.get(f"/cases/{number}/journal", purpose="uppföljning").status_code == 200
    where = (AuditEntry.entity == "journal", AuditEntry.purpose == "uppföljning")
    assert count(settings, AuditEntry, *where) == 1
    refused = api.get(f"/cases/{number}/journal", purpose="20150916-9874")
    assert refused.status_code == 422
