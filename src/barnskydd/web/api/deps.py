"""API dependencies: the logged-in user, the CSRF header, the roles and the case in the path.

The API uses the desk's session cookie, so a user logged in on either side is logged in on
both. The cookie and header parameters here only document the two in the OpenAPI document;
the checks themselves are the desk's (CurrentUser) and the same token as its forms.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader

from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import PermissionDenied
from barnskydd.web.deps import CASE_PURPOSE, CurrentUser, SessionDep
from barnskydd.web.security import CSRF_HEADER, CsrfRefused

SESSION_COOKIE = "barnskydd_session"  # the name create_app gives the session cookie
CASE_NUMBER = r"^BU-\d{4}-\d{6,12}$"
CASE_ROLES = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN)

session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="The session cookie set by POST /api/v1/session (or the desk's login).",
    auto_error=False,
)
csrf_header = APIKeyHeader(
    name=CSRF_HEADER,
    scheme_name="csrf",
    description="The session's CSRF token (csrf_token in the session); required on POST and "
    "DELETE.",
    auto_error=False,
)


def api_user(user: CurrentUser, _cookie: Annotated[str | None, Security(session_cookie)]) -> Actor:
    """Return the logged-in user, or answer 401."""
    return user


ApiUser = Annotated[Actor, Depends(api_user)]


def csrf_checked(
    request: Request, user: ApiUser, sent: Annotated[str | None, Security(csrf_header)]
) -> Actor:
    """Return the user once the X-CSRF-Token header carries the session's token, else 403."""
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or sent is None:
        raise CsrfRefused
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused
    return user


Writer = Annotated[Actor, Depends(csrf_checked)]


def _case_role(user: Actor) -> Actor:
    if user.role not in CASE_ROLES:
        raise PermissionDenied("Din roll har inte tillgång till ärenden.")
    return user


def case_reader(user: ApiUser) -> Actor:
    """Return a user whose role works with cases (not the analyst)."""
    return _case_role(user)


def case_writer(user: Writer) -> Actor:
    """Return a user whose role works with cases, on a request with the CSRF token."""
    return _case_role(user)


CaseReader = Annotated[Actor, Depends(case_reader)]
CaseWriter = Annotated[Actor, Depends(case_writer)]
CaseNumber = Annotated[
    str, Path(pattern=CASE_NUMBER, description="ärendenummer", examples=["BU-2025-000123"])
]


def case_to_change(case_number: CaseNumber, session: SessionDep, user: CaseWriter) -> Case:
    """Return the case in the path for a step (read audited as handläggning), or 404."""
    return cases.get_by_number(session, actor=user, case_number=case_number, purpose=CASE_PURPOSE)


CaseToChange = Annotated[Case, Depends(case_to_change)]
