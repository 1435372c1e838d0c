"""The journal on the case page: add, sign, correct, filter, refusals next to the fields."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.journal.inputs import MSG_HTML
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import count, register

ENTRY = re.compile(r'id="anteckning-(\d+)"')


def _form(client: TestClient, number: str, **overrides: str) -> dict[str, Any]:
    at = dt.datetime.now(SWEDEN) - dt.timedelta(minutes=5)
    form = {
        "csrf_token": token(client, f"/arenden/{number}"),
        "kind": "child_talk",
        "at": at.strftime("%Y-%m-%dT%H:%M"),
        "minutes": "45",
        "child_alone": "ja",
        "participants": "Barnet",
        "text": "Syntetiskt samtal i skolan.",
    }
    form.update(overrides)
    return form


def _add(client: TestClient, number: str, **overrides: str) -> Any:
    return client.post(f"/arenden/{number}/journal", data=_form(client, number, **overrides))


def _post(client: TestClient, number: str, path: str) -> Any:
    csrf = token(client, f"/arenden/{number}")
    return client.post(f"/arenden/{number}/journal/{path}", data={"csrf_token": csrf})


def _entries(settings: Settings) -> list[JournalEntry]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = list(conn.execute(select(JournalEntry).order_by(JournalEntry.id)))
    engine.dispose()
    return rows  # type: ignore[return-value]


def test_add_sign_and_correct_on_the_case_page(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    number = register(client)
    page = _add(client, number)
    assert page.status_code == 200
    assert "Journalanteckningen sparad" in page.text
    [first] = _entries(settings)
    assert "Inte signerad" in page.text
    signed = _post(client, number, f"{first.id}/signera")
    assert "Journalanteckningen signerad." in signed.text
    assert f'href="/arenden/{number}?rattar={first.id}#journal-ny"' in signed.text
    correcting = client.get(f"/arenden/{number}?rattar={first.id}")
    assert f"Rättelse av anteckning nr {first.id}" in correcting.text
    fixed = _add(client, number, corrects=str(first.id), text="Rättelse: 30 minuter.")
    assert fixed.status_code == 200
    assert ENTRY.findall(fixed.text) == [str(first.id + 1), str(first.id)]  # newest first
    assert f'Rättad i <a href="#anteckning-{first.id + 1}">' in fixed.text
    assert f'Rättar <a href="#anteckning-{first.id}">' in fixed.text


def test_a_refused_entry_shows_the_error_next_to_the_field_and_writes_nothing(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    for field, value, message in (
        ("text", "<b>hej</b>", MSG_HTML),
        ("minutes", "0", "Värdet är för litet (minst 1)."),
        ("minutes", "6000", "Värdet är för stort (högst 600)."),
        ("at", "2020-01-01T10:00", "Tidpunkten kan inte ligga före anmälan"),
    ):
        page = _add(client, number, **{field: value})
        assert page.status_code == 422
        shown = unescape(page.text)
        assert f'<p class="error" id="journal-{field}-fel">{message}' in shown, field
        assert 'aria-invalid="true"' in page.text
    assert count(settings, JournalEntry) == 0


def test_signing_twice_is_refused_in_swedish(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    number = register(client)
    _add(client, number)
    [entry] = _entries(settings)
    _post(client, number, f"{entry.id}/signera")
    again = _post(client, number, f"{entry.id}/signera")
    assert again.status_code == 422
    assert "Anteckningen är redan signerad." in again.text
    deleted = _post(client, number, f"{entry.id}/radera")
    assert deleted.status_code == 422
    assert count(settings, JournalEntry) == 1


def test_the_journal_filters_by_kind_and_its_read_is_audited(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    _add(client, number)
    _add(client, number, kind="home_visit", text="Hembesök.")
    page = client.get(f"/arenden/{number}", params={"typ": "home_visit"})
    assert len(ENTRY.findall(page.text)) == 1
    assert "Hembesök." in page.text
    assert len(ENTRY.findall(client.get(f"/arenden/{number}", params={"typ": "x"}).text)) == 2
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        reads = conn.scalar(
            select(AuditEntry.purpose).where(AuditEntry.entity == "journal").limit(1)
        )
    engine.dispose()
    assert reads == "handläggning"


def test_the_journal_form_autosaves_a_draft_and_fills_the_form_from_it(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    number = register(client)
    csrf = token(client, f"/arenden/{number}")
    saved = client.post(
        f"/arenden/{number}/journal/utkast",
        data={"csrf_token": csrf, "kind": "phone_call", "text": "Halvfärdig anteckning"},
    )
    assert saved.status_code == 200
    assert "Utkast sparat" in saved.text
    page = client.get(f"/arenden/{number}")
    assert "Halvfärdig anteckning</textarea>" in page.text
    _add(client, number, text="Klar anteckning.")
    assert "Halvfärdig anteckning" not in client.get(f"/arenden/{number}").text
