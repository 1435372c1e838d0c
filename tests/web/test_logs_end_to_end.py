"""End to end with marked data: nothing personal reaches any log or the audit trail's purposes.

The real server (`barnskydd serve`, a subprocess) runs on a test database with its output
captured to files. A report is registered for a child with marked names and a valid
personnummer, from a reporter with a marked name (with a letter the PDF font lacks); steps are
taken, the child is searched for, the API is asked with a purpose that holds the personnummer
(422), a personnummer is put in a query string and a path, and the feedback letter is made as a
PDF. Then every captured log and `audit_entry.purpose` are searched for the marks and the
number in all its written forms.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine
from tests.web.conftest import login, seed, token
from tests.web.test_pages import CASE_NUMBER, report_form, step

pytestmark = pytest.mark.slow

PNR = "20140321-2382"  # synthetic, valid check digit
OTHER_PNR = "20130705-2397"
CHILD_FIRST, CHILD_LAST = "Märkbarnet", "Spårlösdotter"
OTHER_FIRST, OTHER_LAST = "Apimärket", "Loggfrisson"
REPORTER = "Anmälarmärk Kvistberg 王"  # 王: DejaVu Sans has no glyph for it
API_REPORTER = "Apianmälare Märkesson"
MARKS = (
    CHILD_FIRST,
    CHILD_LAST,
    OTHER_FIRST,
    OTHER_LAST,
    "Anmälarmärk",
    "Kvistberg",
    "王",
    "\\u738b",  # how fpdf2 names a missing glyph
    "Apianmälare",
    "Märkesson",
)


def forms_of(number: str) -> list[str]:
    """Return a personnummer as written with and without the dash and the century."""
    long, short = number, number[2:]
    return [long, long.replace("-", ""), short, short.replace("-", "")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    logs: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> dict[str, str]:
        """Stop the server (as Ctrl-C does) and return every file of its log folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return {p.name: p.read_text(errors="replace") for p in self.logs.glob("*")}


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """Run `barnskydd serve` on the test database, its output captured to files."""
    seed(database_url)
    logs = tmp_path / "logs"
    logs.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "BARNSKYDD_MODE": "demo",
        "BARNSKYDD_DATABASE_URL": database_url,
        "BARNSKYDD_LOG_LEVEL": "INFO",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "PYTHONUNBUFFERED": "1",
    }
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "barnskydd", "serve", "--port", str(port)],
            stdout=out,
            stderr=err,
            env=env,
            cwd=tmp_path,
        )
        running = Server(f"http://127.0.0.1:{port}", logs, process)
        try:
            _wait_until_up(running.url, process)
            yield running
        finally:
            running.stop()


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # a start-up bound, not an assertion about speed
    while time.monotonic() < deadline:
        assert process.poll() is None, "barnskydd serve exited"
        try:
            if httpx.get(f"{url}/logga-in", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("barnskydd serve did not answer")


def _desk_chain(desk: Any) -> str:
    """Register the marked report on the desk, take two steps, search; return the case."""
    login(desk, "handlaggare")
    checked = desk.post(
        "/anmalan/kontrollera-id",
        data={"csrf_token": token(desk, "/anmalan/ny"), "child_identity": PNR},
    )
    assert checked.status_code == 200
    form = report_form(
        desk,
        child_identity=PNR,
        child_first_name=CHILD_FIRST,
        child_last_name=CHILD_LAST,
        reporter_name=REPORTER,
    )
    registered = desk.post("/anmalan/ny", data=form)
    assert registered.status_code == 200, registered.text
    match = CASE_NUMBER.search(str(registered.url))
    assert match, registered.url
    number = match.group(0)
    received = form["received_at"]
    assessed = step(
        desk, number, "assess_protection", assessed_at=received, immediate_protection_needed="nej"
    )
    assert assessed.status_code == 200, assessed.text
    decided = step(
        desk, number, "decide_preliminary", decided_on=received[:10], outcome="not_opened"
    )
    assert decided.status_code == 200, decided.text
    for query in (PNR, PNR.replace("-", ""), f"{CHILD_FIRST} {CHILD_LAST}"):
        found = desk.post(
            "/sok",
            data={"csrf_token": token(desk, "/sok"), "query": query, "purpose": "new_report"},
        )
        assert number in found.text
    refused = desk.post(
        "/sok",
        data={
            "csrf_token": token(desk, "/sok"),
            "query": PNR,
            "purpose": "other",
            "purpose_other": f"gäller {PNR[2:]}",
        },
    )
    assert refused.status_code == 422
    return number


def _letter(desk: Any, number: str) -> None:
    assert REPORTER.split()[0] in desk.get(f"/arenden/{number}/aterkoppling").text
    pdf = desk.get(f"/arenden/{number}/aterkoppling.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"


def _api(url: str, number: str) -> None:
    with httpx.Client(base_url=f"{url}/api/v1") as api:
        session = api.post("/session", json={"username": "handlaggare", "password": "demo"})
        assert session.status_code == 200, session.text
        headers = {"X-CSRF-Token": session.json()["csrf_token"]}
        for number_form in forms_of(PNR):
            asked = api.get(f"/cases/{number}", params={"purpose": f"kontroll {number_form}"})
            assert asked.status_code == 422, asked.text
            assert number_form not in asked.text
        assert api.get(f"/cases/{number}", params={"purpose": "handläggning"}).status_code == 200
        received = dt.datetime.now(SWEDEN) - dt.timedelta(minutes=1)
        created = api.post(
            "/reports",
            headers=headers,
            json={
                "child_identity": OTHER_PNR,
                "child_first_name": OTHER_FIRST,
                "child_last_name": OTHER_LAST,
                "received_at": received.isoformat(timespec="seconds"),
                "channel": "phone",
                "reporter_category": "school",
                "mandatory_reporter": True,
                "reporter_name": API_REPORTER,
                "concerns": ["neglect"],
                "free_text": "Syntetisk anmälan för loggtestet.",
                "unit_id": 1,
                "assigned_to_id": 1,
            },
        )
        assert created.status_code == 201, created.text


def _purposes(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = [p for p in conn.scalars(select(AuditEntry.purpose)) if p is not None]
    engine.dispose()
    return rows


def test_no_personal_data_in_any_log_or_audited_purpose(server: Server, database_url: str) -> None:
    url = server.url
    with httpx.Client(base_url=url, follow_redirects=True) as desk:
        number = _desk_chain(desk)
        _letter(desk, number)
        # A client may put anything in a URL: neither the query nor the number reaches the log.
        desk.get("/sok", params={"query": PNR, "namn": CHILD_FIRST})
        desk.get(f"/arenden/{PNR.replace('-', '')}")
    _api(url, number)
    purposes = _purposes(database_url)
    assert "handläggning" in purposes  # the trail was written and read back

    captured = server.stop()
    assert 'POST /sok HTTP/1.1" 200' in captured["stdout.log"]  # the access log is there
    assert "GET /sok HTTP/1.1" in captured["stdout.log"]
    secrets = [*MARKS, *forms_of(PNR), *forms_of(OTHER_PNR)]
    for name, text in captured.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{name} holds {leaked}"
    for purpose in purposes:
        leaked = [s for s in secrets if s in purpose]
        assert not leaked, f"audit_entry.purpose holds {leaked}"
