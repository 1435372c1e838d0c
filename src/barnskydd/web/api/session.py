"""Log in and out through the API: the same accounts, cookie and lock-out as the desk."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from barnskydd.core.actor import Actor
from barnskydd.staff import service as staff
from barnskydd.web.api.deps import ApiUser, Writer
from barnskydd.web.api.errors import responses
from barnskydd.web.api.schemas import Credentials, SessionRead
from barnskydd.web.auth import BAD_LOGIN, LOCKED
from barnskydd.web.security import LoginGuard, LoginOutcome, csrf_token, start_session

log = logging.getLogger(__name__)
router = APIRouter(prefix="/session", tags=["session"])


def _read(request: Request, actor: Actor, display_name: str) -> SessionRead:
    return SessionRead(
        username=actor.username,
        display_name=display_name,
        role=actor.role,
        unit_id=actor.unit_id,
        csrf_token=csrf_token(request),
    )


@router.post("", response_model=SessionRead, responses=responses(401, 422, 429))
def login(request: Request, credentials: Credentials) -> SessionRead | JSONResponse:
    """Check a local account's password and start a session (sets the session cookie)."""
    guard: LoginGuard = request.app.state.login_guard
    result = guard.authenticate(credentials.username, credentials.password)
    if result.outcome is LoginOutcome.BAD:
        log.info("api login failed")
        return JSONResponse({"detail": BAD_LOGIN}, status_code=401)
    if result.member is None:
        log.warning("api login refused: %s", result.outcome.value)
        raise HTTPException(429, LOCKED)
    start_session(request, result.member.id)
    return _read(request, staff.actor_for(result.member), result.member.display_name)


@router.get("", responses=responses(401))
def whoami(request: Request, user: ApiUser) -> SessionRead:
    """Return who is logged in and the session's CSRF token."""
    return _read(request, user, request.state.display_name)


@router.delete("", status_code=204, responses=responses(401, 403))
def logout(request: Request, user: Writer) -> None:
    """End the session."""
    request.session.clear()
