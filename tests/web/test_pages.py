"""The desk through its forms: inbox, registering a report, the case page and role checks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.people.models import Child
from barnskydd.people.rules import MSG_CHECK_DIGIT, parse_identity
from tests.factories import CHILD_PNR
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token

CASE_NUMBER = re.compile(r"BU-\d{4}-\d{6}")


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(SWEDEN).strftime("%Y-%m-%dT%H:%M")


def report_form(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """Return a filled-in report form for the Centrum unit, received an hour ago."""
    received = dt.datetime.now(SWEDEN) - dt.timedelta(hours=1)
    form: dict[str, Any] = {
        "csrf_token": token(client, "/anmalan/ny"),
        "child_identity": CHILD_PNR,
        "child_first_name": "Saga",
        "child_last_name": "Lind",
        "protected_identity": "none",
        "received_at": _local(received),
        "channel": "phone",
        "reporter_category": "school",
        "mandatory_reporter": "ja",
        "reporter_organisation": "Testskolan",
        "concerns": ["neglect", "school_absence"],
        "free_text": "Syntetisk anmälan för test.",
        "unit_id": "1",
        "assigned_to_id": "1",
    }
    form.update(overrides)
    return form


def register(client: TestClient, **overrides: Any) -> str:
    """Register a report through the form and return its case number."""
    response = client.post("/anmalan/ny", data=report_form(client, **overrides))
    assert response.status_code == 200, response.text
    match = CASE_NUMBER.search(str(response.url))
    assert match, response.url
    return match.group(0)


def step(client: TestClient, number: str, name: str, **fields: str) -> Any:
    """Post one step's form on the case page."""
    data = {"csrf_token": token(client, f"/arenden/{number}"), **fields}
    return client.post(f"/arenden/{number}/steg/{name}", data=data)


def count(settings: Settings, model: type[Any]) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return total or 0


def test_registered_report_asks_for_the_protection_assessment_at_once(client: TestClient) -> None:
    login(client, "handlaggare")
    page = client.post("/anmalan/ny", data=report_form(client)).text
    number = CASE_NUMBER.search(page)
    assert number
    assert f"Anmälan är registrerad som {number.group(0)}. Gör skyddsbedömningen nu." in page
    assert f'action="/arenden/{number.group(0)}/steg/assess_protection"' in page
    assert "Saga Lind" in page


def test_bad_personnummer_is_shown_next_to_the_field_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    response = client.post(
        "/anmalan/ny", data=report_form(client, child_identity="20150916-9875", concerns=[])
    )
    assert response.status_code == 422
    assert f'<p class="error" id="child_identity-fel">{MSG_CHECK_DIGIT}</p>' in response.text
    assert 'aria-describedby="child_identity-fel child_identity-kontroll"' in response.text
    assert '<p class="error" id="concerns-fel">Välj minst ett alternativ.</p>' in response.text
    assert 'value="Saga"' in response.text
    assert 'value="20150916-9875"' in response.text
    assert count(settings, Case) == 0
    assert count(settings, Child) == 0


def test_the_identity_number_is_checked_when_the_field_is_left(
    client: TestClient, settings: Settings
) -> None:
    """The htmx fragment: what goes next to the field, its error or what the number says."""
    login(client, "handlaggare")
    headers = {"X-CSRF-Token": token(client, "/anmalan/ny"), "HX-Request": "true"}
    form_page = client.get("/anmalan/ny").text
    assert 'hx-post="/anmalan/kontrollera-id"' in form_page
    assert 'aria-describedby="child_identity-kontroll"' in form_page
    audited = count(settings, AuditEntry)

    bad = client.post(
        "/anmalan/kontrollera-id", data={"child_identity": "20150916-9875"}, headers=headers
    )
    assert bad.status_code == 200
    assert bad.text.strip() == (
        f'<div id="child_identity-kontroll" aria-live="polite"><p class="error">'
        f"{MSG_CHECK_DIGIT}</p></div>"
    )
    good = client.post(
        "/anmalan/kontrollera-id", data={"child_identity": CHILD_PNR}, headers=headers
    )
    born = parse_identity(CHILD_PNR).birth_date.isoformat()
    assert f'<p class="hint">Personnummer: pojke, född {born}.</p>' in good.text
    assert "error" not in good.text
    assert count(settings, AuditEntry) == audited  # checked, not looked up: nothing read

    refused = client.post("/anmalan/kontrollera-id", data={"child_identity": CHILD_PNR})
    assert refused.status_code == 403  # no CSRF token


def test_anonymous_mandatory_reporter_is_refused_in_swedish(client: TestClient) -> None:
    login(client, "handlaggare")
    response = client.post(
        "/anmalan/ny",
        data=report_form(client, reporter_category="anonymous", reporter_organisation=""),
    )
    assert response.status_code == 422
    assert "En anmälningsskyldig anmälare kan inte vara anonym." in response.text


def test_inbox_lists_the_most_urgent_first_and_marks_overdue(client: TestClient) -> None:
    login(client, "handlaggare")
    fresh = register(client)
    old = register(
        client,
        child_identity="20120512-9271",
        child_first_name="Elis",
        received_at=_local(dt.datetime.now(SWEDEN) - dt.timedelta(days=30)),
    )
    page = client.get("/").text
    assert page.index(old) < page.index(fresh)
    assert "Försenad" in page
    assert "30 dagar försenad" in page


def test_the_chain_through_the_forms(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client, feedback_requested="ja")
    today = dt.date.today().isoformat()
    assert (
        step(
            client,
            number,
            "assess_protection",
            assessed_at=_local(dt.datetime.now(SWEDEN)),
            immediate_protection_needed="nej",
        ).status_code
        == 200
    )
    page = step(
        client, number, "decide_preliminary", decided_on=today, outcome="investigation_opened"
    ).text
    assert "Utredning inleddes" in page
    assert "11 kap. 2 §" in page or "kap." in page
    page = step(
        client,
        number,
        "decide_intervention",
        category="open_care",
        legal_basis="sol",
        decided_on=today,
    ).text
    assert "Öppenvård (SoL)" in page
    page = step(
        client, number, "complete_investigation", completed_on=today, outcome="interventions"
    ).text
    assert "Utredningen avslutades" in page
    page = step(
        client, number, "follow_up", followed_up_on=today, voice_status="declined_by_child"
    ).text
    intervention = re.search(r'<option value="(\d+)">Öppenvård från', page)
    assert intervention
    step(
        client,
        number,
        "end_intervention",
        intervention_id=intervention.group(1),
        ended_on=today,
        reason="Målen uppnådda",
    )
    page = step(client, number, "close", closed_on=today).text
    assert "Ärendet är avslutat. Inga fler steg." in page
    # Closed, the case is still owed one thing: feedback to its mandatory reporter.
    rows = [row for row in client.get("/").text.split("<tr") if number in row]
    assert len(rows) == 1
    assert "Återkoppling till anmälaren" in rows[0]
    assert "19 kap. 6 § andra stycket" in rows[0]


def test_step_error_is_shown_next_to_its_field_and_the_status_stays(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    response = step(
        client, number, "assess_protection", assessed_at="igår", immediate_protection_needed=""
    )
    assert response.status_code == 422
    assert 'id="assess_protection-assessed_at-fel"' in response.text
    assert "Ange en giltig tidpunkt" in response.text
    assert (
        'action="/arenden/' + number + '/steg/assess_protection"'
        in client.get(f"/arenden/{number}").text
    )


def test_a_step_the_table_does_not_allow_is_refused_in_swedish(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    response = step(client, number, "close", closed_on=dt.date.today().isoformat())
    assert response.status_code == 422
    assert "Det går inte att avsluta ärendet" in response.text


def test_analyst_sees_counts_and_no_personal_data(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "analytiker")
    overview = client.get("/")
    assert "<h1>Översikt</h1>" in overview.text
    assert number not in overview.text
    assert client.get("/anmalan/ny").status_code == 403
    denied = client.get(f"/arenden/{number}")
    assert denied.status_code == 403
    assert "Saga" not in denied.text


def test_case_worker_of_another_unit_is_refused(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "annan", OTHER_PASSWORD)
    assert number not in client.get("/?alla=1").text
    # Another unit's case answers as if it did not exist, so numbers cannot be probed.
    assert client.get(f"/arenden/{number}").status_code == 404
    assert step(client, number, "close", closed_on="2025-01-01").status_code == 404


def test_case_worker_cannot_register_in_another_unit(
    client: TestClient, settings: Settings
) -> None:
    login(client, "annan", OTHER_PASSWORD)
    response = client.post("/anmalan/ny", data=report_form(client, unit_id="1", assigned_to_id=""))
    assert response.status_code == 403
    assert count(settings, Case) == 0


def test_unknown_case_is_a_404_page(client: TestClient) -> None:
    login(client, "handlaggare")
    response = client.get("/arenden/BU-1999-999999")
    assert response.status_code == 404
    assert "Hittades inte" in response.text


def test_team_lead_and_admin_see_the_units_cases(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    for username in ("arbetsledare", "admin"):
        client.post("/logga-ut", data={"csrf_token": token(client, "/")})
        login(client, username)
        assert number in client.get("/").text
        assert client.get(f"/arenden/{number}").status_code == 200


def test_garbage_ids_and_control_characters_are_refused_without_a_server_error(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    huge_unit = client.post("/anmalan/ny", data=report_form(client, unit_id="99999999999999999999"))
    assert huge_unit.status_code == 422
    nul = client.post("/anmalan/ny", data=report_form(client, free_text="text\x00mer"))
    assert nul.status_code == 422
    assert "otillåtet tecken" in nul.text
    assert count(settings, Case) == 0
    assert count(settings, Child) == 0


def test_an_unknown_municipality_code_on_transfer_is_shown_next_to_the_field(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    number = register(client)
    assessed = step(
        client,
        number,
        "assess_protection",
        assessed_at=_local(dt.datetime.now(SWEDEN)),
        immediate_protection_needed="nej",
    )
    assert assessed.status_code == 200
    response = step(
        client,
        number,
        "decide_preliminary",
        decided_on=dt.date.today().isoformat(),
        outcome="transferred",
        transferred_to="9999",
    )
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="([^"]*transferred_to-fel)">([^<]*)</p>', response.text)
    assert error is not None
    assert "Okänd kommunkod" in error.group(2)


def test_a_refused_step_keeps_the_audited_read_and_writes_no_step(
    client: TestClient, settings: Settings
) -> None:
    from barnskydd.audit.models import AuditEntry
    from barnskydd.cases.models import ProtectionAssessment

    login(client, "handlaggare")
    number = register(client)
    csrf = token(client, f"/arenden/{number}")  # this GET is an audited read of its own
    reads_before = _audit_reads(settings, AuditEntry)
    response = client.post(
        f"/arenden/{number}/steg/assess_protection",
        data={"csrf_token": csrf, "assessed_at": "igår"},
    )
    assert response.status_code == 422
    assert count(settings, ProtectionAssessment) == 0
    assert _audit_reads(settings, AuditEntry) > reads_before


def _audit_reads(settings: Settings, model: type[Any]) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(model).where(model.action == "read"))
    engine.dispose()
    return total or 0
