"""The team lead's tools on the case page: reassign the case, name staff for a protected child."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.people import access
from barnskydd.staff import service as staff

WORKER_ROLES = (Role.CASE_WORKER, Role.TEAM_LEAD)


def workers(session: Session, unit_id: int) -> list[tuple[int, str]]:
    """Return the unit's active case workers and team leads as (id, name)."""
    return [
        (m.id, m.display_name)
        for m in staff.get_all(session, unit_id=unit_id)
        if m.role in WORKER_ROLES
    ]


def panel(session: Session, user: Actor, case: Case) -> dict[str, Any] | None:
    """Return the panel's data as plain values, or None for a role without these tools."""
    if user.role not in (Role.TEAM_LEAD, Role.ADMIN):
        return None
    restricted = access.is_restricted(case.child.protected_identity)
    named = access.get_all(session, child_id=case.child_id) if restricted else []
    unit_workers = workers(session, case.unit_id)
    named_ids = {m.id for m in named}
    return {
        "workers": unit_workers,
        "assigned_to_id": case.assigned_to_id or "",
        "restricted": restricted,
        "named": [(m.id, m.display_name) for m in named],
        "unnamed": [(i, name) for i, name in unit_workers if i not in named_ids],
    }
