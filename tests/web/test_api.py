"""The JSON API: the chain end to end, refused input, roles, the session and the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case, PreliminaryAssessment
from barnskydd.core import messages
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine
from barnskydd.core.errors import CaseNotFound
from barnskydd.core.settings import Settings
from barnskydd.people.models import Child
from barnskydd.people.rules import MSG_CHECK_DIGIT
from barnskydd.web import security
from barnskydd.web.api import errors
from barnskydd.web.auth import BAD_LOGIN, LOCKED
from barnskydd.web.security import CSRF_HEADER
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token

API = "/api/v1"
HANDLAGGARE_ID = 1  # the seeded staff, in the order tests/web/conftest.py creates them
ANNAN_ID = 5


def api_login(client: TestClient, username: str, password: str = "demo") -> dict[str, str]:  # noqa: S107  (the demo password)
    """Log in through the API and return the CSRF header for unsafe requests."""
    response = client.post(f"{API}/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {CSRF_HEADER: response.json()["csrf_token"]}


def report_body(**overrides: Any) -> dict[str, Any]:
    """Return a valid report for the Centrum unit, received a minute ago."""
    received = dt.datetime.now(SWEDEN) - dt.timedelta(minutes=1)
    body: dict[str, Any] = {
        "child_identity": "20150916-9874",
        "child_first_name": "Saga",
        "child_last_name": "Lind",
        "received_at": received.isoformat(timespec="seconds"),
        "channel": "phone",
        "reporter_category": "school",
        "mandatory_reporter": True,
        "reporter_organisation": "Testskolan",
        "concerns": ["neglect", "school_absence"],
        "free_text": "Syntetisk anmälan för test.",
        "unit_id": 1,
        "assigned_to_id": HANDLAGGARE_ID,
    }
    body.update(overrides)
    return body


@dataclass(frozen=True)
class Caller:
    """A logged-in API client: its requests carry the session cookie and the CSRF header."""

    client: TestClient
    headers: dict[str, str]

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST JSON to an API path."""
        return self.client.post(API + path, json=body, headers=self.headers)

    def step(self, number: str, name: str, **body: Any) -> httpx.Response:
        """Take one step of the chain."""
        return self.post(f"/cases/{number}/steps/{name}", body)

    def get(self, path: str, **params: str) -> httpx.Response:
        """GET an API path."""
        return self.client.get(API + path, params=params)


def caller(client: TestClient, username: str, password: str = "demo") -> Caller:  # noqa: S107  (the demo password)
    """Log in through the API and return the caller."""
    return Caller(client, api_login(client, username, password))


def count(settings: Settings, model: type[Any], *where: Any) -> int:
    """Count the rows of a table (optionally filtered) in the app's database."""
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(model).where(*where))
    engine.dispose()
    return total or 0


def register(api: Caller, **overrides: Any) -> str:
    """Register a report through the API and return its case number."""
    response = api.post("/reports", report_body(**overrides))
    assert response.status_code == 201, response.text
    return str(response.json()["case_number"])


def test_the_whole_chain_through_the_api(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    created = api.post("/reports", report_body())
    assert created.status_code == 201
    number = created.json()["case_number"]
    assert created.headers["location"].endswith(f"{API}/cases/{number}")
    deadlines = created.json()["deadlines"]
    assert [d["step"] for d in deadlines] == ["protection_assessment", "preliminary_assessment"]
    [item] = api.get("/inbox").json()
    assert (item["case_number"], item["step"]) == (number, "Skyddsbedömning")
    assert item["days_left"] == (dt.date.fromisoformat(item["due"]) - today()).days
    assert item["reference"] == deadlines[0]["reference"]
    assert "socialtjänstlagen" in item["reference"]

    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    day = today().isoformat()
    taken = api.step(
        number, "assess_protection", assessed_at=now, immediate_protection_needed=False
    )
    assert taken.json()["status"] == "preliminary_assessment"
    opened = api.step(number, "decide_preliminary", decided_on=day, outcome="investigation_opened")
    assert opened.json()["status"] == "investigation"
    # The mandatory reporter is now owed feedback within a week (19 kap. 6 § SoL 2025:400).
    items = {i["rule"]: i for i in api.get("/inbox").json()}
    assert set(items) == {"investigation", "feedback"}
    assert items["feedback"]["reference"].startswith("19 kap. 6 §")
    item = items["investigation"]
    assert item["step"] == "Utredning"
    assert item["reference"] == opened.json()["deadlines"][2]["reference"]
    bbic = api.step(number, "record_bbic", side="child_development", area="health", text="Text.")
    assert bbic.status_code == 200
    new_due = (dt.date.fromisoformat(item["due"]) + dt.timedelta(days=30)).isoformat()
    extended = api.step(
        number, "extend_investigation", decided_on=day, new_due=new_due, reason="Särskilda skäl"
    )
    assert extended.json()["extensions"] == 1
    assert extended.json()["deadlines"][2]["due"] == new_due
    decided = api.step(
        number, "decide_intervention", category="open_care", legal_basis="sol", decided_on=day
    )
    [intervention] = decided.json()["interventions"]
    completed = api.step(
        number, "complete_investigation", completed_on=day, outcome="interventions"
    )
    assert completed.json()["status"] == "interventions"
    assert api.step(
        number, "follow_up", followed_up_on=day, voice_status="declined_by_child"
    ).json()["follow_ups"] == [day]
    ended = api.step(
        number, "end_intervention", intervention_id=intervention["id"], ended_on=day, reason="Klart"
    )
    assert ended.json()["interventions"][0]["ended_on"] == day
    closed = api.step(number, "close", closed_on=day)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert [i["rule"] for i in api.get("/inbox").json()] == ["feedback"]


def test_invalid_personnummer_is_refused_on_its_field_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    response = api.post("/reports", report_body(child_identity="20150916-9875"))
    assert response.status_code == 422
    assert response.json()["errors"] == {"child_identity": MSG_CHECK_DIGIT}
    assert count(settings, Case) == 0
    assert count(settings, Child) == 0


WRONG_SHAPES: list[tuple[dict[str, Any], str, str]] = [
    ({"received_at": "2025-02-30T10:00:00+01:00"}, "received_at", "finns inte"),
    ({"received_at": "2025-06-19T10:00:00"}, "received_at", "tidszon"),
    ({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at", "mellan år"),
    ({"unit_id": "1"}, "unit_id", "Ange ett heltal."),
    ({"unit_id": 2**40}, "unit_id", "för stort"),
    ({"mandatory_reporter": "ja"}, "mandatory_reporter", "Ange true eller false."),
    ({"concerns": []}, "concerns", "Välj minst ett alternativ."),
    ({"concerns": ["tristess"]}, "concerns.0", "Välj ett av"),
    ({"child_first_name": "Sa\x00ga"}, "child_first_name", "nolltecken"),
    ({"shoe_size": 38}, "shoe_size", "Fältet finns inte här."),
]


def test_report_input_of_the_wrong_shape_is_422_per_field(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    for overrides, field, message in WRONG_SHAPES:
        response = api.post("/reports", report_body(**overrides))
        assert response.status_code == 422, overrides
        assert message in response.json()["errors"][field], overrides
    assert count(settings, Case) == 0


def test_a_model_rule_and_broken_json_are_422_with_a_message(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    anonymous = report_body(reporter_category="anonymous", reporter_organisation=None)
    response = api.post("/reports", anonymous)
    assert response.status_code == 422
    assert response.json()["detail"] == "En anmälningsskyldig anmälare kan inte vara anonym."
    broken = client.post(
        f"{API}/reports",
        content=b'{"child_identity": ',
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    assert broken.json()["detail"] == "Innehållet är inte giltig JSON."


def test_step_dates_are_checked_in_swedish_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    api.step(number, "assess_protection", assessed_at=now, immediate_protection_needed=True)
    impossible = api.step(
        number, "decide_preliminary", decided_on="2025-02-30", outcome="not_opened"
    )
    assert impossible.status_code == 422
    assert "kalendern" in impossible.json()["errors"]["decided_on"]
    future = (today() + dt.timedelta(days=3)).isoformat()
    refused = api.step(number, "decide_preliminary", decided_on=future, outcome="not_opened")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"decided_on": "Beslutsdatum kan inte ligga i framtiden."}
    unknown = api.step(
        number,
        "decide_preliminary",
        decided_on=today().isoformat(),
        outcome="transferred",
        transferred_to="9999",
    )
    assert unknown.status_code == 422
    assert "Okänd kommunkod" in unknown.json()["errors"]["transferred_to"]
    assert count(settings, PreliminaryAssessment) == 0


def test_a_step_the_table_does_not_allow_is_409_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    reads = count(settings, AuditEntry, AuditEntry.action == "read")
    others = count(settings, AuditEntry, AuditEntry.action != "read")
    day = today().isoformat()
    response = api.step(number, "decide_preliminary", decided_on=day, outcome="not_opened")
    assert response.status_code == 409
    assert "Det går inte att besluta efter förhandsbedömning" in response.json()["detail"]
    assert api.step(number, "close", closed_on=day).status_code == 409
    assert count(settings, PreliminaryAssessment) == 0
    # Nothing of the steps is kept; each refused request keeps its audited read of the case.
    assert count(settings, AuditEntry, AuditEntry.action != "read") == others
    assert count(settings, AuditEntry, AuditEntry.action == "read") == reads + 2
    case = api.get(f"/cases/{number}", purpose="kontroll").json()
    assert case["status"] == "awaiting_protection_assessment"


def test_unknown_and_malformed_case_numbers(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    unknown = api.get("/cases/BU-1999-999999", purpose="handläggning")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": CaseNotFound.MESSAGE, "errors": {}}
    malformed = api.get("/cases/1%20OR%201", purpose="handläggning")
    assert malformed.status_code == 422
    assert malformed.json()["errors"] == {"case_number": messages.FORMATS["case_number"]}


def test_reading_a_case_needs_a_purpose_and_is_audited_with_it(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    missing = api.get(f"/cases/{number}")
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"purpose": "Fältet måste fyllas i."}
    purpose = "samverkansmöte med skolan"
    case = api.get(f"/cases/{number}", purpose=purpose)
    assert case.status_code == 200
    assert case.json()["child_identity"] == "20150916-9874"
    read = (AuditEntry.action == "read", AuditEntry.entity == "case", AuditEntry.purpose == purpose)
    assert count(settings, AuditEntry, *read, AuditEntry.actor == "handlaggare") == 1


def test_roles_and_units_are_refused(client: TestClient, settings: Settings) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    reassign = f"/cases/{number}/reassign"
    assert api.post(reassign, {"staff_id": 2}).status_code == 403

    analyst = caller(client, "analytiker")
    assert analyst.get("/inbox").status_code == 403
    read = analyst.get(f"/cases/{number}", purpose="statistik")
    assert read.status_code == 403
    assert "Saga" not in read.text
    assert analyst.post("/reports", report_body()).status_code == 403

    other = caller(client, "annan", OTHER_PASSWORD)
    assert other.get(f"/cases/{number}", purpose="nyfiken").status_code == 404
    assert other.step(number, "close", closed_on="2025-01-01").status_code == 404
    assert other.post("/reports", report_body()).status_code == 403
    assert count(settings, Case) == 1

    lead = caller(client, "arbetsledare")
    wrong_unit = lead.post(reassign, {"staff_id": ANNAN_ID})
    assert wrong_unit.status_code == 422
    assert wrong_unit.json()["errors"] == {"staff_id": "Handläggaren finns inte i ärendets enhet."}
    moved = lead.post(reassign, {"staff_id": 2})
    assert moved.json() == {"case_number": number, "assigned_to_id": 2}
    assert count(settings, AuditEntry, AuditEntry.purpose == "omfördelning") == 1


def _operations(client: TestClient) -> list[tuple[str, str]]:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    return [
        (method.upper(), API + path.replace("{case_number}", "BU-2025-000001"))
        for path, methods in paths.items()
        for method in methods
    ]


def test_every_route_but_login_needs_a_session_and_every_change_the_csrf_header(
    client: TestClient,
) -> None:
    login_route = ("POST", f"{API}/session")
    for method, url in _operations(client):
        if (method, url) != login_route:
            response = client.request(method, url, json={})
            assert response.status_code == 401, (method, url)
            assert response.json()["detail"] == errors.NOT_LOGGED_IN
    caller(client, "handlaggare")
    for method, url in _operations(client):
        if method != "GET" and (method, url) != login_route:
            assert client.request(method, url, json={}).status_code == 403, (method, url)
            forged = client.request(method, url, json={}, headers={CSRF_HEADER: "forged"})
            assert forged.status_code == 403, (method, url)


def test_api_login_shares_the_desks_lock_out(client: TestClient) -> None:
    for _ in range(security.MAX_FAILURES):
        failed = client.post(f"{API}/session", json={"username": "handlaggare", "password": "x"})
        assert failed.status_code == 401
        assert failed.json()["detail"] == BAD_LOGIN
    locked = client.post(f"{API}/session", json={"username": "handlaggare", "password": "demo"})
    assert locked.status_code == 429
    assert locked.json()["detail"] == LOCKED
    web = client.post(
        "/logga-in",
        data={"username": "handlaggare", "password": "demo", "csrf_token": token(client)},
    )
    assert web.status_code == 429


def test_the_desks_login_works_for_the_api_and_logout_ends_it(client: TestClient) -> None:
    login(client, "arbetsledare")
    me = client.get(f"{API}/session").json()
    assert (me["username"], me["role"], me["unit_id"]) == ("arbetsledare", "team_lead", 1)
    api = Caller(client, {CSRF_HEADER: me["csrf_token"]})
    assert api.post("/reports", report_body()).status_code == 201
    assert client.delete(f"{API}/session", headers=api.headers).status_code == 204
    assert api.get("/inbox").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_openapi_document_covers_the_api_alone(client: TestClient) -> None:
    document = client.get(f"{API}/openapi.json").json()
    assert document["servers"] == [{"url": API}]
    assert set(document["paths"]) >= {
        "/session",
        "/inbox",
        "/reports",
        "/cases/{case_number}",
        "/cases/{case_number}/reassign",
        "/cases/{case_number}/steps/close",
    }
    assert not any(p.startswith(("/logga", "/arenden", "/anmalan")) for p in document["paths"])
    schemas = document["components"]["schemas"]
    assert {"CaseRead", "ErrorRead", "ReportIn", "InboxItem"} <= set(schemas)
    read = document["paths"]["/cases/{case_number}"]["get"]["responses"]
    assert read["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CaseRead")
    assert read["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorRead")
    assert client.get("/openapi.json").status_code == 404
