"""The worker rates their month and the team lead walks the workload page, in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A Chromium page on a freshly served desk."""
    with serve(tmp_path / "desk.db") as url, open_page(url) as browser_page:
        yield browser_page


def _log_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()


def test_a_rating_shows_on_the_team_leads_workload_page(page: Any) -> None:
    from playwright.sync_api import expect

    _log_in(page, "handlaggare")
    page.get_by_role("link", name="Min belastning").click()
    assert_accessible(page, "min-belastning")
    page.get_by_label("Upplevd belastning").select_option("4")
    page.get_by_role("button", name="Spara skattningen").click()
    expect(page.get_by_role("status")).to_contain_text("Din skattning är sparad")

    _log_in(page, "arbetsledare")
    page.get_by_role("link", name="Arbetsbelastning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetsbelastning")
    assert_accessible(page, "arbetsbelastning")
    row = page.get_by_role("row", name="Handlaggare")
    expect(row.first).to_contain_text("4")
    expect(page.get_by_role("img", name="Handlaggare, poäng per månad")).to_be_visible()
    expect(page.get_by_role("heading", name="Sex månader")).to_be_visible()
    page.get_by_role("link", name="Mätveckor").click()
    assert_accessible(page, "matveckor")
    page.get_by_role("button", name="Öppna mätveckan").click()
    expect(page.get_by_role("status")).to_contain_text("Mätveckan är öppnad")
