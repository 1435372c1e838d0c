"""Municipalities authenticate to the national services with short-lived Ed25519-signed JWTs.

Production uses mutual TLS at the load balancer as well (docs/lookup.md); the signed token is
what the application itself checks, so a test on loopback exercises the same refusals. The
services hold only public keys: a breached national service cannot speak for a municipality.

Signing and verifying an Ed25519 JWT costs a few hundred microseconds each, which at three
requests a lookup was a large share of a whole lookup's time. So a client reuses its token for
an audience until REUSE_SECONDS are left of its lifetime (a bearer token is valid for all of its
lifetime anyway; the services check no jti), and a service remembers the tokens whose
signature it has verified, by their exact bytes, until they expire: the claims are checked again
on every request, and a changed byte is a different token that is verified afresh.
"""

from __future__ import annotations

import json
import secrets
import threading
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
REUSE_SECONDS = 60  # a client makes a new token once less than this is left of the old one
VERIFIED_TOKENS = 10_000  # at most this many verified tokens remembered by a service


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
    """A municipality's signing key; makes short-lived tokens, one per audience at a time."""

    municipality: str
    key: OKPKey = field(repr=False)
    _tokens: dict[str, tuple[str, int]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

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

    def current_token(self, audience: str) -> str:
        """Return the token made last for the audience, or a new one when it runs out soon."""
        cached = self._tokens.get(audience)
        if cached is not None and cached[1] - time.time() > REUSE_SECONDS:
            return cached[0]
        token = self.token(audience)
        self._tokens[audience] = (token, int(time.time()) + TOKEN_SECONDS)
        return token

    def headers(self, audience: str) -> dict[str, str]:
        """Return the Authorization header for a request to a national service."""
        return {"Authorization": f"Bearer {self.current_token(audience)}"}


@dataclass(frozen=True)
class Registry:
    """The municipalities a national service knows, by kommunkod, with their public keys."""

    keys: dict[str, OKPKey] = field(repr=False)
    # (token, audience) -> (issuer, exp) of the tokens whose signature and claims verified.
    _verified: dict[tuple[str, str], tuple[str, int]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False, hash=False
    )

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
        remembered = self._verified.get((token, audience))
        if remembered is not None:
            issuer, expires = remembered
            if time.time() <= expires + LEEWAY_SECONDS:
                return issuer
            with self._lock:
                self._verified.pop((token, audience), None)
            raise Unauthenticated("Ogiltig eller utgången token.")
        issuer, expires = self._verify(token, audience)
        with self._lock:
            if len(self._verified) >= VERIFIED_TOKENS:
                self._forget_expired()
            if len(self._verified) < VERIFIED_TOKENS:
                self._verified[token, audience] = (issuer, expires)
        return issuer

    def _forget_expired(self) -> None:
        now = time.time()
        for key, (_, expires) in list(self._verified.items()):
            if now > expires + LEEWAY_SECONDS:
                del self._verified[key]

    def _verify(self, token: str, audience: str) -> tuple[str, int]:
        """Verify signature and claims; return the issuer and expiry or raise Unauthenticated."""
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
        expires = int(verified.claims["exp"])
        if expires - int(time.time()) > TOKEN_SECONDS + LEEWAY_SECONDS:
            raise Unauthenticated("Token gäller för länge.")
        return issuer, expires


def _unverified_claims(token: str) -> dict[str, Any]:
    """Read a token's claims without verifying them (empty when they cannot be read)."""
    try:
        payload = json.loads(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError, UnicodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _unverified_issuer(token: str) -> str | None:
    """Read the issuer claim unverified, only to pick the key that must then verify it."""
    issuer = _unverified_claims(token).get("iss")
    return issuer if isinstance(issuer, str) else None
