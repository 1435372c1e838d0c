"""The chain with the keyboard alone, in real Chromium: Tab, Enter, arrows and typing.

No element is clicked. Every element the test moves to must show a visible focus indicator
(WCAG 2.1 2.4.7): it matches :focus-visible and draws an outline at least 2px wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import CHILD_PNR
from tests.web.browser import MARKS, open_page, serve

pytestmark = MARKS

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  const style = getComputedStyle(e);
  return {
    tag: e.tagName,
    name: (label || e.getAttribute("aria-label") || e.innerText || "").trim(),
    value: e.value === undefined ? "" : String(e.value),
    checked: Boolean(e.checked),
    visible: e.matches(":focus-visible") && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2,
  };
}"""


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A Chromium page on a freshly served desk."""
    with serve(tmp_path / "desk.db") as url, open_page(url) as browser_page:
        yield browser_page


def focused(page: Any) -> dict[str, Any]:
    """Return what has the focus (tag, accessible name, value) and whether it shows it."""
    found: dict[str, Any] | None = page.evaluate(FOCUSED)
    assert found is not None, "nothing has the focus"
    return found


def tab_to(page: Any, name: str, *, tag: str | None = None, limit: int = 150) -> dict[str, Any]:
    """Press Tab until an element whose name starts with `name` has a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now and now["name"].startswith(name) and (tag is None or now["tag"] == tag):
            assert now["visible"], f"{name}: the focus is not visible"
            return dict(now)
    raise AssertionError(f"Tab never reached {name!r}")


def choose(page: Any, value: str, *, limit: int = 30) -> None:
    """Move a focused select to the option with this value using the arrow keys."""
    for _ in range(limit):
        if focused(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {value!r}")


def test_register_a_report_and_assess_protection_by_keyboard(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/logga-in")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Hoppa till innehållet"
    assert page.locator(".skip").bounding_box()["x"] >= 0, "the skip link stays off screen"
    tab_to(page, "Användarnamn")
    page.keyboard.type("handlaggare")
    tab_to(page, "Lösenord")
    page.keyboard.type("demo")
    tab_to(page, "Logga in", tag="BUTTON")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()

    tab_to(page, "Registrera anmälan", tag="A")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Registrera orosanmälan")).to_be_visible()
    tab_to(page, "Personnummer")
    page.keyboard.type(CHILD_PNR)
    tab_to(page, "Förnamn")
    page.keyboard.type("Saga")
    tab_to(page, "Efternamn")
    page.keyboard.type("Lind")
    tab_to(page, "Hur anmälan kom in", tag="SELECT")
    choose(page, "phone")
    tab_to(page, "Försummelse")
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    tab_to(page, "Anmälans innehåll")
    page.keyboard.type("Syntetisk anmälan, skriven med tangentbordet.")
    tab_to(page, "Anmälare", tag="SELECT")
    choose(page, "school")
    tab_to(page, "Anmälningsskyldig")
    page.keyboard.press("Space")
    tab_to(page, "Organisation")
    page.keyboard.type("Testskolan")
    tab_to(page, "Registrera anmälan", tag="BUTTON")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Gör skyddsbedömningen nu")

    tab_to(page, "Ja", tag="INPUT")  # the first radio of "Behöver barnet omedelbart skydd?"
    page.keyboard.press("ArrowRight")
    now = focused(page)
    assert (now["value"], now["checked"], now["visible"]) == ("nej", True, True)
    tab_to(page, "Anteckning")
    page.keyboard.type("Inget behov av omedelbart skydd.")
    tab_to(page, "Spara: Skyddsbedömning", tag="BUTTON")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Skyddsbedömning: sparat.")
    expect(page.locator("form#decide_preliminary")).to_be_visible()
    expect(page.get_by_text("inget behov av omedelbart skydd")).to_be_visible()
