"""The desk in real headless Chromium: errors kept in the form, protected identity, search.

The whole chain and the main screenshots are in test_browser_chain.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.cases import service as cases
from barnskydd.cases.codes import Channel, Concern, ReporterCategory
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.people.codes import ProtectedIdentity
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS


DATABASE = "desk.db"  # in the test's tmp_path, so a test can seed it before the browser acts


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """Serve the app on a free loopback port."""
    with serve(tmp_path / DATABASE) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    """A fresh Chromium page."""
    with open_page(base_url) as browser_page:
        yield browser_page


def test_case_worker_takes_a_report_to_an_investigation(page: Any, screenshots: Path) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert_accessible(page, "logga in")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()

    page.get_by_role("link", name="Registrera anmälan").click()
    expect(page.get_by_role("heading", name="Registrera orosanmälan")).to_be_visible()
    assert_accessible(page, "registrera anmälan")
    page.get_by_label(re.compile("^Personnummer")).fill("20150916-9875")
    # Leaving the field checks the number (htmx); "^": not the siblings' "Syskon 1: förnamn".
    page.get_by_label(re.compile("^Förnamn")).fill("Saga")
    expect(page.get_by_label(re.compile("^Personnummer"))).to_have_accessible_description(
        re.compile("Kontrollsiffran stämmer inte")
    )
    page.get_by_label(re.compile("^Efternamn")).fill("Lind")
    page.get_by_label("Hur anmälan kom in").select_option("phone")
    page.get_by_label("Försummelse").check()
    page.get_by_label("Anmälans innehåll").fill("Syntetisk anmälan i webbläsartest.")
    page.get_by_label("Anmälare", exact=False).first.select_option("school")
    page.get_by_label("Anmälningsskyldig").check()
    page.get_by_label("Organisation").fill("Testskolan")
    page.get_by_role("button", name="Registrera anmälan").click()
    expect(page.locator("#child_identity-fel")).to_contain_text("Kontrollsiffran stämmer inte")
    expect(page.get_by_label(re.compile("^Förnamn"))).to_have_value("Saga")
    assert_accessible(page, "anmälan med fel")
    page.screenshot(path=str(screenshots / "anmalan-fel.png"), full_page=True)

    page.get_by_label(re.compile("^Personnummer")).fill(CHILD_PNR)
    page.get_by_role("button", name="Registrera anmälan").click()
    expect(page.get_by_role("heading", name=re.compile(r"Ärende BU-\d{4}-\d{6}"))).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Gör skyddsbedömningen nu")
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Ärende ")

    protection = page.locator("form#assess_protection")
    protection.get_by_label("Nej").check()
    protection.get_by_role("button").click()
    expect(page.locator("form#decide_preliminary")).to_be_visible()
    preliminary = page.locator("form#decide_preliminary")
    preliminary.get_by_role("combobox", name="Beslut").select_option("investigation_opened")
    preliminary.get_by_role("button").click()
    expect(page.get_by_text("Utredning inleddes")).to_be_visible()
    expect(page.locator("form#decide_intervention")).to_be_visible()
    assert_accessible(page, "ärendesidan")

    page.get_by_role("link", name="Inkorg").click()
    # The case's rows: the investigation's deadline (and the reporter's feedback, its own row).
    row = page.get_by_role("row").filter(has_text=number).filter(has_text="Utredning")
    expect(row).to_contain_text("Utredning")
    expect(row).to_contain_text("dagar kvar")
    assert_accessible(page, "inkorg")


def _protected_report(database: Path) -> str:
    """Register an overdue, unassigned report about a child with skyddad folkbokföring."""
    engine = make_engine(f"sqlite:///{database}")
    data = ReportCreate(
        child_identity=CHILD_PNR,
        child_first_name="Saga",
        child_last_name="Lind",
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
        received_at=dt.datetime.now(SWEDEN) - dt.timedelta(days=20),
        channel=Channel.PHONE,
        reporter_category=ReporterCategory.SCHOOL,
        mandatory_reporter=True,
        reporter_organisation="Testskolan",
        concerns=[Concern.NEGLECT],
        free_text="Syntetisk anmälan i webbläsartest.",
        unit_id=1,
    )
    with transaction(session_factory(engine)) as session:
        number = cases.register_report(
            session, actor=Actor(username="admin", role=Role.ADMIN), data=data
        ).case_number
    engine.dispose()
    return number


def test_team_lead_reassigns_names_staff_and_searches(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    number = _protected_report(tmp_path / DATABASE)
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("arbetsledare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Enhetens ärenden").click()
    expect(
        page.get_by_role("heading", name="Enhetens ärenden: Barn och unga Centrum")
    ).to_be_visible()
    assert_accessible(page, "enhetens ärenden")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Försenad")
    row.get_by_label(f"Handläggare för {number}").select_option(label="Handlaggare")
    row.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Ärende {number} är fördelat till Handlaggare"
    )

    page.get_by_role("link", name=number).click()
    expect(page.get_by_text("Skyddad, visas inte")).to_be_visible()
    grant = page.locator("form#grant")
    grant.get_by_label("Ge åtkomst till").select_option(label="Handlaggare")
    grant.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Åtkomst given.")
    expect(page.get_by_role("button", name="Ta bort åtkomst för Handlaggare")).to_be_visible()
    assert_accessible(page, "ärende med skyddad identitet")

    page.get_by_role("link", name="Sök", exact=True).click()
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#query-fel")).to_be_visible()
    expect(page.locator("#purpose-fel")).to_be_visible()
    assert_accessible(page, "sök med fel")
    page.get_by_label("Personnummer, namn eller ärendenummer").fill(OTHER_CHILD_PNR)
    page.get_by_label("Syfte med sökningen").select_option("new_report")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", name="0 träffar")).to_be_visible()
    page.get_by_label("Personnummer, namn eller ärendenummer").fill("saga lind")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", name="1 träff")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=number)).to_contain_text("Skyddad folkbokföring")
    assert_accessible(page, "sökträffar")
