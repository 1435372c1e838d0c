"""Jinja2 templates (autoescaped) and the one render function every view uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.responses import Response

from barnskydd.core.clock import SWEDEN
from barnskydd.web.security import csrf_token


def _local(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M")


def _days(value: int | None) -> str:
    if value is None:
        return ""
    if value < 0:
        return f"{-value} {'dag' if value == -1 else 'dagar'} försenad"
    if value == 0:
        return "Sista dagen idag"
    return f"{value} {'dag' if value == 1 else 'dagar'} kvar"


environment = Environment(
    loader=PackageLoader("barnskydd.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package; no stat() of the file per render
)
environment.filters["local"] = _local
environment.filters["days"] = _days
templates = Jinja2Templates(env=environment)


def _take_notice(request: Request) -> str | None:
    """Pop the one-time notice, unless this is an htmx fragment that would swallow it."""
    fragment = "HX-Request" in request.headers and "HX-Boosted" not in request.headers
    return None if fragment else request.session.pop("flash", None)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Response:
    """Render a template with the user, the CSRF token and the given context."""
    full: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "errors": {},
        "values": {},
        "message": _take_notice(request),
        "unread_notices": getattr(request.state, "unread_notices", 0),
    }
    full.update(context or {})
    return templates.TemplateResponse(request, name, full, status_code=status_code)
