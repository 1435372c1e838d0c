"""Drafts and the feedback letter in real headless Chromium (Debian's, never a download)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import PreliminaryOutcome
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from tests.factories import report_data, take
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS
DATABASE = "desk.db"  # in the test's tmp_path, so a test can seed it while the app runs


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A fresh Chromium page on the app served from tmp_path/desk.db."""
    with serve(tmp_path / DATABASE) as url, open_page(url) as browser_page:
        yield browser_page


LOCAL_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('barnskydd:utkast:'))"


def log_in(page: Any, path: str = "/") -> None:
    """Open a path, log in as the case worker on the login page it leads to."""
    from playwright.sync_api import expect

    page.goto(path)
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()


def test_typed_report_is_there_again_after_the_page_was_closed(page: Any) -> None:
    from playwright.sync_api import expect

    log_in(page, "/anmalan/ny")
    expect(page.get_by_role("heading", name="Registrera orosanmälan")).to_be_visible()
    page.get_by_label(re.compile("^Förnamn")).fill("Saga")
    page.get_by_label("Anmälans innehåll").fill("Oro som inte får gå förlorad.")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat")
    context = page.context
    page.close()

    again = context.new_page()
    again.goto("/anmalan/ny")
    expect(again.get_by_label(re.compile("^Förnamn"))).to_have_value("Saga")
    expect(again.get_by_label("Anmälans innehåll")).to_have_value("Oro som inte får gå förlorad.")
    expect(again.locator(".draft-status")).to_contain_text("Ifyllt från ditt utkast")
    assert_accessible(again, "anmälan ifylld från utkast")

    again.get_by_role("button", name="Släng utkastet").click()
    expect(again.get_by_label(re.compile("^Förnamn"))).to_have_value("")


def test_text_typed_after_the_session_ended_comes_back_after_login(page: Any) -> None:
    from playwright.sync_api import expect

    log_in(page, "/anmalan/ny")
    page.get_by_label(re.compile("^Förnamn")).fill("Saga")
    status = page.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat")

    page.context.clear_cookies()  # the session ends, as after the idle or absolute timeout
    page.get_by_label("Anmälans innehåll").fill("Skrivet efter utloggningen.")
    expect(status).to_contain_text("Du har loggats ut")
    assert page.evaluate(LOCAL_KEYS) == ["barnskydd:utkast:/anmalan/ny/utkast"]

    status.get_by_role("link", name="Logga in igen").click()
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Registrera orosanmälan")).to_be_visible()
    expect(page.get_by_label("Anmälans innehåll")).to_have_value("Skrivet efter utloggningen.")
    expect(page.get_by_label(re.compile("^Förnamn"))).to_have_value("Saga")
    expect(status).to_contain_text("Utkast sparat")
    assert page.evaluate(LOCAL_KEYS) == []

    page.reload()
    expect(page.get_by_label("Anmälans innehåll")).to_have_value("Skrivet efter utloggningen.")


def _decided_case(database: Path) -> str:
    """Register a report from a school and decide not to open an investigation."""
    engine = make_engine(f"sqlite:///{database}")
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        assert worker.unit_id is not None
        case = cases.register_report(session, actor=worker, data=report_data(worker.unit_id))
        received = dt.datetime(2025, 6, 19, 11, 0, tzinfo=SWEDEN)
        take(
            session,
            Step.ASSESS_PROTECTION,
            actor=worker,
            case_id=case.id,
            assessed_at=received,
            immediate_protection_needed=False,
        )
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=worker,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 25),
            outcome=PreliminaryOutcome.NOT_OPENED,
        )
        number = case.case_number
    engine.dispose()
    return number


def test_the_feedback_letter_is_accessible_and_prints_without_the_menu(
    page: Any, tmp_path: Path, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    number = _decided_case(tmp_path / DATABASE)  # the database the page's app serves
    log_in(page, f"/arenden/{number}")
    expect(page.get_by_role("heading", name="Återkoppling till anmälaren")).to_be_visible()
    page.get_by_role("link", name="Visa brevet").click()
    expect(page.get_by_role("heading", name="Återkoppling på er anmälan")).to_be_visible()
    assert_accessible(page, "återkoppling")
    page.screenshot(path=str(screenshots / "aterkoppling.png"), full_page=True)

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
    expect(page.get_by_text("Socialnämnden beslutade den 2025-06-25")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Registrera att återkopplingen är lämnad").click()
    expect(page.get_by_role("status")).to_contain_text("registrerad")
    expect(page.get_by_text("Återkoppling lämnad")).to_be_visible()
