"""The case record in real headless Chromium: a report about two siblings, their family, the
investigation plan, a talk with each child alone, signing and a correction, a communication
that holds the decision back until it is answered, the decision and its letter with how to
appeal, an upload; axe-core on each new section; the journal's form filled in with the
keyboard alone. The refusal and the record of who was told: tests/web/test_browser_decisions.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.core.clock import SWEDEN
from tests.documents import samples
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS
MAX_TABS = 400  # from the top of the case page, past every section above the journal


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A fresh Chromium page on a freshly served app."""
    with serve(tmp_path / "record.db") as url, open_page(url) as browser_page:
        yield browser_page


def _tab_to(page: Any, predicate: str) -> None:
    """Press Tab until the focused element matches the JS predicate (on `el`), or fail."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    pytest.fail(f"not reached with Tab: {predicate}")


def _open_investigation(page: Any) -> None:
    from playwright.sync_api import expect

    protection = page.locator("form#assess_protection")
    protection.get_by_label("Nej").check()
    protection.get_by_role("button").click()
    preliminary = page.locator("form#decide_preliminary")
    preliminary.get_by_role("combobox", name="Beslut").select_option("investigation_opened")
    preliminary.get_by_role("button").click()
    expect(page.get_by_text("Utredning inleddes")).to_be_visible()


def _talk_alone(page: Any, text: str) -> None:
    from playwright.sync_api import expect

    form = page.locator("form#journal-ny")
    form.locator("#journal-kind").select_option("child_talk")
    form.locator("#journal-minutes").fill("40")
    form.locator("#journal-child_alone").get_by_label("Ja").check()
    form.locator("#journal-text").fill(text)
    form.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_role("status")).to_contain_text("Journalanteckningen sparad")


def test_a_report_about_two_siblings_through_the_record(
    page: Any, screenshots: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    today = dt.datetime.now(SWEDEN).date()
    page.goto("/")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()

    # The report, about Saga and her brother Elis: the sibling's missing name is refused first.
    page.goto("/anmalan/ny")
    page.locator("#child_identity").fill(CHILD_PNR)
    page.locator("#child_first_name").fill("Saga")
    page.locator("#child_last_name").fill("Lind")
    page.get_by_label("Syskon 1: personnummer").fill(OTHER_CHILD_PNR)
    page.get_by_label("Syskon 1: förnamn").fill("Elis")
    page.get_by_label("Hur anmälan kom in").select_option("phone")
    page.get_by_label("Försummelse").check()
    page.get_by_label("Anmälans innehåll").fill("Syntetisk anmälan om två syskon.")
    page.get_by_label("Anmälare", exact=False).first.select_option("school")
    page.get_by_label("Anmälningsskyldig").check()
    page.get_by_label("Organisation").fill("Testskolan")
    page.get_by_role("button", name="Registrera anmälan").click()
    expect(page.locator("#sibling_a_last_name-fel")).to_contain_text("måste fyllas i")
    assert_accessible(page, "anmälan, syskonets fel")
    page.get_by_label("Syskon 1: efternamn").fill("Lind")
    page.get_by_role("button", name="Registrera anmälan").click()
    expect(page.get_by_role("heading", name=re.compile(r"Ärende BU-\d{4}-\d{6}"))).to_be_visible()
    saga = page.url
    expect(page.get_by_text("Syskon i samma anmälan")).to_be_visible()

    # The family: a guardian.
    page.get_by_text("Lägg till vårdnadshavare eller hushållsmedlem").click()
    guardian = page.locator("form#guardian-add")
    guardian.locator("#g-first_name").fill("Maria")
    guardian.locator("#g-last_name").fill("Lind")
    guardian.locator("#g-relation").select_option("mother")
    guardian.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text("sparad")

    # The plan, once the investigation is open; a private contact without consent is refused.
    _open_investigation(page)
    plan = page.locator("form#plan-ny")
    plan.locator("#plan-kind").select_option("contact")
    plan.locator("#plan-text").fill("Mormor.")
    plan.locator("#plan-party").select_option("private")
    plan.get_by_role("button", name="Spara punkten").click()
    expect(page.locator("#plan-consent-fel")).to_contain_text("samtyckt")
    assert_accessible(page, "utredningsplan med fel")
    plan = page.locator("form#plan-ny")
    plan.locator("#plan-consent").get_by_label("Ja").check()
    plan.get_by_role("button", name="Spara punkten").click()
    expect(page.get_by_role("status")).to_contain_text("punkten sparad")
    plan = page.locator("form#plan-ny")
    plan.locator("#plan-kind").select_option("child_talk")
    plan.locator("#plan-text").fill("Samtal med Saga i skolan.")
    plan.locator("#plan-planned_on").fill((today + dt.timedelta(days=3)).isoformat())
    plan.locator("#plan-child_alone").get_by_label("Ja").check()
    plan.get_by_role("button", name="Spara punkten").click()
    section = page.locator("section[aria-labelledby=utredningsplan]")
    expect(section).to_contain_text("Samtal med Saga i skolan.")
    expect(section).to_contain_text("ska vara klar senast")
    assert_accessible(page, "utredningsplan")

    # The talk changed with the keyboard alone: open its form, rewrite the text, save.
    talk = section.locator("li", has_text="Samtal med Saga i skolan.")
    talk.locator("summary").focus()
    page.keyboard.press("Enter")
    _tab_to(page, "el.tagName === 'TEXTAREA' && el.id.endsWith('-text')")
    page.keyboard.press("Control+A")
    page.keyboard.type("Samtal med Saga ensam i skolan.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Spara ändringen')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("punkten ändrad")
    expect(section).to_contain_text("Samtal med Saga ensam i skolan.")
    assert_accessible(page, "utredningsplan ändrad")

    # The journal with the keyboard alone: a talk with Saga alone, Tab from field to field.
    page.locator("#journal-kind").focus()
    page.keyboard.press("ArrowDown")  # the first kind after "Välj": a talk with the child
    _tab_to(page, "el.id === 'journal-minutes'")
    page.keyboard.type("45")
    _tab_to(page, "el.name === 'child_alone' && el.value === 'ja'")
    page.keyboard.press("Space")
    _tab_to(page, "el.id === 'journal-text'")
    page.keyboard.type("Samtal med Saga ensam i skolan.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Spara anteckningen')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Journalanteckningen sparad")
    entry = page.locator("ol.journal li").first
    expect(entry).to_contain_text("Samtal med barnet")
    expect(entry).to_contain_text("Barnet talades med ensamt: ja")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.startsWith('Signera')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("signerad")
    assert_accessible(page, "journal")

    # A correction of the signed entry.
    page.locator("ol.journal li").first.get_by_role("link", name=re.compile("Rätta")).click()
    form = page.locator("form#journal-ny")
    expect(form).to_contain_text("Rättelse av anteckning")
    form.locator("#journal-kind").select_option("child_talk")
    form.locator("#journal-text").fill("Rättelse: samtalet var 40 minuter.")
    form.get_by_role("button", name="Spara anteckningen").click()
    expect(page.locator("ol.journal")).to_contain_text("Rättar anteckning nr")

    # Communication before the decision: the decision waits, with the paragraph named.
    sent = page.locator("form#komm-ny")
    sent.locator("#komm-recipient_kind").select_option("guardian")
    sent.locator("#komm-recipient").fill("Maria Lind")
    sent.locator("#komm-material").fill("Utredningen i sin helhet.")
    sent.locator("#komm-answer_by").fill((today + dt.timedelta(days=14)).isoformat())
    sent.get_by_role("button", name="Registrera kommuniceringen").click()
    expect(page.get_by_text("Väntar på svar")).to_be_visible()
    assert_accessible(page, "kommunicering")
    decision = page.locator("form#decide_intervention")
    decision.get_by_role("combobox", name="Insats").select_option("open_care")
    decision.get_by_role("button").click()
    expect(page.locator("#decide_intervention-decided_on-fel")).to_contain_text("25 §")
    answer = page.locator("section[aria-labelledby=kommunicering] form.record").first
    answer.locator("textarea").fill("Inget att tillägga.")
    answer.get_by_role("button", name=re.compile("Registrera svaret")).click()
    expect(page.get_by_role("status")).to_contain_text("Svaret registrerat")
    expect(page.locator("#kommunicering-1")).to_contain_text("Inget att tillägga.")

    # The answer is in: the decision is taken, and its letter to the mother says how to appeal.
    decision = page.locator("form#decide_intervention")
    decision.get_by_role("combobox", name="Insats").select_option("open_care")
    decision.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("sparat")
    decisions = page.locator("section[aria-labelledby=beslut]")
    decisions.get_by_role("link", name="Visa brevet till Maria Lind").click()
    letter = page.get_by_role("article", name="Brevet")
    expect(letter).to_contain_text("förvaltningsrätten")
    expect(letter).to_contain_text("tre veckor")
    assert_accessible(page, "beslutsmeddelandet")
    page.go_back()

    # An upload.
    pdf = tmp_path / "intyg.pdf"
    pdf.write_bytes(samples.pdf())
    upload = page.locator("form#document-upload")
    upload.locator("#document-title").fill("Intyg från skolan")
    upload.locator("#document-file").set_input_files(str(pdf))
    upload.get_by_role("button", name="Ladda upp").click()
    expect(page.locator("section[aria-labelledby=dokument]")).to_contain_text("Intyg från skolan")
    page.screenshot(path=str(screenshots / "arendet-akt.png"), full_page=True)

    # The sibling's own case: its investigation and a talk with Elis alone.
    page.goto(saga)
    page.get_by_role("link", name=re.compile("Elis Lind")).click()
    expect(page).not_to_have_url(saga)
    expect(page.locator("form#assess_protection")).to_be_visible()
    _open_investigation(page)
    _talk_alone(page, "Samtal med Elis ensam hemma.")
    expect(page.locator("ol.journal li").first).to_contain_text("Barnet talades med ensamt: ja")
    assert_accessible(page, "syskonets ärende")
