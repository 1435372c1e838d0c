"""The desk's edge: the security headers on every response, and the request body's size limit."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from barnskydd.core import migrate
from barnskydd.core.settings import Mode, Settings
from barnskydd.web.app import SECURITY_HEADERS, create_app
from tests.web.conftest import TestClient, login, seed, token

MAX_BODY = 1024 * 1024  # docs/web.md, Security: the request body's limit
OVER = MAX_BODY + 1


def _assert_guarded(response: httpx.Response, *, cacheable: bool = False) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    if cacheable:
        assert "no-store" not in response.headers.get("cache-control", "")
    else:
        assert response.headers.get("cache-control") == "no-store", response.status_code


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield a body in pieces: httpx then sends it chunked, with no Content-Length."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"a" * piece


FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}
REFUSALS: list[tuple[str, str, dict[str, Any], int]] = [
    # (method, path, keyword arguments, expected status)
    ("GET", "/finns-inte", {}, 404),
    ("GET", "/static/finns-inte.css", {}, 404),
    ("DELETE", "/", {}, 405),
    ("POST", "/logga-in", {"data": {"username": "x", "password": "y"}}, 403),
    ("GET", "/api/v1/finns-inte", {}, 404),
    ("PUT", "/api/v1/session", {}, 405),
    ("POST", "/api/v1/session", {"content": b"{", "headers": JSON}, 422),
    ("GET", "/api/v1/session", {}, 401),
    ("POST", "/logga-in", {"content": b"a" * OVER}, 413),
    ("POST", "/api/v1/session", {"content": b"a" * OVER}, 413),
    ("POST", "/logga-in", {"content": _chunks(OVER), "headers": FORM}, 413),
    ("POST", "/api/v1/session", {"content": _chunks(OVER), "headers": JSON}, 413),
    ("POST", "/anmalan/ny", {"content": _chunks(OVER), "headers": FORM}, 413),
]


def _sized(kwargs: dict[str, Any]) -> bool:
    return isinstance(kwargs.get("content", b""), bytes)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app on one SQLite file for the header checks (the dialect plays no part in them)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('edge') / 'edge.db'}"
    migrate.upgrade(url)
    seed(url)
    with TestClient(create_app(Settings(mode=Mode.DEMO, database_url=url))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    REFUSALS,
    ids=[f"{m} {p} {s}{'' if _sized(k) else ' chunked'}" for m, p, k, s in REFUSALS],
)
def test_every_refusal_carries_the_security_headers(
    shared: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    if not _sized(kwargs):
        kwargs = {**kwargs, "content": _chunks(OVER)}  # a fresh generator per run
    response = shared.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    _assert_guarded(response)
    if status == 413:
        assert "för stor" in response.text


def test_pages_and_static_files_carry_the_headers(shared: TestClient) -> None:
    login(shared, "handlaggare")
    _assert_guarded(shared.get("/"))
    _assert_guarded(shared.get("/static/style.css"), cacheable=True)
    shared.cookies.clear()


def test_a_chunked_form_under_the_limit_is_read(shared: TestClient) -> None:
    """The limit counts bytes; a chunked body under it reaches the view (here: a bad login)."""
    client = shared
    csrf = token(client)
    body = f"csrf_token={csrf}&username=finns-inte&password=fel&next=/".encode()
    response = client.post(
        "/logga-in",
        content=iter([body[:10], body[10:]]),
        headers=FORM,
    )
    assert response.status_code == 401
    _assert_guarded(response)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The desk under a real uvicorn on a loopback port, with one route that fails."""
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'edge.db'}"
    migrate.upgrade(url)
    seed(url)
    app = create_app(Settings(mode=Mode.DEMO, database_url=url))

    def fails() -> None:
        raise RuntimeError("ett fel som ingen vy fångar")

    app.add_api_route("/test-fel", fails)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", ws="none")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        assert thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join()


def test_a_server_error_carries_the_headers(server: str) -> None:
    response = httpx.get(f"{server}/test-fel")
    assert response.status_code == 500
    _assert_guarded(response)


def test_a_chunked_body_over_the_limit_is_413_on_a_real_server(server: str) -> None:
    with socket.create_connection(("127.0.0.1", int(server.rsplit(":", 1)[1]))) as sock:
        head = (
            "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b"a" * (64 * 1024)
        sent = 0
        while sent <= MAX_BODY:
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        sock.sendall(b"0\r\n\r\n")
        answer = b""
        while not answer.endswith(b"}") and (data := sock.recv(65536)):
            answer += data
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    headers = {
        k.strip().lower(): v.strip()
        for k, _, v in (
            line.decode().partition(":") for line in rest.split(b"\r\n\r\n")[0].split(b"\r\n")
        )
    }
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower()] == value
    assert headers["cache-control"] == "no-store"


def test_an_address_or_a_method_the_desk_lacks_is_answered_in_swedish(shared: TestClient) -> None:
    """The desk answers with its own page, never FastAPI's English JSON; the API keeps JSON."""
    missing = shared.get("/finns-inte")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Sidan finns inte" in missing.text
    assert "Not Found" not in missing.text

    wrong_method = shared.delete("/logga-in")
    assert wrong_method.status_code == 405
    assert "Det går inte att göra så här" in wrong_method.text
    assert "GET" in wrong_method.headers["allow"]

    # A form the login page never sends: a user name longer than its field allows.
    unread = shared.post(
        "/logga-in", data={"csrf_token": token(shared), "username": "x-ingen-sådan-" * 5}
    )
    assert unread.status_code == 422
    assert unread.headers["content-type"].startswith("text/html")
    assert "Uppgifterna kunde inte tas emot" in unread.text
    assert "Kontrollera username." in unread.text
    assert "x-ingen-sådan-" not in unread.text  # what was sent is never echoed
    _assert_guarded(unread)

    api = shared.get("/api/v1/finns-inte")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/json")
