"""Sök through the form: purpose required, screened-out reports found, audited without identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases import search
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.people.rules import MSG_CHECK_DIGIT
from tests.factories import CHILD_PNR
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token
from tests.web.test_pages import count, register, step


def _search(client: TestClient, **fields: str) -> Any:
    data = {"csrf_token": token(client, "/sok"), "purpose": "new_report", **fields}
    return client.post("/sok", data=data)


def _purposes(settings: Settings) -> list[tuple[str, str | None]]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.entity, AuditEntry.purpose).where(AuditEntry.action == "search")
        )
        found = [(entity, purpose) for entity, purpose in rows]
    engine.dispose()
    return found


def _screen_out(client: TestClient, number: str) -> None:
    now = dt.datetime.now(SWEDEN)
    step(
        client,
        number,
        "assess_protection",
        assessed_at=now.strftime("%Y-%m-%dT%H:%M"),
        immediate_protection_needed="nej",
    )
    page = step(
        client,
        number,
        "decide_preliminary",
        decided_on=now.date().isoformat(),
        outcome="not_opened",
    )
    assert "Ärendet är avslutat" in page.text


def test_the_search_page_asks_for_a_query_and_a_purpose(client: TestClient) -> None:
    login(client, "handlaggare")
    page = client.get("/sok").text
    assert '<label for="query">' in page
    assert '<select id="purpose" name="purpose" required>' in page
    assert 'action="/sok"' in page
    assert 'method="post"' in page


def test_garbage_is_shown_next_to_each_field_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    before = count(settings, AuditEntry)
    response = _search(client, query="20150916-9875", purpose="")
    assert response.status_code == 422
    assert f'<p class="error" id="query-fel">{MSG_CHECK_DIGIT}</p>' in response.text
    assert f'<p class="error" id="purpose-fel">{search.MSG_PURPOSE}</p>' in response.text
    assert 'aria-describedby="query-fel"' in response.text
    assert 'value="20150916-9875"' in response.text
    response = _search(client, query="Saga", purpose="other", purpose_other="om Saga")
    assert response.status_code == 422
    assert search.MSG_PURPOSE_PERSONAL in response.text
    response = _search(client, query="<b>x</b>")
    assert response.status_code == 422
    assert "<b>x</b>" not in response.text
    assert count(settings, AuditEntry) == before


def test_a_screened_out_report_is_found_by_personnummer_and_audited_without_it(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    _screen_out(client, number)
    page = _search(client, query=CHILD_PNR.replace("-", ""), purpose="preliminary_assessment")
    assert page.status_code == 200
    assert "1 träff" in page.text
    assert f'<a href="/arenden/{number}">{number}</a>' in page.text
    assert "Utredning inleds inte" in page.text
    assert "Avslutat" in page.text
    assert _purposes(settings) == [("child", "sökning: förhandsbedömning")]
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        stored = " ".join(
            f"{a} {e} {p}"
            for a, e, p in conn.execute(
                select(AuditEntry.actor, AuditEntry.entity, AuditEntry.purpose)
            )
        )
    engine.dispose()
    assert "9874" not in stored
    assert "Saga" not in stored


def test_name_and_case_number_find_the_case(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    assert number in _search(client, query="saga lind").text
    assert number in _search(client, query=number.lower()).text
    assert "Inga ärenden som du har åtkomst till" in _search(client, query="Nils").text


def test_another_units_worker_finds_nothing_and_an_analyst_is_refused(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    number = register(client)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "annan", OTHER_PASSWORD)
    page = _search(client, query=CHILD_PNR)
    assert page.status_code == 200
    assert number not in page.text
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "analytiker")
    assert client.get("/sok").status_code == 403
    refused = client.post(
        "/sok", data={"csrf_token": token(client, "/"), "query": CHILD_PNR, "purpose": "other"}
    )
    assert refused.status_code == 403
