"""Filing a deviation with the keyboard alone, in real Chromium, from the menu of any page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import MARKS, assert_accessible, open_page, serve
from tests.web.test_keyboard import focused, log_in, skip_to_content, tab_to

pytestmark = MARKS


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A Chromium page on a freshly served desk."""
    with serve(tmp_path / "desk.db") as url, open_page(url) as browser_page:
        yield browser_page


def test_file_a_deviation_by_keyboard(page: Any) -> None:
    from playwright.sync_api import expect

    log_in(page)
    tab_to(page, "Rapportera avvikelse", tag="A")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Rapportera avvikelse")).to_be_visible()
    assert_accessible(page, "avvikelse-ny")
    tab_to(page, "Vad hände?")
    page.keyboard.type("Anmälan låg oläst i inkorgen över helgen.")
    tab_to(page, "När hände det?")  # today, filled in; the unit is the reporter's own
    tab_to(page, "Mer om avvikelsen", tag="SUMMARY")
    page.keyboard.press("Enter")
    tab_to(page, "Arbetsgrupp och arbetsledning")
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    tab_to(page, "Rapportera", tag="BUTTON")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tack! Avvikelsen är rapporterad")
    skip_to_content(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avvikelse 1")
    expect(page.locator("main")).to_contain_text("Arbetsgrupp och arbetsledning")
    expect(page.locator("main")).to_contain_text("Att bedöma")
