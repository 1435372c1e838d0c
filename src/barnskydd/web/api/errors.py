"""Errors as JSON: a Swedish message, one per field for refused input, a status per kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from barnskydd.core.errors import DomainError, ForbiddenTransition, NotFound, PermissionDenied
from barnskydd.core.messages import MESSAGES, message
from barnskydd.web.api.schemas import ErrorRead
from barnskydd.web.deps import LoginRequired
from barnskydd.web.security import CsrfRefused

INVALID = "Uppgifterna kunde inte tas emot. Se felen per fält."
NOT_LOGGED_IN = "Du är inte inloggad. Logga in med POST /api/v1/session."
CSRF = "CSRF-token saknas eller stämmer inte: skicka sessionens token i X-CSRF-Token."
HTTP_MESSAGES = {
    404: "Adressen finns inte i API:t.",
    405: "Metoden stöds inte för den här adressen.",
}
# Services name some fields after their own arguments; the API names them after its schemas
# (a guardian's schema names them as the services do: identity, first_name, last_name).
FIELD_RENAMES = {
    "identity": "child_identity",
    "first_name": "child_first_name",
    "last_name": "child_last_name",
    "received": "received_at",
    "code": "transferred_to",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI description of the error statuses a route can answer with."""
    return {
        status: {"model": ErrorRead, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def error(status: int, detail: str, errors: Mapping[str, str] | None = None) -> JSONResponse:
    """Return an ErrorRead response."""
    body = ErrorRead(detail=detail, errors=dict(errors or {}))
    return JSONResponse(body.model_dump(), status_code=status)


def field_name(loc: Sequence[int | str]) -> str:
    """Name a field by its place after body, query or path: 'concerns.0', 'purpose'."""
    return ".".join(str(part) for part in loc[1:])


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields: dict[str, str] = {}
    detail = INVALID
    for item in exc.errors():
        loc = item["loc"]
        if len(loc) < 2 or item["type"] == "json_invalid":
            detail = message(item)  # the body as a whole (missing, not JSON, a model rule)
            continue
        name = field_name(loc)
        fields.setdefault(name, message(item))
    return error(422, detail, fields)


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, ForbiddenTransition):
        status = 409
    elif isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, PermissionDenied):
        status = 403
    else:
        status = 422
    renames = {} if "/guardians" in request.url.path else FIELD_RENAMES
    field = renames.get(exc.field, exc.field) if exc.field else None
    return error(status, exc.message, {field: exc.message} if field else None)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it cannot decode (not UTF-8, say); JSON it cannot parse
        # is already a 422, so every unreadable body is answered the same way.
        return error(422, MESSAGES["json_invalid"])
    detail = exc.detail
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = HTTP_MESSAGES.get(exc.status_code, detail)
    response = error(exc.status_code, detail)
    response.headers.update(exc.headers or {})
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    return error(401, NOT_LOGGED_IN)


async def _csrf(request: Request, exc: Exception) -> Response:
    return error(403, CSRF)


def install(app: FastAPI) -> None:
    """Answer every refusal of the API as JSON (ErrorRead)."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfRefused, _csrf)
