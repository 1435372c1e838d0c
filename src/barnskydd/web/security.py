"""Session lifetime, CSRF tokens and the login guard (lock-out after repeated failures)."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from barnskydd.core.db import utcnow
from barnskydd.staff.models import LoginFailure

IDLE_TIMEOUT = 30 * 60  # seconds without a request before the session ends
ABSOLUTE_TIMEOUT = 10 * 60 * 60  # seconds after login before the session ends anyway
MAX_FAILURES = 5  # failed logins for one username before it is locked
LOCK_SECONDS = 15 * 60
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """Return the session's CSRF token, creating one when the session has none."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse a POST whose form field or header does not carry the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None:
        raise CsrfRefused
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused


@dataclass
class LoginGuard:
    """Lock a username after MAX_FAILURES failed logins within LOCK_SECONDS.

    The failures are rows in the database, so every app process (uvicorn worker) counts the
    same attempts; a failure is kept because the login view returns normally and its
    transaction commits.
    """

    clock: Callable[[], dt.datetime] = utcnow

    def locked(self, session: Session, username: str) -> bool:
        """Return whether the username is locked out right now."""
        since = self.clock() - dt.timedelta(seconds=LOCK_SECONDS)
        recent = session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.username == _key(username), LoginFailure.at > since)
        )
        return (recent or 0) >= MAX_FAILURES

    def failed(self, session: Session, username: str) -> None:
        """Record a failed login."""
        session.add(LoginFailure(username=_key(username), at=self.clock()))
        session.flush()

    def succeeded(self, session: Session, username: str) -> None:
        """Forget the failures of a username after a good login."""
        mine = LoginFailure.username == _key(username)
        # Looked for first: a DELETE is a write, and most logins have nothing to forget.
        if session.scalar(select(LoginFailure.id).where(mine).limit(1)) is not None:
            session.execute(delete(LoginFailure).where(mine))


def _key(username: str) -> str:
    return username.strip().lower()[:60]


def start_session(request: Request, staff_id: int) -> None:
    """Begin a fresh logged-in session (a new CSRF token, so a planted one is useless)."""
    request.session.clear()
    now = time.time()
    request.session.update({"uid": staff_id, "login": now, "seen": now})
    csrf_token(request)


def session_staff_id(request: Request) -> int | None:
    """Return the logged-in staff id, ending the session when it has timed out."""
    uid, login, seen = (request.session.get(k) for k in ("uid", "login", "seen"))
    if not isinstance(uid, int) or not isinstance(login, float) or not isinstance(seen, float):
        return None
    now = time.time()
    if now - seen > IDLE_TIMEOUT or now - login > ABSOLUTE_TIMEOUT:
        request.session.clear()
        return None
    request.session["seen"] = now
    return uid
