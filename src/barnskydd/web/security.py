"""Session lifetime, CSRF tokens and the login guard (lock-out after repeated failures)."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fastapi import Request
from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as lite_insert
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.db import transaction, utcnow
from barnskydd.staff import passwords
from barnskydd.staff.models import LoginAttempt, StaffMember

IDLE_TIMEOUT = 30 * 60  # seconds without a request before the session ends
ABSOLUTE_TIMEOUT = 10 * 60 * 60  # seconds after login before the session ends anyway
MAX_FAILURES = 5  # password checks for one username per window; then it is locked
LOCK_SECONDS = 15 * 60  # the window, from its first check
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


async def closing_form(request: Request) -> AsyncIterator[None]:
    """Close the request's parsed form when the request is done, refused or not.

    A multipart form spools each file to a temporary file; FastAPI closes those only of forms
    it parsed for the route's own parameters, not the one verify_csrf parsed. Put it before
    verify_csrf in a router's dependencies.
    """
    try:
        yield
    finally:
        await request.close()


@dataclass(frozen=True, slots=True)
class Reservation:
    """The right to check one password: the `number`-th check of the window begun at `window`."""

    key: str
    window: dt.datetime
    number: int


class LoginOutcome(Enum):
    """How a password check ended."""

    OK = "ok"
    BAD = "bad"  # no such active account, or the wrong password
    LOCKED = "locked"  # no check left to reserve: refused unchecked
    LOCKED_WHILE_CHECKED = "locked_while_checked"  # other checks used the window up meanwhile


@dataclass(frozen=True, slots=True)
class Login:
    """The outcome of `LoginGuard.authenticate`, with the account when it succeeded."""

    outcome: LoginOutcome
    member: StaffMember | None = None


@dataclass
class LoginGuard:
    """Allow at most MAX_FAILURES password checks per username in a window of LOCK_SECONDS.

    A check is reserved before the password is verified, by one conditional UPDATE of the
    username's row in a short transaction of its own, committed before argon2 runs (no database
    lock is held while it does). Every app process (uvicorn worker) reserves from the same row
    and the database makes the reservations one at a time (PostgreSQL's row lock, SQLite's
    write lock), so forty guesses sent at once get at most MAX_FAILURES checks between them and
    the others are refused unchecked. When the reservations are used up the username is locked
    until the window, counted from its first check, has passed: even the right password is then
    refused. A good password forgets the window, unless the account was locked meanwhile by
    checks reserved after its own (see `succeeded`).

    A row whose window has ended says nothing a missing row would not, so the rows of every
    other username whose window ended are swept away, at most once a window per process and
    never waiting for a row another login holds (SKIP LOCKED): guesses at names that do not
    exist leave no lasting trace in the table.
    """

    factory: sessionmaker[Session]
    clock: Callable[[], dt.datetime] = utcnow
    _swept: dt.datetime | None = field(default=None, init=False, repr=False)

    def reserve(self, username: str) -> Reservation | None:
        """Reserve one password check for the username, or return None when it is locked."""
        key = _key(username)
        now = self.clock()
        with transaction(self.factory) as session:
            row = self._reserve(session, key, now)
            if row is None and not self._exists(session, key):
                # A sweep removed the ended window between our insert and our update.
                row = self._reserve(session, key, now)
            if self._swept is None or now - self._swept >= dt.timedelta(seconds=LOCK_SECONDS):
                self._sweep(session, key, now)
        return None if row is None else Reservation(key=key, window=row[0], number=row[1])

    @staticmethod
    def _reserve(session: Session, key: str, now: dt.datetime) -> Any:
        expired = LoginAttempt.window_start <= now - dt.timedelta(seconds=LOCK_SECONDS)
        at_now = literal(now, LoginAttempt.window_start.type)
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else lite_insert
        session.execute(
            insert(LoginAttempt)
            .values(username=key, window_start=now, attempts=0)
            .on_conflict_do_nothing(index_elements=[LoginAttempt.username])
        )
        return session.execute(
            update(LoginAttempt)
            .where(
                LoginAttempt.username == key,
                or_(LoginAttempt.attempts < MAX_FAILURES, expired),
            )
            .values(
                attempts=case((expired, 1), else_=LoginAttempt.attempts + 1),
                window_start=case((expired, at_now), else_=LoginAttempt.window_start),
            )
            .returning(LoginAttempt.window_start, LoginAttempt.attempts)
        ).first()

    @staticmethod
    def _exists(session: Session, key: str) -> bool:
        found = session.scalar(select(LoginAttempt.username).where(LoginAttempt.username == key))
        return found is not None

    def _sweep(self, session: Session, key: str, now: dt.datetime) -> None:
        ended = (
            select(LoginAttempt.username)
            .where(
                LoginAttempt.window_start <= now - dt.timedelta(seconds=LOCK_SECONDS),
                LoginAttempt.username != key,
            )
            .with_for_update(skip_locked=True)
        )
        session.execute(delete(LoginAttempt).where(LoginAttempt.username.in_(ended)))
        self._swept = now

    def succeeded(self, reservation: Reservation) -> bool:
        """Forget the window after a good password; return False when the account is locked.

        The good password counts only if the account was not locked before it was checked:
        the window still has checks left, or this check took the last one (nothing was
        reserved after it). Otherwise other checks used the window up while argon2 ran, and
        the login is refused like any other once locked.
        """
        took_the_last = and_(
            LoginAttempt.attempts == reservation.number,
            LoginAttempt.window_start == reservation.window,
        )
        with transaction(self.factory) as session:
            forgotten = session.execute(
                delete(LoginAttempt)
                .where(
                    LoginAttempt.username == reservation.key,
                    or_(LoginAttempt.attempts < MAX_FAILURES, took_the_last),
                )
                .returning(LoginAttempt.username)
            ).first()
            if forgotten is not None:
                return True
            # Nothing forgotten: locked, unless another good login forgot the window first.
            return session.get(LoginAttempt, reservation.key) is None

    def authenticate(self, username: str, password: str) -> Login:
        """Check a username and password under the lock-out, holding no connection meanwhile.

        Each database step is a short transaction of its own: the reservation, the read of the
        account, forgetting the window and a rehash. argon2 runs between them with no
        connection checked out, so simultaneous logins need one pooled connection each for a
        few milliseconds rather than one each for the whole check (which exhausted the pool).
        """
        reservation = self.reserve(username)
        if reservation is None:
            return Login(LoginOutcome.LOCKED)
        with transaction(self.factory) as session:
            member = session.scalars(
                select(StaffMember).where(StaffMember.username == username)
            ).first()
        if not passwords.verify(member, password) or member is None:
            return Login(LoginOutcome.BAD)
        if not self.succeeded(reservation):
            return Login(LoginOutcome.LOCKED_WHILE_CHECKED)
        if passwords.needs_rehash(member):
            rehashed = passwords.hash_password(password)
            with transaction(self.factory) as session:
                session.execute(
                    update(StaffMember)
                    .where(StaffMember.id == member.id)
                    .values(password_hash=rehashed)
                )
            member.password_hash = rehashed
        return Login(LoginOutcome.OK, member)

    def locked(self, session: Session, username: str) -> bool:
        """Return whether the username is locked out right now (no check left to reserve)."""
        since = self.clock() - dt.timedelta(seconds=LOCK_SECONDS)
        attempts = session.scalar(
            select(LoginAttempt.attempts).where(
                LoginAttempt.username == _key(username), LoginAttempt.window_start > since
            )
        )
        return (attempts or 0) >= MAX_FAILURES


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
