"""The desk's way to a case at its follow-up, for the voice tests."""

from __future__ import annotations

import datetime as dt

from barnskydd.core.clock import SWEDEN
from tests.web.conftest import TestClient
from tests.web.test_pages import register, step


def case_at_follow_up(client: TestClient) -> str:
    """Register a report through the forms and take it to a running intervention."""
    number = register(client)
    today = dt.date.today().isoformat()
    now = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    for name, fields in (
        ("assess_protection", {"assessed_at": now, "immediate_protection_needed": "nej"}),
        ("decide_preliminary", {"decided_on": today, "outcome": "investigation_opened"}),
        (
            "decide_intervention",
            {"category": "open_care", "legal_basis": "sol", "decided_on": today},
        ),
        ("complete_investigation", {"completed_on": today, "outcome": "interventions"}),
    ):
        response = step(client, number, name, **fields)
        assert response.status_code == 200, response.text
    return number
