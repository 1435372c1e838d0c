"""The desk outside the chain's steps: bad input is a 4xx, on SQLite and PostgreSQL, never a 500.

Non-numbers and numbers beyond any id where an id is expected, NUL and lone surrogates in
text and in the case number of a path, dates near year 1 and year 9999. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.web.app import create_app
from tests.web.conftest import TOKEN, TestClient, login
from tests.web.test_api import api_login, report_body

BAD = ["abc", str(2**31), str(2**63), str(10**30), "-1", "1\x00", "\ud800", "9999-12-31T23:59"]


def _encode(fields: dict[str, str]) -> str:
    return "&".join(f"{k}={quote(v, safe='', errors='surrogatepass')}" for k, v in fields.items())


def _counts(settings: Settings) -> tuple[int, int]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(Case)).scalar_one()
        audit = conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    engine.dispose()
    return cases, audit


@pytest.fixture
def desk(settings: Settings) -> Iterator[tuple[TestClient, str, str]]:
    """An admin logged in on the desk (answering 500s rather than raising), and a case."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        number = client.post(
            "/api/v1/reports", json=report_body(), headers=api_login(client, "admin")
        ).json()["case_number"]
        login(client, "admin")
        match = TOKEN.search(client.get("/sok").text)
        assert match
        yield client, number, match.group(1)


FORMS = {
    "/anmalan/ny": ["unit_id", "assigned_to_id", "child_first_name", "free_text", "received_at"],
    "/anmalan/kontrollera-id": ["child_identity"],
    "/anmalan/ny/utkast": ["free_text", "unit_id"],
    "/sok": ["query", "purpose", "purpose_other"],
    "/arenden/{case}/omfordela": ["staff_id"],
    "/arenden/{case}/atkomst": ["staff_id"],
    "/arenden/{case}/atkomst/ta-bort": ["staff_id"],
    "/arenden/{case}/riksuppslag": ["purpose"],
    "/arenden/{case}/steg/assess_protection/utkast": ["notes"],
}


def test_bad_form_values_outside_the_steps_are_refused_with_4xx(
    settings: Settings, desk: tuple[TestClient, str, str]
) -> None:
    client, number, token = desk
    before = _counts(settings)
    base = {"query": number, "purpose": "handlaggning", "received_at": "2025-06-01T10:00"}
    failures = []
    for template, fields in FORMS.items():
        path = template.replace("{case}", number)
        for field in fields:
            for value in BAD:
                body = _encode({**base, field: value, "csrf_token": token})
                response = client.post(
                    path,
                    content=body,
                    headers={"content-type": "application/x-www-form-urlencoded"},
                    follow_redirects=False,
                )
                if response.status_code >= 500:
                    failures.append((path, field, value, response.status_code))
    assert failures == []
    cases, _ = _counts(settings)
    assert cases == before[0]


def test_bad_path_and_query_values_are_refused_with_4xx(
    desk: tuple[TestClient, str, str],
) -> None:
    client, number, token = desk
    failures = []
    for raw in ["abc", str(2**63), "%00", "1%00", "%ED%A0%80", "x" * 3000]:
        gets = [
            f"/?alla={raw}",
            f"/enhet?enhet={raw}",
            f"/aviseringar/{raw}",
            f"/arenden/{raw}",
            f"/arenden/{raw}/aterkoppling",
            f"/arenden/{raw}/aterkoppling.pdf",
            f"/api/v1/cases/{raw}?purpose=handlaggning",
            f"/api/v1/cases/{number}?purpose={raw}",
        ]
        for path in gets:
            response = client.get(path, follow_redirects=False)
            if response.status_code >= 500:
                failures.append(("GET", path[:60], response.status_code))
        posts = [
            f"/arenden/{raw}/omfordela",
            f"/arenden/{raw}/riksuppslag",
            f"/arenden/{raw}/aterkoppling",
            f"/arenden/{raw}/steg/assess_protection/utkast",
        ]
        for path in posts:
            response = client.post(
                path, data={"csrf_token": token, "staff_id": "1"}, follow_redirects=False
            )
            if response.status_code >= 500:
                failures.append(("POST", path[:60], response.status_code))
    assert failures == []
