"""Employment dates: when a staff member started in their role and when they left.

The Öppna jämförelser indicators count who was a case worker on the reference date from these
periods (staff_employment). A member gets their first period when created; the team lead of
their unit or an administrator corrects its start and records its end, each edit audited as
the competence records are (entity `staff_employment`). Recording the last day also closes
the account (`active` false): the member no longer logs in or gets cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput
from barnskydd.staff.competence.service import reachable
from barnskydd.staff.models import Employment, StaffMember

ENTITY = "staff_employment"


@dataclass(frozen=True, slots=True)
class EmploymentView:
    """One period of employment as shown."""

    role: Role
    start_on: dt.date | None
    end_on: dt.date | None

    def as_json(self) -> dict[str, object]:
        """Return the period as the API and the CLI's JSON print it."""
        return {
            "role": self.role.value,
            "from": self.start_on.isoformat() if self.start_on else None,
            "to": self.end_on.isoformat() if self.end_on else None,
        }


def periods(session: Session, member: StaffMember) -> list[EmploymentView]:
    """Return a member's periods of employment, the earliest first (no access check)."""
    rows = session.scalars(
        select(Employment).where(Employment.staff_id == member.id).order_by(Employment.id)
    )
    return [EmploymentView(r.role, r.start_on, r.end_on) for r in rows]


def update(
    session: Session,
    *,
    actor: Actor,
    username: str,
    start_on: dt.date | None,
    end_on: dt.date | None,
    today: dt.date,
) -> list[EmploymentView]:
    """Set the start and, when given, the last day of a member's latest period of employment."""
    member = reachable(session, actor, username, edit=True)
    latest = session.scalars(
        select(Employment).where(Employment.staff_id == member.id).order_by(Employment.id.desc())
    ).first()
    if latest is None:
        latest = Employment(staff_id=member.id, role=member.role, start_on=start_on)
        session.add(latest)
    start = start_on if start_on is not None else latest.start_on
    end = end_on if end_on is not None else latest.end_on
    for day, field, what in (
        (start, "start_on", "Anställningens start"),
        (end, "end_on", "Sista dagen"),
    ):
        if day is not None and day > today:
            raise InvalidInput(f"{what} kan inte ligga i framtiden.", field=field)
    if start is not None and end is not None and end < start:
        raise InvalidInput("Sista dagen kan inte ligga före anställningens start.", field="end_on")
    latest.start_on, latest.end_on = start, end
    if end_on is not None:
        member.active = False
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity=ENTITY,
        entity_id=member.id,
        purpose="anställning" if end_on is None else "anställning, slut",
    )
    return periods(session, member)
