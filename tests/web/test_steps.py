"""A step's input is checked once, the same way, on the desk and the API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Intervention
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from tests.web.conftest import TestClient, login
from tests.web.test_api import caller
from tests.web.test_api import register as api_register
from tests.web.test_pages import register, step

TOO_LONG = "x" * 201


def _interventions(settings: Settings) -> list[tuple[int, dt.date | None, str | None]]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Intervention.id, Intervention.ended_on, Intervention.end_reason)
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _to_interventions(client: TestClient) -> str:
    login(client, "handlaggare")
    number = register(client)
    day = today().isoformat()
    now = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    for name, fields in (
        ("assess_protection", {"assessed_at": now, "immediate_protection_needed": "nej"}),
        ("decide_preliminary", {"decided_on": day, "outcome": "investigation_opened"}),
        (
            "decide_intervention",
            {"category": "contact_person_or_family", "legal_basis": "sol", "decided_on": day},
        ),
    ):
        assert step(client, number, name, **fields).status_code == 200, name
    return number


def test_a_too_long_end_reason_is_refused_on_the_desk_never_cut(
    client: TestClient, settings: Settings
) -> None:
    number = _to_interventions(client)
    [(intervention_id, _, _)] = _interventions(settings)
    response = step(
        client,
        number,
        "end_intervention",
        intervention_id=str(intervention_id),
        ended_on=today().isoformat(),
        reason=TOO_LONG,
    )
    assert response.status_code == 422
    assert 'id="end_intervention-reason-fel"' in response.text
    assert "Högst 200 tecken." in response.text
    assert _interventions(settings) == [(intervention_id, None, None)]


def test_a_non_number_intervention_id_is_a_422_in_swedish(
    client: TestClient, settings: Settings
) -> None:
    number = _to_interventions(client)
    response = step(
        client,
        number,
        "end_intervention",
        intervention_id="abc",
        ended_on=today().isoformat(),
        reason="Klar",
    )
    assert response.status_code == 422
    assert 'id="end_intervention-intervention_id-fel"' in response.text
    assert "Välj ett av alternativen." in response.text


def test_a_too_long_end_reason_is_refused_by_the_api(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    number = api_register(api)
    day = today().isoformat()
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    api.step(number, "assess_protection", assessed_at=now, immediate_protection_needed=False)
    api.step(number, "decide_preliminary", decided_on=day, outcome="investigation_opened")
    decided = api.step(
        number,
        "decide_intervention",
        category="contact_person_or_family",
        legal_basis="sol",
        decided_on=day,
    )
    [intervention] = decided.json()["interventions"]
    response = api.step(
        number,
        "end_intervention",
        intervention_id=intervention["id"],
        ended_on=day,
        reason=TOO_LONG,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": "Högst 200 tecken."}


def test_the_api_can_extend_the_preliminary_assessment(client: TestClient) -> None:
    api = caller(client, "handlaggare")
    number = api_register(api)
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    api.step(number, "assess_protection", assessed_at=now, immediate_protection_needed=False)
    case = api.get(f"/cases/{number}", purpose="kontroll").json()
    [due] = [d["due"] for d in case["deadlines"] if d["step"] == "preliminary_assessment"]
    later = (dt.date.fromisoformat(due) + dt.timedelta(days=7)).isoformat()
    response = api.step(
        number,
        "extend_preliminary",
        decided_on=today().isoformat(),
        new_due=later,
        reason="Synnerliga skäl: inväntar polisens förhör.",
    )
    assert response.status_code == 200, response.text
    [moved] = [
        d["due"] for d in response.json()["deadlines"] if d["step"] == "preliminary_assessment"
    ]
    assert moved == later


def test_a_refused_step_keeps_the_audited_read_of_the_case_it_shows(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    before = _case_reads(settings)
    refused = step(client, number, "assess_protection", assessed_at="igår")
    assert refused.status_code == 422
    assert _case_reads(settings) == before + 2  # the token's page view, then the refused POST


def _case_reads(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "read", AuditEntry.entity == "case")
        )
    engine.dispose()
    return total or 0
