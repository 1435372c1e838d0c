"""Log in through OpenID Connect, against a tiny provider started on loopback for each test.

The provider serves discovery, JWKS, an authorize endpoint that logs a chosen user in at once
and redirects back with a code, and a token endpoint that checks the client secret and the
PKCE verifier and issues an RS256-signed ID token (joserfc). No other network is used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from pydantic import SecretStr, ValidationError
from sqlalchemy import update

from barnskydd.core.db import make_engine
from barnskydd.core.settings import Mode, Settings
from barnskydd.staff.models import StaffMember
from barnskydd.web.app import create_app
from tests.web.conftest import TestClient

CLIENT_ID = "barnskydd"
CLIENT_SECRET = "provider-test-secret"


def _key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})


_published_key = cache(_key)  # one key for every test; a foreign one is made when needed


@dataclass
class Provider:
    """What the provider does next: who logs in, with which claims, signed with which key."""

    issuer: str = ""
    username: str = "handlaggare"
    extra_claims: dict[str, Any] = field(default_factory=dict)
    published: RSAKey = field(default_factory=_published_key)
    signing: RSAKey | None = None  # None: the published key
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Log the user in at once and return where to send the browser back."""
        self.authorize_requests.append(query)
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        """Check the client, the one-time code and the PKCE verifier; issue the tokens."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        request = self.codes.pop(form.get("code", ""), None)
        if authorization != f"Basic {expected}" or request is None:
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if (
            challenge != request["code_challenge"]
            or form["redirect_uri"] != request["redirect_uri"]
        ):
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"sub-{self.username}",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": request["nonce"],
            "preferred_username": self.username,
            **self.extra_claims,
        }
        key = self.signing or self.published
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
        return 200, {"access_token": "at", "token_type": "Bearer", "id_token": id_token}


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict[str, Any] | None, location: str = "") -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            data = json.dumps(body).encode() if body is not None else b""
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, {"keys": [provider.published.as_dict(private=False)]})
            elif url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                self._send(302, None, provider.authorize(query))
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            status, body = provider.token(form, self.headers.get("Authorization", ""))
            self._send(status, body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def provider() -> Iterator[Provider]:
    """Serve a provider on a free loopback port for one test."""
    state = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def _oidc_client(settings: Settings, issuer: str, **overrides: Any) -> TestClient:
    configured = Settings(
        mode=Mode.DEMO,
        database_url=settings.database_url,
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
        **overrides,
    )
    return TestClient(create_app(configured))


@pytest.fixture
def oidc(settings: Settings, provider: Provider) -> Iterator[TestClient]:
    """A browser-like client on an app that logs in through the provider."""
    with _oidc_client(settings, provider.issuer) as client:
        yield client


def _through_provider(client: TestClient, start: str = "/logga-in/oidc") -> str:
    """Follow the login to the provider and return the callback URL it sends back."""
    redirect = client.get(start, follow_redirects=False)
    assert redirect.status_code == 302, redirect.text
    answer = httpx.get(redirect.headers["location"], follow_redirects=False, trust_env=False)
    assert answer.status_code == 302
    return answer.headers["location"]


def test_login_runs_the_code_flow_with_pkce_state_and_nonce(
    oidc: TestClient, provider: Provider
) -> None:
    login_page = oidc.get("/logga-in?next=/anmalan/ny").text
    assert 'href="/logga-in/oidc?next=/anmalan/ny"' in login_page
    callback = _through_provider(oidc, "/logga-in/oidc?next=/anmalan/ny")
    [sent] = provider.authorize_requests
    assert sent["response_type"] == "code"
    assert sent["client_id"] == CLIENT_ID
    assert "openid" in sent["scope"].split()
    assert sent["code_challenge_method"] == "S256"
    assert len(sent["state"]) >= 20
    assert len(sent["nonce"]) >= 20
    assert sent["redirect_uri"] == "http://testserver/logga-in/oidc/callback"
    done = oidc.get(callback, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/anmalan/ny"
    assert "Inloggad som <strong>handlaggare</strong>" in oidc.get("/").text
    assert provider.codes == {}  # the code was redeemed, with the right PKCE verifier


def test_unknown_and_inactive_users_are_refused(
    oidc: TestClient, provider: Provider, settings: Settings
) -> None:
    provider.username = "finns-inte"
    refused = oidc.get(_through_provider(oidc), follow_redirects=False)
    assert refused.status_code == 403
    assert "inget aktivt konto" in refused.text
    assert oidc.get("/", follow_redirects=False).status_code == 303
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(
            update(StaffMember).where(StaffMember.username == "admin").values(active=False)
        )
    engine.dispose()
    provider.username = "admin"
    assert oidc.get(_through_provider(oidc), follow_redirects=False).status_code == 403
    assert oidc.get("/", follow_redirects=False).status_code == 303


def test_the_configured_claim_names_the_user_and_next_stays_local(
    settings: Settings, provider: Provider
) -> None:
    provider.extra_claims = {"upn": "arbetsledare"}
    with _oidc_client(settings, provider.issuer, oidc_username_claim="upn") as client:
        callback = _through_provider(client, "/logga-in/oidc?next=//evil.example/")
        done = client.get(callback, follow_redirects=False)
        assert done.headers["location"] == "/"
        assert "Inloggad som <strong>arbetsledare</strong>" in client.get("/").text


def test_a_tampered_state_or_a_replayed_code_is_refused(oidc: TestClient) -> None:
    callback = _through_provider(oidc)
    url = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    tampered = oidc.get(f"{url.path}?{urlencode({**query, 'state': 'forged'})}")
    assert tampered.status_code == 400
    assert oidc.get("/", follow_redirects=False).status_code == 303

    callback = _through_provider(oidc)
    assert oidc.get(callback, follow_redirects=False).status_code == 303
    oidc.post("/logga-ut", data={"csrf_token": oidc.get("/api/v1/session").json()["csrf_token"]})
    assert oidc.get(callback, follow_redirects=False).status_code == 400
    assert oidc.get("/", follow_redirects=False).status_code == 303


def test_an_id_token_that_does_not_check_out_is_refused(
    oidc: TestClient, provider: Provider
) -> None:
    now = int(time.time())
    troubles: dict[str, dict[str, Any]] = {
        "foreign key": {},
        "wrong nonce": {"nonce": "planted"},
        "wrong audience": {"aud": "another-client"},
        "wrong issuer": {"iss": "https://idp.example"},
        "expired": {"exp": now - 3600, "iat": now - 7200},
    }
    for trouble, claims in troubles.items():
        provider.signing = _key() if trouble == "foreign key" else None
        provider.extra_claims = claims
        refused = oidc.get(_through_provider(oidc), follow_redirects=False)
        assert refused.status_code == 400, trouble
        assert "Inloggningen kunde inte slutföras" in refused.text
        assert oidc.get("/", follow_redirects=False).status_code == 303


def test_an_unreachable_provider_is_a_page_not_a_stack_trace(settings: Settings) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    issuer = f"http://127.0.0.1:{closed.server_address[1]}"
    closed.server_close()  # nothing listens on the port any more
    with _oidc_client(settings, issuer) as client:
        response = client.get("/logga-in/oidc", follow_redirects=False)
    assert response.status_code == 502
    assert "svarar inte" in response.text


def test_without_an_issuer_there_is_no_oidc_login(client: TestClient) -> None:
    assert client.get("/logga-in/oidc").status_code == 404
    assert "/logga-in/oidc" not in client.get("/logga-in").text


def test_settings_refuse_an_incomplete_or_plain_http_provider() -> None:
    with pytest.raises(ValidationError, match="BARNSKYDD_OIDC_CLIENT_ID"):
        Settings(oidc_issuer="https://idp.example")
    with pytest.raises(ValidationError, match="https"):
        Settings(
            mode=Mode.PRODUCTION,
            secret_key=SecretStr("a-secret-of-our-own"),
            oidc_issuer="http://idp.example",
            oidc_client_id=CLIENT_ID,
        )
