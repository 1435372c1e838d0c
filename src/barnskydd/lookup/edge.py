"""What both national services share at their edge: size limits, rate limits, auth, errors."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Scope

from barnskydd.core import asgi
from barnskydd.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from barnskydd.core.unhandled import ScrubUnhandled
from barnskydd.lookup.auth import Registry, Unauthenticated

MAX_BODY = 64 * 1024  # bytes; the largest legitimate request (a full batch) is well under
INVALID = "Förfrågan följer inte tjänstens schema."
NOT_JSON = "Innehållet är inte giltig JSON."


class RateLimited(DomainError):
    """The municipality has used up its allowance for now or for the day."""


class BodyLimit(asgi.BodyLimit):
    """Refuse a request body larger than max_bytes (413), chunked ones too, as JSON."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        super().__init__(app, max_bytes=max_bytes, too_large=_too_large)


def _too_large(_scope: Scope) -> JSONResponse:
    return JSONResponse({"detail": "För stor förfrågan."}, status_code=413)


@dataclass
class RateLimiter:
    """A token bucket per municipality plus a daily quota, both counted in items."""

    rate: float
    burst: int
    daily: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _days: dict[str, tuple[dt.date, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, municipality: str, items: int, today: dt.date) -> None:
        """Spend items from the municipality's allowance or raise RateLimited."""
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(municipality, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            day, used = self._days.get(municipality, (today, 0))
            used = used if day == today else 0
            if used + items > self.daily:
                raise RateLimited("Dagskvoten för kommunen är slut.")
            if items > tokens:
                self._buckets[municipality] = (tokens, now)
                raise RateLimited("För många förfrågningar; försök igen om en stund.")
            self._buckets[municipality] = (tokens - items, now)
            self._days[municipality] = (today, used + items)


def municipality_dependency(audience: str) -> Callable[[Request], Awaitable[str]]:
    """Return a FastAPI dependency giving the authenticated kommunkod."""

    async def authenticated(request: Request) -> str:
        # On the event loop, not in a worker thread: a remembered token is a dictionary
        # look-up, a new one a signature check of a few hundred microseconds.
        registry: Registry = request.app.state.registry
        return registry.verify(request.headers.get("authorization"), audience)

    return authenticated


STATUS: list[tuple[type[DomainError], int]] = [
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (RateLimited, 429),
    (InvalidInput, 400),
    (DomainError, 400),
]


def _field(loc: tuple[int | str, ...] | list[int | str]) -> str:
    return ".".join(str(part) for part in loc[1:]) or "body"


def add_error_handlers(app: FastAPI) -> None:
    """Answer domain errors and refused input as JSON with a 4xx status and a message.

    Refused input names the fields and what was wrong with them, never the value sent (which
    may not even be JSON-serialisable: NaN), and any other error leaves no input in the log.
    """

    async def handle(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, DomainError)
        status = next(code for kind, code in STATUS if isinstance(error, kind))
        body: dict[str, Any] = {"detail": error.message}
        if error.field:
            body["field"] = error.field
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    async def refused(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        fields = {_field(item["loc"]): item["type"] for item in error.errors()}
        return JSONResponse({"detail": INVALID, "fields": fields}, status_code=422)

    async def http(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        detail = NOT_JSON if error.status_code == 400 else error.detail
        return JSONResponse({"detail": detail}, status_code=error.status_code)

    app.add_exception_handler(DomainError, handle)
    app.add_exception_handler(RequestValidationError, refused)
    app.add_exception_handler(HTTPException, http)
    app.add_middleware(ScrubUnhandled)
