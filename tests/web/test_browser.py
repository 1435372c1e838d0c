"""The desk in real headless Chromium: a case worker takes a report to an investigation."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.core import migrate
from barnskydd.core.settings import Mode, Settings
from barnskydd.web.app import create_app
from tests.factories import CHILD_PNR
from tests.web.conftest import seed

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at "
        "/usr/bin/chromium (apt-get install chromium); no browser is downloaded",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """Serve the app with uvicorn in a thread on a free loopback port and a SQLite file."""
    import uvicorn

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    migrate.upgrade(url)
    seed(url)
    app = create_app(Settings(mode=Mode.DEMO, database_url=url))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            ws="none",
            http="h11",
            log_level="warning",
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    """A fresh Chromium page (CSP bypassed so axe can be injected)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        context = browser.new_context(
            base_url=base_url,
            bypass_csp=True,
            locale="sv-SE",
            viewport={"width": 1200, "height": 900},
        )
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def assert_accessible(page: Any, name: str) -> None:
    """Run axe-core on the page and fail on any serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: {json.dumps(bad, ensure_ascii=False)}"


def test_case_worker_takes_a_report_to_an_investigation(page: Any) -> None:
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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
    page.get_by_label("Personnummer").fill("20150916-9875")
    page.get_by_label("Förnamn").fill("Saga")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("Hur anmälan kom in").select_option("phone")
    page.get_by_label("Försummelse").check()
    page.get_by_label("Anmälans innehåll").fill("Syntetisk anmälan i webbläsartest.")
    page.get_by_label("Anmälare", exact=False).first.select_option("school")
    page.get_by_label("Anmälningsskyldig").check()
    page.get_by_label("Organisation").fill("Testskolan")
    page.get_by_role("button", name="Registrera anmälan").click()
    expect(page.locator("#child_identity-fel")).to_contain_text("Kontrollsiffran stämmer inte")
    expect(page.get_by_label("Förnamn")).to_have_value("Saga")
    assert_accessible(page, "anmälan med fel")
    page.screenshot(path=str(SCREENSHOTS / "anmalan-fel.png"), full_page=True)

    page.get_by_label("Personnummer").fill(CHILD_PNR)
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
    page.screenshot(path=str(SCREENSHOTS / "arende.png"), full_page=True)

    page.get_by_role("link", name="Inkorg").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Utredning")
    expect(row).to_contain_text("dagar kvar")
    assert_accessible(page, "inkorg")
    page.screenshot(path=str(SCREENSHOTS / "inkorg.png"), full_page=True)
