"""Request dependencies as Annotated aliases: the session, the user, the case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.bounds import INT32_MAX
from barnskydd.core.db import transaction
from barnskydd.core.errors import PermissionDenied
from barnskydd.lookup import notices
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember
from barnskydd.web.security import session_staff_id

CASE_PURPOSE = "handläggning"

# A row id in a path: what an INTEGER column holds on every dialect, else 422 (never a 500).
RowId = Annotated[int, Path(ge=1, le=INT32_MAX)]


class LoginRequired(Exception):
    """The request needs a logged-in user and has none."""


def get_session(request: Request) -> Iterator[Session]:
    """Yield one session in one transaction: committed before the response, else rolled back."""
    with transaction(request.app.state.session_factory) as session:
        yield session


# scope="function": commit when the view returns, so a failed commit is never a 200.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_user(request: Request, session: SessionDep) -> Actor:
    """Return the logged-in staff member as an Actor, or send the browser to the login page."""
    staff_id = session_staff_id(request)
    member = session.get(StaffMember, staff_id) if staff_id is not None else None
    if member is None or not member.active:
        request.session.clear()
        raise LoginRequired
    actor = staff.actor_for(member)
    request.state.user = actor
    request.state.display_name = member.display_name
    if actor.role is Role.TEAM_LEAD:  # the menu's badge: notices not yet opened
        request.state.unread_notices = notices.unread_count(session, actor=actor)
    return actor


CurrentUser = Annotated[Actor, Depends(current_user)]


def current_case(case_number: str, session: SessionDep, user: CurrentUser) -> Case:
    """Return the case named in the path (audited read), or raise NotFound / PermissionDenied."""
    return cases.get_by_number(session, actor=user, case_number=case_number, purpose=CASE_PURPOSE)


CurrentCase = Annotated[Case, Depends(current_case)]


def require(*roles: Role) -> Callable[[Actor], Actor]:
    """Return a dependency that refuses users without one of the roles."""

    def check(user: CurrentUser) -> Actor:
        if user.role not in roles:
            raise PermissionDenied("Din roll har inte tillgång till den här sidan.")
        return user

    return check


CaseHandler = Annotated[Actor, Depends(require(Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN))]
