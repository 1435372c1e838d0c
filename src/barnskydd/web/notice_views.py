"""Aviseringar: other municipalities' lookups that matched one of our children.

The team lead (own unit) and the admin (all units) get the list and each notice; the case
page shows the child's notices to whoever may see the case; team leads see the number of
unopened notices in the menu (counted in `deps.current_user`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import NotFound
from barnskydd.lookup import notices
from barnskydd.web.deps import SessionDep, require
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])
TeamLead = Annotated[Actor, Depends(require(Role.TEAM_LEAD, Role.ADMIN))]
ID = re.compile(r"[0-9]{1,9}")


def case_notices(case: Case, session: Session) -> dict[str, Any]:
    """Return the case page's notices about the child (the case read is audited already)."""
    return {"case_notices": notices.for_child(session, child_id=case.child_id)}


@router.get("/aviseringar")
def notice_list(request: Request, session: SessionDep, user: TeamLead) -> Response:
    """List the notices about the unit's children, newest first (each listed one is audited)."""
    listed = notices.list_notices(session, actor=user)
    return render(request, "notices.html", {"listed": listed, "limit": notices.MAX_LISTED})


@router.get("/aviseringar/{notice_id}")
def notice_page(request: Request, session: SessionDep, user: TeamLead, notice_id: str) -> Response:
    """Show one notice (an audited read) and mark it read."""
    if not ID.fullmatch(notice_id):
        raise NotFound("Aviseringen finns inte.")
    notice = notices.open_notice(session, actor=user, notice_id=int(notice_id))
    if user.role is Role.TEAM_LEAD:  # the menu's badge, without the one just opened
        request.state.unread_notices = notices.unread_count(session, actor=user)
    return render(request, "notice.html", {"notice": notice})
