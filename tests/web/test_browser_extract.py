"""Registerutdrag in real headless Chromium: request, inbox, review, PDF link; axe on each page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import CHILD_PNR
from tests.web.browser import MARKS, assert_accessible, open_page, serve
from tests.web.test_browser import DATABASE, _protected_report

pytestmark = MARKS


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


def test_team_lead_registers_reviews_and_produces_an_extract(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    number = _protected_report(tmp_path / DATABASE)
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("arbetsledare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Registerutdrag", exact=True).click()
    expect(page.get_by_role("heading", name="Registerutdrag", exact=True)).to_be_visible()
    page.get_by_label("Vem begär utdraget").select_option("guardian")
    page.get_by_role("button", name="Registrera begäran").click()
    expect(page.locator("#identity-fel")).to_be_visible()
    expect(page.locator("#custody_checked-fel")).to_be_visible()
    assert_accessible(page, "registerutdrag med fel")
    page.get_by_label("Personnummer (barn eller vårdnadshavare)").fill(CHILD_PNR)
    page.get_by_label("Vårdnaden är kontrollerad").check()
    page.get_by_role("button", name="Registrera begäran").click()
    expect(page.get_by_role("heading", name="Registerutdrag nr 1")).to_be_visible()
    expect(page.get_by_role("link", name=number).first).to_be_visible()
    assert_accessible(page, "granskning av registerutdrag")
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_role("status")).to_contain_text("Granskningen är sparad.")
    expect(page.get_by_role("link", name="Ta fram utdraget (PDF)")).to_be_visible()
    page.get_by_role("link", name="Inkorg").click()
    expect(page.get_by_role("link", name="Registerutdrag nr 1")).to_be_visible()
    assert_accessible(page, "inkorg med registerutdrag")
