"""The whole chain with the keyboard alone, in real Chromium: Tab, Enter, Space, arrows, typing.

No element is clicked or filled. Every element the test moves to must show a visible focus
indicator (WCAG 2.1 2.4.7): it matches :focus-visible (a date field: holds the focus inside)
and draws an outline at least 2px wide.
After each step the skip link must lead to the saved message; a refused step must say so at the
top and lead to the field, whose error is its accessible description (3.3.1); and Tab and
Shift+Tab must go round the busiest case page and come back (2.1.2, no keyboard trap).
"""

from __future__ import annotations

import re
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
  // A date field's calendar button has the focus inside the field, which is then the active one.
  const ring = e.matches(":focus-visible, input[type^=date]:focus-within");
  return {
    tag: e.tagName,
    id: e.id,
    form: e.form ? e.form.id : "",
    name: (label || e.getAttribute("aria-label") || e.innerText || "").trim(),
    value: e.value === undefined ? "" : String(e.value),
    option: e.selectedOptions && e.selectedOptions.length ? e.selectedOptions[0].text : "",
    checked: Boolean(e.checked),
    visible: ring && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2,
  };
}"""
TABBABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex='0']"


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


def tab_to(
    page: Any, name: str, *, tag: str | None = None, form: str | None = None, limit: int = 150
) -> dict[str, Any]:
    """Press Tab until an element whose name starts with `name` has a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if (
            now
            and now["name"].startswith(name)
            and (tag is None or now["tag"] == tag)
            and (form is None or now["form"] == form)
        ):
            assert now["visible"], f"{name}: the focus is not visible"
            return dict(now)
    raise AssertionError(f"Tab never reached {name!r}" + (f" in form#{form}" if form else ""))


def choose(page: Any, value: str, *, limit: int = 30) -> None:
    """Move a focused select to the option with this value using the arrow keys."""
    for _ in range(limit):
        if focused(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {value!r}")


def skip_to_content(page: Any) -> None:
    """Follow the skip link from the top of the page; the focus must land on the main content."""
    tab_to(page, "Hoppa till innehållet", tag="A")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall", "the skip link led nowhere"


def save(page: Any, step: str, saved: str) -> None:
    """Submit a step's form with Enter on its button; the skip link then leads to the notice."""
    from playwright.sync_api import expect

    tab_to(page, "Spara", tag="BUTTON", form=step)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"{saved}: sparat.")
    skip_to_content(page)
    expect(page.locator("#innehall > :first-child")).to_have_text(f"{saved}: sparat.")


def assert_no_trap(page: Any, key: str) -> None:
    """Press key until the focus is back where it started, each stop showing its focus."""
    page.evaluate("() => { window.roundStart = document.activeElement; }")
    stops = page.locator(TABBABLE).count()
    left = False
    for _ in range(4 * stops):  # a date field takes one press per part
        page.keyboard.press(key)
        now = page.evaluate(FOCUSED)
        assert now is None or now["visible"], f"{key}: no visible focus on {now}"
        back = page.evaluate("() => document.activeElement === window.roundStart")
        if back and left:
            return
        left = left or not back
    raise AssertionError(f"{key} never brought the focus back: a keyboard trap")


def log_in(page: Any) -> None:
    """Log in as the case worker; the skip link is the first Tab stop and comes into view."""
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


def register_report(page: Any) -> None:
    """Register a report of concern from the inbox and land on the new case's page."""
    from playwright.sync_api import expect

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
    skip_to_content(page)


def test_take_a_report_through_the_whole_chain_by_keyboard(page: Any) -> None:
    from playwright.sync_api import expect

    timeline = page.locator("ol.timeline")
    log_in(page)
    register_report(page)

    # Protection assessment: the radio group is one Tab stop; the arrow keys choose in it.
    tab_to(page, "Ja", tag="INPUT", form="assess_protection")
    page.keyboard.press("ArrowRight")
    now = focused(page)
    assert (now["value"], now["checked"], now["visible"]) == ("nej", True, True)
    tab_to(page, "Anteckning", form="assess_protection")
    page.keyboard.type("Inget behov av omedelbart skydd.")
    save(page, "assess_protection", "Skyddsbedömning")
    expect(timeline).to_contain_text("inget behov av omedelbart skydd")

    # Preliminary assessment, first without its decision: refused, said at the top of the page,
    # whose link leads to the field; the field is described by the error printed below it.
    tab_to(page, "Spara", tag="BUTTON", form="decide_preliminary")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "Beslut efter förhandsbedömning: inte sparat."
    )
    skip_to_content(page)
    page.keyboard.press("Tab")
    link = focused(page)
    assert (link["tag"], link["name"], link["visible"]) == ("A", "Välj ett av alternativen.", True)
    page.keyboard.press("Enter")
    field = focused(page)
    assert (field["id"], field["visible"]) == ("decide_preliminary-outcome", True)
    expect(page.locator(":focus")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(":focus")).to_have_accessible_description("Välj ett av alternativen.")
    expect(page.locator(".field:has(:focus) > .error")).to_have_text("Välj ett av alternativen.")
    choose(page, "investigation_opened")
    save(page, "decide_preliminary", "Beslut efter förhandsbedömning")
    expect(timeline).to_contain_text("Utredning inleddes")

    # The investigation: a BBIC note, an intervention, completion with interventions.
    tab_to(page, "BBIC-område", tag="SELECT", form="record_bbic")
    choose(page, "child_development:health")
    tab_to(page, "Text", tag="TEXTAREA", form="record_bbic")
    page.keyboard.type("Syntetisk text om barnets hälsa.")
    save(page, "record_bbic", "Dokumentera enligt BBIC")
    tab_to(page, "Insats", tag="SELECT", form="decide_intervention")
    choose(page, "open_care")
    save(page, "decide_intervention", "Beslut om insats")
    expect(timeline).to_contain_text("Beslut om insats: Öppenvård (SoL)")
    tab_to(page, "Utfall", tag="SELECT", form="complete_investigation")
    choose(page, "interventions")
    save(page, "complete_investigation", "Avsluta utredningen")
    expect(timeline).to_contain_text("Utredningen avslutades: Insats beviljas")

    # Follow-up; then the page with the most forms lets the focus go round both ways.
    tab_to(page, "Anteckning", tag="TEXTAREA", form="follow_up")
    page.keyboard.type("Insatsen följdes upp.")
    tab_to(page, "Barnets röst", tag="SELECT", form="follow_up")
    choose(page, "declined_by_child")
    save(page, "follow_up", "Uppföljning")
    # give early help, follow up, decide, refuse an application, end an intervention, close
    expect(page.locator("form.step")).to_have_count(6)
    page.keyboard.press("Tab")
    assert_no_trap(page, "Tab")
    assert_no_trap(page, "Shift+Tab")

    # The intervention ends, and the case is closed.
    tab_to(page, "Insats", tag="SELECT", form="end_intervention")
    page.keyboard.press("ArrowDown")
    assert focused(page)["option"].startswith("Öppenvård")
    tab_to(page, "Skäl", tag="TEXTAREA", form="end_intervention")
    page.keyboard.type("Målen är nådda.")
    save(page, "end_intervention", "Avsluta en insats")
    save(page, "close", "Avsluta ärendet")
    expect(page.get_by_text("Ärendet är avslutat. Inga fler steg.")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text(re.compile(r"Status\s*Avslutat"))
    expect(timeline).to_contain_text("Ärendet avslutades")
