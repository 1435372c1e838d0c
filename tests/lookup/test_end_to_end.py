"""End to end: both national services as separate processes on loopback, two municipalities.

Municipality A publishes a child; municipality B, with its own case about the same child,
finds A from its case page; A is notified; an outage delays but never loses a publication;
bad input gets a clear 4xx and leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import Mode, Settings
from barnskydd.lookup import oprf, outbox, sender, service
from barnskydd.lookup.auth import INDEX, PSEUDONYMISER, Signer
from barnskydd.lookup.client import NationalClient
from barnskydd.staff import service as staff
from tests.factories import CHILD_PNR, registered_case
from tests.lookup.conftest import A, B, TestClient

pytestmark = pytest.mark.slow


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli(*args: str) -> None:
    """Run a barnskydd command in-process (the services themselves run as processes)."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@dataclass
class Service:
    """A national service running as its own process."""

    args: list[str]
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process and wait until it accepts connections."""
        env = {**os.environ, "BARNSKYDD_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "barnskydd", *self.args, "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.args[0]} did not start")

    def stop(self) -> None:
        """Stop the process."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class Municipality:
    """A municipality's own database, signer and case."""

    code: str
    url: str
    key_file: Path
    case_number: str

    def client(self, pseudonymiser: Service, index: Service) -> NationalClient:
        """Return the municipality's client for the running services."""
        return NationalClient.connect(
            pseudonymiser_url=pseudonymiser.url,
            index_url=index.url,
            signer=Signer.from_file(self.code, self.key_file),
        )


def municipality(tmp: Path, code: str, registry: Path) -> Municipality:
    """Create a municipality's database with one unit, its staff and a case about the child."""
    url = f"sqlite:///{tmp / f'{code}.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name=f"Barn och unga {code}", municipality_code=code)
        worker = staff.actor_for(
            staff.create(
                session,
                username="handlaggare",
                display_name=f"Handläggare {code}",
                role=Role.CASE_WORKER,
                unit_id=unit.id,
            )
        )
        number = registered_case(session, unit.id, worker, child_identity=CHILD_PNR).case_number
    engine.dispose()
    key = tmp / f"{code}.jwk"
    cli(
        "lookup",
        "credentials",
        "--municipality",
        code,
        "--key-out",
        str(key),
        "--registry",
        str(registry),
    )
    return Municipality(code, url, key, number)


@pytest.fixture(scope="module")
def national(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Service, Service, Municipality, Municipality, Path]]:
    """Keys, credentials for A and B, and both services ready to start (the index stopped)."""
    tmp_path = tmp_path_factory.mktemp("national")
    keys, registry, index_db = tmp_path / "keys.json", tmp_path / "reg.json", tmp_path / "index.db"
    cli("pseudonymiser", "keygen", "--keys", str(keys))
    a = municipality(tmp_path, A, registry)
    b = municipality(tmp_path, B, registry)
    pseudonymiser = Service(
        ["pseudonymiser", "serve", "--keys", str(keys), "--municipalities", str(registry)],
        free_port(),
    )
    index = Service(
        [
            "lookup",
            "serve",
            "--database-url",
            f"sqlite:///{index_db}",
            "--municipalities",
            str(registry),
        ],
        free_port(),
    )
    pseudonymiser.start()
    try:
        yield pseudonymiser, index, a, b, index_db
    finally:
        pseudonymiser.stop()
        index.stop()


def index_rows(index_db: Path) -> int:
    """Count the entries the index holds."""
    engine = create_engine(f"sqlite:///{index_db}")
    with engine.connect() as conn:
        count = conn.scalar(text("SELECT count(*) FROM lookup_entry"))
    engine.dispose()
    return int(count or 0)


def test_reported_in_a_found_from_b_notified_and_no_publication_lost(
    national: tuple[Service, Service, Municipality, Municipality, Path],
) -> None:
    pseudonymiser, index, a, b, index_db = national
    engine_a = make_engine(a.url)
    factory_a = session_factory(engine_a)
    with transaction(factory_a) as session:
        # The service-layer hook queued the child when the report was registered.
        assert outbox.refresh_all(session, today=today()) == 0
    client_a = a.client(pseudonymiser, index)

    down = sender.send_all(factory_a, client_a)  # the index is not running yet
    assert (down.published, down.failed) == (0, 1)
    index.start()
    later = utcnow() + sender.backoff(1) + sender.backoff(0)
    assert sender.send_all(factory_a, client_a, now=later).published == 1
    assert index_rows(index_db) == 1

    settings_b = Settings(
        mode=Mode.DEMO,
        database_url=b.url,
        municipality_code=B,
        lookup_pseudonymiser_url=pseudonymiser.url,
        lookup_index_url=index.url,
        lookup_key_file=b.key_file,
        lookup_contact="växel 08-000 00",
    )
    from barnskydd.web.app import create_app
    from tests.web.conftest import login, token

    with TestClient(create_app(settings_b)) as desk:
        login(desk, "handlaggare")
        form = {
            "purpose": "forhandsbedomning",
            "csrf_token": token(desk, f"/arenden/{b.case_number}"),
        }
        page = desk.post(f"/arenden/{b.case_number}/riksuppslag", data=form)
        assert page.status_code == 200, page.text
        assert "Göteborg (1480)" in page.text
        assert "Pågående bedömning eller utredning" in page.text
        assert f"Barn och unga {A}" in page.text
        other = desk.post("/arenden/BU-2025-999999/riksuppslag", data=form)
        assert other.status_code == 404  # no case in B, no lookup

        pseudonymiser.stop()
        form["csrf_token"] = token(desk, f"/arenden/{b.case_number}")
        page = desk.post(f"/arenden/{b.case_number}/riksuppslag", data=form)
        assert page.status_code == 503
        assert "går inte att nå just nu" in page.text
        pseudonymiser.start()

    with transaction(factory_a) as session:
        [notice] = service.fetch_notices(session, client_a)
        assert (notice.asking_municipality, notice.purpose) == (B, "Förhandsbedömning")
        assert notice.asked_by == f"Handläggare {B}"
        assert notice.child_id is not None
    client_a.close()
    engine_a.dispose()


def test_bad_input_to_the_running_services_gets_4xx_and_stores_nothing(
    national: tuple[Service, Service, Municipality, Municipality, Path],
) -> None:
    pseudonymiser, index, a, _, index_db = national
    if index.process is None:
        index.start()
    before = index_rows(index_db)
    signer = Signer.from_file(A, a.key_file)
    stranger = Signer.from_file(A, a.key_file)
    good = oprf.blind(b"x").element.hex()
    with httpx.Client(base_url=pseudonymiser.url) as http:

        def evaluate(body: object, who: Signer = signer) -> int:
            return http.post(
                "/v1/evaluate", json=body, headers=who.headers(PSEUDONYMISER)
            ).status_code

        assert evaluate({"key_version": 1, "blinded_elements": ["ff" * 32]}) == 400
        assert evaluate({"key_version": 2, "blinded_elements": [good]}) == 400
        assert (
            evaluate({"key_version": 1, "blinded_elements": [good]}, Signer(B, signer.key)) == 401
        )
        big = http.post(
            "/v1/evaluate",
            content=b"[" + b"0," * 40_000 + b"0]",
            headers={**signer.headers(PSEUDONYMISER), "content-type": "application/json"},
        )
        assert big.status_code == 413
    with httpx.Client(base_url=index.url) as http:
        entry = {
            "key_version": 1,
            "pseudonym": "ab" * 64,
            "latest_report_month": "2026-10",
            "status_class": "closed",
            "contact_unit": "x",
            "expires_on": "2030-01-01",
        }
        headers = stranger.headers(INDEX)
        for body in (
            {"entries": [{**entry, "pseudonym": "xyz"}]},
            {"entries": [{**entry, "municipality_code": B}]},
            {"entries": [{**entry, "expires_on": "2099-01-01"}]},
        ):
            response = http.put("/v1/entries", json=body, headers=headers)
            assert 400 <= response.status_code < 500
            assert "detail" in response.json()
        unknown = http.put(
            "/v1/entries", json={"entries": [entry]}, headers={"Authorization": "Bearer x"}
        )
        assert unknown.status_code == 401
        huge = http.put(
            "/v1/entries",
            content=json.dumps({"entries": [entry] * 400}).encode(),
            headers={**headers, "content-type": "application/json"},
        )
        assert huge.status_code == 413
    assert index_rows(index_db) == before


def test_a_publisher_signs_as_the_municipality_its_database_serves(
    national: tuple[Service, Service, Municipality, Municipality, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pseudonymiser, index, _, b, index_db = national
    if index.process is None:
        index.start()
    from barnskydd.core.settings import get_settings

    for name, value in (
        ("DATABASE_URL", b.url),
        ("LOOKUP_PSEUDONYMISER_URL", pseudonymiser.url),
        ("LOOKUP_INDEX_URL", index.url),
        ("LOOKUP_KEY_FILE", str(b.key_file)),
    ):
        monkeypatch.setenv(f"BARNSKYDD_{name}", value)
    monkeypatch.setenv("BARNSKYDD_MUNICIPALITY_CODE", A)  # A's code against B's database
    get_settings.cache_clear()
    refused = CliRunner().invoke(app, ["lookup", "send"])
    assert refused.exit_code == 2
    assert f"databasen tjänar Stockholm ({B})" in refused.stderr
    monkeypatch.delenv("BARNSKYDD_MUNICIPALITY_CODE")  # no setting: the database's code
    get_settings.cache_clear()
    try:
        sent = CliRunner().invoke(app, ["lookup", "send"])
    finally:
        get_settings.cache_clear()
    assert sent.exit_code == 0, sent.output
    assert '"published": 1' in sent.stdout
    engine = create_engine(f"sqlite:///{index_db}")
    with engine.connect() as conn:
        codes = conn.scalars(text("SELECT DISTINCT municipality_code FROM lookup_entry")).all()
    engine.dispose()
    assert B in codes
