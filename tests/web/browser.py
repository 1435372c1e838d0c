"""Real headless Chromium for the browser tests: serve the app, open a page, run axe-core.

Debian's /usr/bin/chromium is driven through Playwright with `executable_path`; no browser is
downloaded. Test modules mark themselves with MARKS and build their fixtures from `serve` and
`open_page`.

Screenshots go to the `screenshots` fixture's folder: a temporary one, so that the suite
leaves the work tree as it found it, or the folder BARNSKYDD_SCREENSHOTS names (`make
screenshots` sets it to docs/screenshots, the pictures the README shows).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from barnskydd.core import migrate
from barnskydd.core.settings import Mode, Settings
from barnskydd.web.app import create_app
from tests.web.conftest import seed

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS_ENV = "BARNSKYDD_SCREENSHOTS"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at "
        "/usr/bin/chromium (apt-get install chromium); no browser is downloaded",
    ),
]


def screenshot_folder(temporary: Path) -> Path:
    """Return where screenshots go: BARNSKYDD_SCREENSHOTS when set, else `temporary`."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else temporary
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(database: Path, **settings: Any) -> Iterator[str]:
    """Serve the app with uvicorn in a thread on a free loopback port and a seeded SQLite file.

    `settings` are passed on to the app's Settings (e.g. dictation_model_dir).
    """
    import uvicorn

    url = f"sqlite:///{database}"
    migrate.upgrade(url)
    seed(url)
    app = create_app(Settings(mode=Mode.DEMO, database_url=url, **settings))
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
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def open_page(
    base_url: str, *, args: tuple[str, ...] = (), **context_options: Any
) -> Iterator[Any]:
    """Open a fresh Chromium page (CSP bypassed so axe can be injected).

    `args` are added to Chromium's (e.g. a fake microphone), `context_options` to the context.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*ARGS, *args], headless=True
        )
        context = browser.new_context(
            base_url=base_url,
            bypass_csp=True,
            locale="sv-SE",
            viewport={"width": 1200, "height": 900},
            **context_options,
        )
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
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
