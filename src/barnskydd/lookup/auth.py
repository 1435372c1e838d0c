"""Municipalities authenticate to the national services with short-lived Ed25519-signed JWTs.

Production uses mutual TLS at the load balancer as well (docs/lookup.md); the signed token is
what the application itself checks, so a test on loopback exercises the same refusals. The
services hold only public keys: a breached national service cannot speak for a municipality.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from barnskydd.core.errors import DomainError

ALGORITHM = "Ed25519"  # RFC 9864's fully specified name for EdDSA over Ed25519
PSEUDONYMISER = "barnskydd-pseudonymiser"
INDEX = "barnskydd-lookup-index"
TOKEN_SECONDS = 120
LEEWAY_SECONDS = 30


class Unauthenticated(DomainError):
    """A request without a valid token from a registered municipality."""


def generate_key() -> dict[str, Any]:
    """Return a new Ed25519 private key as a JWK dict."""
    return dict(OKPKey.generate_key("Ed25519").as_dict(private=True))


def public_part(private_jwk: dict[str, Any]) -> dict[str, Any]:
    """Return the public JWK of a private one."""
    return dict(OKPKey.import_key(private_jwk).as_dict(private=False))


@dataclass(frozen=True)
class Signer:
    """A municipality's signing key; makes one short-lived token per request."""

    municipality: str
    key: OKPKey = field(repr=False)

    @classmethod
    def from_file(cls, municipality: str, path: Path) -> Signer:
        """Load the municipality's private JWK from a file."""
        return cls(municipality, OKPKey.import_key(json.loads(path.read_text(encoding="utf-8"))))

    def token(self, audience: str) -> str:
        """Return a token for one national service, valid for TOKEN_SECONDS."""
        now = int(time.time())
        claims = {
            "iss": self.municipality,
            "sub": self.municipality,
            "aud": audience,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "jti": secrets.token_urlsafe(12),
        }
        return jwt.encode({"alg": ALGORITHM}, claims, self.key, algorithms=[ALGORITHM])

    def headers(self, audience: str) -> dict[str, str]:
        """Return the Authorization header for a request to a national service."""
        return {"Authorization": f"Bearer {self.token(audience)}"}


@dataclass(frozen=True)
class Registry:
    """The municipalities a national service knows, by kommunkod, with their public keys."""

    keys: dict[str, OKPKey] = field(repr=False)

    @classmethod
    def from_file(cls, path: Path) -> Registry:
        """Load {"municipalities": {"1480": {public JWK}, ...}} from a file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({code: OKPKey.import_key(jwk) for code, jwk in data["municipalities"].items()})

    def verify(self, authorization: str | None, audience: str) -> str:
        """Return the kommunkod a bearer token speaks for, or raise Unauthenticated."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("Bearer-token saknas.")
        issuer = _unverified_issuer(token)
        key = self.keys.get(issuer or "")
        if issuer is None or key is None:
            raise Unauthenticated("Okänd kommun.")
        try:
            verified = jwt.decode(token, key, algorithms=[ALGORITHM])
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": issuer},
                aud={"essential": True, "value": audience},
                exp={"essential": True},
            ).validate(verified.claims)
        except (JoseError, ValueError) as error:
            raise Unauthenticated("Ogiltig eller utgången token.") from error
        if int(verified.claims["exp"]) - int(time.time()) > TOKEN_SECONDS + LEEWAY_SECONDS:
            raise Unauthenticated("Token gäller för länge.")
        return issuer


def _unverified_issuer(token: str) -> str | None:
    """Read the issuer claim unverified, only to pick the key that must then verify it."""
    try:
        payload = json.loads(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError, UnicodeError):
        return None
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    return issuer if isinstance(issuer, str) else None
