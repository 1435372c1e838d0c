"""The plan and the communications on the case page: saved, refused next to the field, and
a decision refused while a communication waits, with the paragraph named."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

from sqlalchemy import select

from barnskydd.cases.communication.models import Communication
from barnskydd.cases.models import Case
from barnskydd.cases.plan.models import PlanItem
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import count, register, report_form, step


def _investigated(client: TestClient) -> str:
    number = register(client)
    now = dt.datetime.now(SWEDEN)
    assert (
        step(
            client,
            number,
            "assess_protection",
            assessed_at=now.strftime("%Y-%m-%dT%H:%M"),
            immediate_protection_needed="nej",
        ).status_code
        == 200
    )
    assert (
        step(
            client,
            number,
            "decide_preliminary",
            decided_on=now.date().isoformat(),
            outcome="investigation_opened",
        ).status_code
        == 200
    )
    return number


def _plan_items(settings: Settings) -> list[tuple[Any, ...]]:
    """The plan's items as (id, text, child_alone, planned_on), read past the app."""
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(PlanItem.id, PlanItem.text, PlanItem.child_alone, PlanItem.planned_on)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _post(client: TestClient, number: str, path: str, **fields: str) -> Any:
    data = {"csrf_token": token(client, f"/arenden/{number}"), **fields}
    return client.post(f"/arenden/{number}/{path}", data=data)


def test_a_plan_item_is_saved_and_a_refusal_is_shown_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = _investigated(client)
    page = client.get(f"/arenden/{number}")
    assert "Utredningsplan" in page.text
    assert "ska vara klar senast" in page.text
    today = dt.datetime.now(SWEDEN).date()
    saved = _post(
        client,
        number,
        "utredningsplan",
        kind="child_talk",
        text="Samtal med barnet i skolan.",
        planned_on=(today + dt.timedelta(days=7)).isoformat(),
        child_alone="ja",
    )
    assert saved.status_code == 200
    assert "Utredningsplanen: punkten sparad." in saved.text
    assert "Samtal med barnet i skolan." in saved.text
    refused = _post(
        client, number, "utredningsplan", kind="contact", text="Mormor.", party="private"
    )
    assert refused.status_code == 422
    assert 'id="plan-consent-fel"' in refused.text
    assert "samtyckt" in unescape(refused.text)
    html = _post(client, number, "utredningsplan", kind="question", text="<b>Varför?</b>")
    assert html.status_code == 422
    assert 'id="plan-text-fel"' in html.text
    assert count(settings, PlanItem) == 1


def test_a_decision_waits_for_a_communication_on_the_desk(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = _investigated(client)
    today = dt.datetime.now(SWEDEN).date()
    early = _post(
        client,
        number,
        "kommunicering",
        recipient_kind="guardian",
        recipient="Maria Lind",
        material="Utredningen.",
        sent_on="2000-01-01",
        answer_by=(today + dt.timedelta(days=14)).isoformat(),
    )
    assert early.status_code == 422
    assert 'id="komm-sent_on-fel"' in early.text
    assert count(settings, Communication) == 0
    sent = _post(
        client,
        number,
        "kommunicering",
        recipient_kind="guardian",
        recipient="Maria Lind",
        material="Utredningen.",
        sent_on=today.isoformat(),
        answer_by=(today + dt.timedelta(days=14)).isoformat(),
    )
    assert sent.status_code == 200
    assert "Väntar på svar" in sent.text
    decided = step(
        client,
        number,
        "decide_intervention",
        category="open_care",
        legal_basis="sol",
        decided_on=today.isoformat(),
    )
    assert decided.status_code == 422
    assert "förvaltningslagen (2017:900) 25 §" in unescape(decided.text)
    assert 'id="decide_intervention-decided_on-fel"' in decided.text


def test_the_report_form_opens_a_case_per_sibling_or_none_with_errors_by_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    bad = report_form(
        client,
        sibling_a_identity=OTHER_CHILD_PNR,
        sibling_a_first_name="Elis",
        sibling_b_identity="20140305-9800",  # wrong check digit
        sibling_b_first_name="Nils",
        sibling_b_last_name="Lind",
        sibling_c_identity=CHILD_PNR,  # the child again
        sibling_c_first_name="Saga",
        sibling_c_last_name="Lind",
    )
    refused = client.post("/anmalan/ny", data=bad)
    assert refused.status_code == 422
    for field in ("sibling_a_last_name", "sibling_b_identity", "sibling_c_identity"):
        assert f'id="{field}-fel"' in refused.text, field
    assert 'id="sibling_a_identity-fel"' not in refused.text
    assert count(settings, Case) == 0
    good = report_form(
        client,
        sibling_a_identity=OTHER_CHILD_PNR,
        sibling_a_first_name="Elis",
        sibling_a_last_name="Lind",
    )
    registered = client.post("/anmalan/ny", data=good)
    assert registered.status_code == 200
    assert count(settings, Case) == 2
    assert "Syskon i samma anmälan" in registered.text


def test_the_siblings_are_kept_in_the_report_forms_draft(client: TestClient) -> None:
    login(client, "handlaggare")
    headers = {"X-CSRF-Token": token(client, "/"), "HX-Request": "true"}
    saved = client.post(
        "/anmalan/ny/utkast", data={"sibling_a_first_name": "Elis"}, headers=headers
    )
    assert saved.status_code == 200
    assert "Utkast sparat" in saved.text
    page = client.get("/anmalan/ny").text
    assert 'id="sibling_a_first_name" name="sibling_a_first_name" value="Elis"' in page


def test_a_communication_to_a_child_under_15_is_refused_next_to_the_recipient(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = _investigated(client)  # the child of tests.factories.CHILD_PNR is under 15
    today = dt.datetime.now(SWEDEN).date()
    fields = {
        "recipient_kind": "child",
        "recipient": "Saga Lind",
        "material": "Utredningen.",
        "sent_on": today.isoformat(),
        "answer_by": (today + dt.timedelta(days=14)).isoformat(),
    }
    refused = _post(client, number, "kommunicering", **fields)
    assert refused.status_code == 422
    assert 'id="komm-recipient_kind-fel"' in refused.text
    assert "3 kap. 4 § socialtjänstlagen (2025:400)" in unescape(refused.text)
    api = client.post(
        f"/api/v1/cases/{number}/communications",
        json=fields,
        headers={"X-CSRF-Token": token(client, f"/arenden/{number}")},
    )
    assert api.status_code == 422, api.text
    assert count(settings, Communication) == 0


def test_a_plan_item_is_changed_on_the_desk_or_refused_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = _investigated(client)
    today = dt.datetime.now(SWEDEN).date()
    talk = {
        "kind": "child_talk",
        "text": "Samtal med barnet i skolan.",
        "planned_on": (today + dt.timedelta(days=7)).isoformat(),
        "child_alone": "ja",
    }
    assert _post(client, number, "utredningsplan", **talk).status_code == 200
    [(item_id, *_)] = _plan_items(settings)
    page = client.get(f"/arenden/{number}").text
    assert f'id="plan-{item_id}-andra"' in page
    early = _post(
        client,
        number,
        f"utredningsplan/{item_id}",
        text="Samtal hemma.",
        planned_on="2000-01-01",
        child_alone="nej",
    )
    assert early.status_code == 422
    assert f'id="plan-{item_id}-planned_on-fel"' in early.text
    assert f'href="#plan-{item_id}-planned_on"' in early.text
    empty = _post(client, number, f"utredningsplan/{item_id}", text=" ", child_alone="nej")
    assert empty.status_code == 422
    assert f'id="plan-{item_id}-text-fel"' in empty.text
    assert _plan_items(settings) == [(item_id, talk["text"], True, today + dt.timedelta(days=7))]
    changed = _post(
        client,
        number,
        f"utredningsplan/{item_id}",
        text="Samtal med barnet hemma.",
        planned_on=(today + dt.timedelta(days=8)).isoformat(),
        child_alone="nej",
    )
    assert changed.status_code == 200
    assert "Utredningsplanen: punkten ändrad." in changed.text
    assert _plan_items(settings) == [
        (item_id, "Samtal med barnet hemma.", False, today + dt.timedelta(days=8))
    ]
