"""The app factory: middleware, routes, static files and domain errors as HTML pages."""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import DomainError, NotFound, PermissionDenied
from barnskydd.core.settings import Mode, Settings
from barnskydd.core.unhandled import ScrubUnhandled
from barnskydd.law.calendar import is_non_working_day
from barnskydd.staff.passwords import set_demo_passwords
from barnskydd.web import (
    auth,
    case_page,
    draft_views,
    letters,
    lookup_views,
    notice_views,
    search_views,
    team_views,
    views,
)
from barnskydd.web.api import PREFIX as API_PREFIX
from barnskydd.web.api import create_api
from barnskydd.web.deps import LoginRequired
from barnskydd.web.forms import FormInvalid
from barnskydd.web.oidc import install as install_oidc
from barnskydd.web.security import IDLE_TIMEOUT, CsrfRefused, LoginGuard
from barnskydd.web.templating import environment, render

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Add the security headers to every response, and no-store to all but static files.

    Plain ASGI rather than @app.middleware("http"), whose BaseHTTPMiddleware runs each request
    in an extra task and stream, a measurable share of a short request's time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(SECURITY_HEADERS)
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def warm_up() -> None:
    """Do the first-use work now rather than in the first requests (imports, compiles)."""
    this_year = today().year
    for year in (this_year - 1, this_year, this_year + 1):  # the holidays library's calendars
        is_non_working_day(dt.date(year, 1, 1))
    for name in environment.list_templates():
        if name.endswith(".html"):
            environment.get_template(name)
    # What is loaded by now lives as long as the process: out of the collector's sight, a full
    # collection (which stops every request of the process) has far fewer objects to walk.
    gc.collect()
    gc.freeze()


def create_app(settings: Settings) -> FastAPI:
    """Build the web app for the given settings."""
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warm_up()
        if settings.mode is Mode.DEMO:
            with transaction(app.state.session_factory) as session:
                names = set_demo_passwords(session, settings=settings)
            log.info("demo accounts ready: %s", ", ".join(names) or "none")
        yield
        engine.dispose()

    app = FastAPI(
        title="Barnskydd", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.settings = settings
    app.state.session_factory = session_factory(engine)
    app.state.login_guard = LoginGuard()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="barnskydd_session",
        max_age=IDLE_TIMEOUT,
        same_site="lax",
        https_only=settings.mode is not Mode.DEMO,
    )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(ScrubUnhandled)  # outermost: a 500's log line carries no input
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(views.router)
    app.include_router(case_page.router)
    app.include_router(draft_views.router)
    app.include_router(letters.router)
    app.include_router(lookup_views.router)
    app.include_router(notice_views.router)
    app.include_router(search_views.router)
    app.include_router(team_views.router)
    install_oidc(app, settings)
    app.mount(API_PREFIX, create_api(app.state))
    _add_error_pages(app)
    return app


def _add_error_pages(app: FastAPI) -> None:
    async def login_required(request: Request, _: Exception) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/logga-in?next={quote(target)}", status_code=303)

    async def csrf_refused(request: Request, _: Exception) -> Response:
        return render(
            request,
            "error.html",
            {
                "heading": "Formuläret kunde inte skickas",
                "detail": "Sidan var för gammal eller kom inte från Barnskydd. "
                "Ladda om och försök igen.",
            },
            status_code=403,
        )

    async def denied(request: Request, error: Exception) -> Response:
        detail = error.message if isinstance(error, PermissionDenied) else ""
        return render(
            request, "error.html", {"heading": "Åtkomst nekad", "detail": detail}, status_code=403
        )

    async def not_found(request: Request, error: Exception) -> Response:
        detail = error.message if isinstance(error, NotFound) else ""
        return render(
            request, "error.html", {"heading": "Hittades inte", "detail": detail}, status_code=404
        )

    async def invalid(request: Request, error: Exception) -> Response:
        detail = error.message if isinstance(error, DomainError) else ""
        return render(
            request,
            "error.html",
            {"heading": "Uppgifterna kunde inte sparas", "detail": detail},
            status_code=422,
        )

    async def form_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, FormInvalid)
        return render(request, error.template, error.context, status_code=422)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(PermissionDenied, denied)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(FormInvalid, form_invalid)
    # Last resort for a domain error a view did not turn into a form message (the
    # transaction is rolled back by SessionDep, so nothing is kept).
    app.add_exception_handler(DomainError, invalid)
