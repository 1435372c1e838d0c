"""The child's voice in real headless Chromium: child mode with the keyboard, a link by touch.

The case worker records a follow-up where the child answers in child mode, hands the device
over (the session ends), the child answers with the keyboard and finishes; the worker logs in
again and sees the answers and the inbox note. Then a one-time link, opened on a phone-sized
touch screen without login, is answered by tapping and answers 404 when opened again. axe-core
runs on every new page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR
from tests.voice.helpers import case_at_follow_up
from tests.web.browser import ARGS, CHROMIUM, MARKS, assert_accessible, serve

pytestmark = MARKS
LINK = re.compile(r"https?://[^ ]+/rost/l/[A-Za-z0-9_-]+")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A served desk with two cases at their follow-up; yields the URL and the case numbers."""
    database = tmp_path / "voice.db"
    with serve(database) as url:
        engine = make_engine(f"sqlite:///{database}")
        with transaction(session_factory(engine)) as session:
            worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
            assert worker.unit_id is not None
            numbers = [
                case_at_follow_up(session, worker.unit_id, worker, assigned_to_id=1).case_number,
                case_at_follow_up(
                    session,
                    worker.unit_id,
                    worker,
                    child_identity=OTHER_CHILD_PNR,
                    child_first_name="Elis",
                    assigned_to_id=1,
                ).case_number,
            ]
        engine.dispose()
        yield url, numbers


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _login(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()


def _follow_up(page: Any, number: str, mode: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"/arenden/{number}")
    form = page.locator("form#follow_up")
    form.get_by_label("Barnets röst").select_option("answered")
    form.get_by_label("Hur barnet svarar").select_option(mode)
    form.get_by_role("button", name=re.compile("^Spara")).click()
    expect(page.get_by_role("status")).to_contain_text("Uppföljning: sparat.")
    expect(page.locator("#barnets-rost")).to_be_visible()
    assert_accessible(page, "ärendesidan med barnets röst")


def test_child_mode_by_keyboard_and_a_link_by_touch(
    desk: tuple[str, list[str]], browser: Any
) -> None:
    from playwright.sync_api import expect

    url, (first, second) = desk
    context = browser.new_context(base_url=url, locale="sv-SE", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _login(page)
    _follow_up(page, first, "self_on_worker_device")
    page.get_by_role("button", name="Lämna över till barnet (barnläge)").click()
    expect(page.get_by_role("heading", name="Vad tycker du?")).to_be_visible()
    assert_accessible(page, "barnläge")
    html = page.content()
    for secret in ("Saga", "Lind", "20150916", first, "<nav", "Inloggad som"):
        assert secret not in html
    # The keyboard: Tab to each item's first choice ("Stämmer helt") and take it with Space;
    # the first item ("Jag känner mig trygg...") gets the lowest answer by the arrow keys.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "item_safe-5"
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "item_safe-1"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.id") == "item_listened-5"
    page.locator("#open_good").focus()
    page.keyboard.type("Fotbollen")
    page.get_by_role("button", name="Skicka mina svar").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    assert_accessible(page, "tack")
    page.goto(f"/arenden/{first}")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()  # the session ended
    _login(page)
    expect(page.get_by_text("Barnet svarade att hen inte känner sig trygg")).to_be_visible()
    page.goto(f"/arenden/{first}")
    section = page.locator("section[aria-labelledby=barnets-rost]")
    expect(section).to_contain_text("Fotbollen")
    expect(section).to_contain_text("Stämmer inte alls")
    expect(section).to_contain_text("Följ upp:")
    assert_accessible(page, "ärendesidan med barnets svar")

    _follow_up(page, second, "self_remote_link")
    page.get_by_role("button", name="Skapa engångslänk").click()
    expect(page.get_by_role("status")).to_contain_text("Engångslänk")
    link = LINK.search(page.get_by_role("status").inner_text())
    assert link
    phone = browser.new_context(
        locale="sv-SE",
        bypass_csp=True,
        viewport={"width": 375, "height": 667},
        has_touch=True,
        is_mobile=True,
    )
    phone.set_default_timeout(10_000)
    child = phone.new_page()
    child.goto(link.group(0))
    expect(child.get_by_role("heading", name="Vad tycker du?")).to_be_visible()
    assert_accessible(child, "engångslänk")
    assert "Elis" not in child.content()
    width = child.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # no sideways scrolling on a phone
    box = child.locator("label[for=item_safe-4]").bounding_box()
    assert box["height"] >= 44  # a large touch target (WCAG 2.5.5's 44 px)
    child.locator("label[for=item_safe-4]").tap()
    child.locator("label[for=item_school-skip]").tap()
    child.locator("label[for=shown_to-worker_and_family]").tap()
    child.get_by_role("button", name="Skicka mina svar").tap()
    expect(child.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    again = child.goto(link.group(0))
    assert again is not None
    assert again.status == 404
    assert_accessible(child, "använd länk")
    page.goto(f"/arenden/{second}")
    section = page.locator("section[aria-labelledby=barnets-rost]")
    expect(section).to_contain_text("Stämmer ganska bra")
    expect(section).to_contain_text("Min socialsekreterare och de vuxna jag bor med")
    phone.close()
    context.close()
