"""The register extract's API: request, read (audited), review, PDF; refused for case workers."""

from __future__ import annotations

from barnskydd.audit.models import AuditEntry
from barnskydd.core.settings import Settings
from tests.factories import CHILD_PNR
from tests.web.conftest import TestClient
from tests.web.test_api import API, caller, count, register

PURPOSE = {"purpose": "registerutdrag"}


def test_request_review_and_pdf_through_the_api(client: TestClient, settings: Settings) -> None:
    number = register(caller(client, "handlaggare"))
    api = caller(client, "arbetsledare")
    created = api.post("/extracts", {"identity": CHILD_PNR, "received_on": "2025-06-19"})
    assert created.status_code == 201, created.text
    request = created.json()
    assert (request["due"], request["overdue"]) == ("2025-07-21", True)  # 19 July: a Saturday
    [listed] = api.get("/extracts").json()
    assert listed["id"] == request["id"]
    path = f"/extracts/{request['id']}"
    read = api.get(path, **PURPOSE)
    assert read.status_code == 200
    extract = read.json()
    assert extract["identity"] == CHILD_PNR
    assert number in read.text
    assert extract["undecided"] > 0
    assert api.get(f"{path}/pdf", **PURPOSE).status_code == 422
    decisions = {
        i["key"]: (i["withheld"] or {}).get("ground")
        for i in extract["items"]
        if i["kind"] != "audit_entry"
    }
    reviewed = client.put(
        f"{API}{path}/decisions", params=PURPOSE, json={"decisions": decisions}, headers=api.headers
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["undecided"] == 0
    pdf = api.get(f"{path}/pdf", **PURPOSE)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert api.get("/extracts").json() == []
    reads = count(settings, AuditEntry, AuditEntry.entity == "person_extract")
    assert reads > 0


def test_a_case_worker_is_refused_with_403_and_the_refusal_audited(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    assert api.get("/extracts").status_code == 403
    refused = api.post("/extracts", {"identity": CHILD_PNR, "received_on": "2025-06-19"})
    assert refused.status_code == 403
    where = (AuditEntry.action == "refused", AuditEntry.entity == "person_extract")
    assert count(settings, AuditEntry, *where) == 2
