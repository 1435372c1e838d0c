"""Log in and out with a local account (argon2id); a few checks per username, then a lock."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from barnskydd.web.security import LoginGuard, LoginOutcome, start_session, verify_csrf
from barnskydd.web.templating import render

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(verify_csrf)])

BAD_LOGIN = "Fel användarnamn eller lösenord."
LOCKED = "För många misslyckade inloggningar. Kontot är spärrat en stund; försök igen senare."


def _safe_next(target: str | None) -> str:
    """Return a local path to go to after login (never another site)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/logga-in")
def login_form(request: Request, next: str | None = None) -> Response:
    """Show the login form."""
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/logga-in")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=60)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password and start a session, or show the form again."""
    guard: LoginGuard = request.app.state.login_guard
    name = username.strip()
    context = {"next": _safe_next(next), "values": {"username": name}}
    result = guard.authenticate(name, password)
    if result.outcome is LoginOutcome.BAD:
        log.info("login failed")
        return render(request, "login.html", {**context, "message": BAD_LOGIN}, status_code=401)
    if result.member is None:
        log.warning("login refused: %s", result.outcome.value)
        return render(request, "login.html", {**context, "message": LOCKED}, status_code=429)
    start_session(request, result.member.id)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logga-ut")
def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/logga-in", status_code=303)
