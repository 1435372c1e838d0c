"""The app factory: middleware, routes, static files and domain errors as HTML pages."""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from threading import Thread
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Scope

from barnskydd.core.asgi import BodyLimit, SecurityHeaders
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import DomainError, NotFound, PermissionDenied
from barnskydd.core.settings import Mode, Settings
from barnskydd.core.unhandled import ScrubUnhandled
from barnskydd.dictation import service as dictation_service
from barnskydd.dictation.audio import msg_too_large
from barnskydd.dictation.engine import ModelCheck
from barnskydd.law.calendar import is_non_working_day
from barnskydd.lookup import outbox as lookup_outbox
from barnskydd.staff import deployment
from barnskydd.staff.passwords import refuse_demo_passwords, set_demo_passwords
from barnskydd.web import (
    auth,
    case_page,
    communication_views,
    competence_views,
    decision_views,
    deviation_report_views,
    deviation_views,
    dictation_views,
    document_views,
    draft_views,
    extract_views,
    family_views,
    journal_views,
    letters,
    lookup_views,
    municipal_views,
    notice_views,
    plan_views,
    search_views,
    step_views,
    team_views,
    views,
    voice_stats,
    voice_views,
    workload_views,
)
from barnskydd.web.api import PREFIX as API_PREFIX
from barnskydd.web.api import create_api
from barnskydd.web.api import errors as api_errors
from barnskydd.web.deps import LoginRequired
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


MAX_BODY = 1024 * 1024  # bytes; the largest form (a draft of 100,000 characters) is well under
TOO_LARGE = "Förfrågan är för stor (högst 1 MiB)."


def _cacheable(scope: Scope, status: int) -> bool:
    """Static files (the same for everyone, no personal data) may be cached; nothing else."""
    return scope["path"].startswith("/static/") and status in (200, 304)


def _body_limit(scope: Scope) -> int:
    """Return the largest body the request may send: an upload's file, or MAX_BODY."""
    if dictation_views.is_upload(scope):
        return dictation_views.upload_body(scope["app"].state.settings)
    return document_views.UPLOAD_BODY if document_views.is_upload(scope) else MAX_BODY


def _too_large(scope: Scope) -> Response:
    if dictation_views.is_upload(scope):
        limit = scope["app"].state.settings.dictation_max_bytes
        message = f"<p>{msg_too_large(limit)}</p>"
        return HTMLResponse(
            f'<div class="dictation-state refused" role="alert">{message}</div>', 413
        )
    upload = document_views.is_upload(scope)
    detail = document_views.TOO_LARGE if upload else TOO_LARGE
    if scope["path"].startswith(API_PREFIX + "/") or scope["path"] == API_PREFIX:
        errors = {"file": detail} if upload else {}
        return JSONResponse({"detail": detail, "errors": errors}, status_code=413)
    back = document_views.back_link(scope) if upload else '<a href="/">Till startsidan</a>'
    page = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>För stor förfrågan – Barnskydd</title></head><body><h1>{detail}</h1>"
        f"<p>{back}</p></body></html>"
    )
    return HTMLResponse(page, status_code=413)


class Desk(FastAPI):
    """The desk's app, with its edge outside everything Starlette adds.

    Starlette puts ServerErrorMiddleware outside every added middleware, so a header added by
    add_middleware never reaches the 500 page. Here the security headers and the body limit
    wrap the whole stack (ServerErrorMiddleware, the session, the routes and the mounted API):
    every response, 404, 405, 413, 422, 500 and the static files, carries the headers. And
    an unhandled error is replaced, on its way out to the server's log, by one without input.
    """

    def build_middleware_stack(self) -> ASGIApp:
        """Return Starlette's stack inside the body limit, the security headers and the scrub."""
        limited = BodyLimit(
            super().build_middleware_stack(), max_bytes=_body_limit, too_large=_too_large
        )
        headed = SecurityHeaders(limited, headers=SECURITY_HEADERS, cacheable=_cacheable)
        return ScrubUnhandled(headed)  # outermost: what reaches the server's log has no input


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


def agree_on_municipality(engine: Engine, settings: Settings) -> None:
    """Refuse to start when the setting names another municipality than the database serves."""
    try:
        with transaction(session_factory(engine)) as session:
            deployment.agree(session, configured=settings.municipality_code)
    except DomainError as error:
        log.error("startup refused: %s", error.message)
        engine.dispose()
        raise


def _log_model_digests(check: ModelCheck) -> None:
    for name, digest in check.sha256().items():
        log.info("dictation model file %s sha256 %s", name, digest)


def create_app(settings: Settings) -> FastAPI:
    """Build the web app for the given settings.

    In production mode, raise DemoPasswordsLeft while an account still has the demo password.
    """
    engine = make_engine(settings.database_url)
    lookup_outbox.subscribe()  # the national lookup hears of reports and steps

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        agree_on_municipality(engine, settings)
        warm_up()
        with transaction(app.state.session_factory) as session:  # also without a worker
            dictation_service.purge_expired(session)
        check = dictation_views.model_check_of(app)
        if check.ok:
            log.info("dictation model present: %s", ", ".join(check.files))
            # Each file's sha256, read beside the start (a large model takes seconds to hash).
            Thread(target=_log_model_digests, args=(check,), daemon=True).start()
        else:
            log.info("dictation unavailable: %s", check.message)
        if settings.mode is Mode.DEMO:
            with transaction(app.state.session_factory) as session:
                names = set_demo_passwords(session, settings=settings)
            log.info("demo accounts ready: %s", ", ".join(names) or "none")
        yield
        engine.dispose()

    app = Desk(
        title="Barnskydd", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.settings = settings
    app.state.session_factory = session_factory(engine)
    if settings.mode is Mode.PRODUCTION:  # a database once used for the demo: refuse to start
        try:
            with transaction(app.state.session_factory) as session:
                refuse_demo_passwords(session, settings=settings)
        except BaseException:
            engine.dispose()
            raise
    app.state.login_guard = LoginGuard(app.state.session_factory)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="barnskydd_session",
        max_age=IDLE_TIMEOUT,
        same_site="lax",
        https_only=settings.mode is not Mode.DEMO,
    )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(views.router)
    app.include_router(case_page.router)
    app.include_router(step_views.router)
    app.include_router(journal_views.router)
    app.include_router(decision_views.router)
    app.include_router(draft_views.router)
    app.include_router(family_views.router)
    app.include_router(plan_views.router)
    app.include_router(communication_views.router)
    app.include_router(document_views.router)
    app.include_router(letters.router)
    app.include_router(lookup_views.router)
    app.include_router(notice_views.router)
    app.include_router(search_views.router)
    app.include_router(team_views.router)
    app.include_router(extract_views.router)
    app.include_router(voice_views.router)
    app.include_router(voice_stats.router)
    app.include_router(competence_views.router)
    app.include_router(municipal_views.router)
    app.include_router(deviation_report_views.router)  # before /avvikelser/{id}
    app.include_router(deviation_views.router)
    app.include_router(workload_views.router)
    app.include_router(dictation_views.router)
    install_oidc(app, settings)
    app.mount(API_PREFIX, create_api(app.state))
    _add_error_pages(app)
    return app


# The desk's answer to an address or a method it does not have (the API answers in JSON).
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Begäran kunde inte tas emot", "Försök igen från Barnskydds egna sidor."),
    404: ("Sidan finns inte", "Adressen finns inte i Barnskydd. Kontrollera länken."),
    405: ("Det går inte att göra så här", "Sidan tar inte emot den sortens begäran."),
}


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

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        status = error.status_code
        if request.url.path.startswith(API_PREFIX + "/"):
            # An API address the mount does not match (a newline in a path parameter: the
            # mount's pattern does not cross it) answers as the API does, in JSON.
            return api_errors.error(status, api_errors.HTTP_MESSAGES.get(status, "Fel i begäran."))
        heading, detail = HTTP_ERRORS.get(status, HTTP_ERRORS[400])
        response = render(
            request, "error.html", {"heading": heading, "detail": detail}, status_code=status
        )
        response.headers.update(error.headers or {})  # a 405 says what is allowed
        return response

    async def unreadable(request: Request, error: Exception) -> Response:
        # A form or an address the desk's own pages never send (their forms are checked
        # field by field); name the fields, never echo what was sent.
        assert isinstance(error, RequestValidationError)
        fields = sorted({str(item["loc"][-1]) for item in error.errors() if item.get("loc")})
        detail = "Kontrollera " + ", ".join(fields) + "." if fields else ""
        return render(
            request,
            "error.html",
            {"heading": "Uppgifterna kunde inte tas emot", "detail": detail},
            status_code=422,
        )

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, unreadable)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(PermissionDenied, denied)
    app.add_exception_handler(NotFound, not_found)
    # Last resort for a domain error a view did not turn into a form message (the
    # transaction is rolled back by SessionDep, so nothing is kept).
    app.add_exception_handler(DomainError, invalid)
