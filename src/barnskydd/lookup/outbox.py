"""Fill the outbox: derive each child's wanted entry from its cases, bump it when it changes.

`refresh_all` recomputes every child from the case tables, so it cannot miss an update however
the cases changed (web, CLI, import); `refresh_child` does one child at once, for a hook after
a step. Both only write the outbox; the sender publishes it. The municipality whose children
are published is the one the database serves (barnskydd.staff.deployment), never a setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import hooks
from barnskydd.cases.codes import InvestigationOutcome, ProtectedIdentity
from barnskydd.cases.models import Case, Investigation, Report
from barnskydd.core.clock import local_date
from barnskydd.core.clock import today as swedish_today
from barnskydd.core.db import utcnow
from barnskydd.core.settings import get_settings
from barnskydd.lookup.models import LookupPublication
from barnskydd.lookup.rules import CaseFacts, EntryState, entry_state
from barnskydd.people.models import Child
from barnskydd.people.rules import IdentityKind
from barnskydd.staff import deployment
from barnskydd.staff.models import Unit

_IN_CHUNK = 900  # ids per IN list: under SQLite's old limit of 999 bound parameters


@dataclass
class _Child:
    birth_date: dt.date
    cases: list[CaseFacts] = field(default_factory=list)


def _facts(
    session: Session, *, municipality: str, child_ids: Collection[int] | None = None
) -> dict[int, _Child]:
    """Return the birth date and case facts of every publishable child (or of some), by id."""
    query = (
        select(
            Case.child_id,
            Child.birth_date,
            Case.status,
            Report.received_at,
            Investigation.id,
            Investigation.outcome,
            Unit.name,
        )
        .join(Report, Report.case_id == Case.id)
        .join(Unit, Unit.id == Case.unit_id)
        .join(Child, Child.id == Case.child_id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .where(
            Unit.municipality_code == municipality,
            # A reserve number is local to one municipality; protected children never leave it.
            Child.identity_kind != IdentityKind.reserve.value,
            Child.protected_identity == ProtectedIdentity.NONE,
        )
    )
    if child_ids is not None:
        query = query.where(Case.child_id.in_(child_ids))
    children: dict[int, _Child] = {}
    for child, birth, status, received_at, investigation_id, outcome, unit in session.execute(
        query
    ):
        children.setdefault(child, _Child(birth)).cases.append(
            CaseFacts(
                status,
                local_date(received_at),
                investigation_id is not None,
                unit,
                followed_up_without_intervention=(
                    outcome == InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP
                ),
            )
        )
    return children


def _apply(row: LookupPublication, wanted: EntryState | None, now: dt.datetime) -> bool:
    """Set the row to the wanted entry (None: withdraw); return whether anything changed."""
    if wanted is None:
        if row.withdrawn:
            return False
        row.withdrawn = True
        row.status_class = row.latest_report_month = row.contact_unit = row.expires_on = None
    else:
        current = (row.status_class, row.latest_report_month, row.contact_unit, row.expires_on)
        if not row.withdrawn and current == (
            wanted.status_class,
            wanted.latest_report_month,
            wanted.contact_unit,
            wanted.expires_on,
        ):
            return False
        row.withdrawn = False
        row.status_class = wanted.status_class
        row.latest_report_month = wanted.latest_report_month
        row.contact_unit = wanted.contact_unit
        row.expires_on = wanted.expires_on
    row.revision += 1
    row.attempts = 0
    row.next_attempt_at = None
    row.updated_at = now
    return True


def _wanted(child: _Child | None, today: dt.date, contact: str) -> EntryState | None:
    if child is None:
        return None
    state = entry_state(child.cases, birth_date=child.birth_date, contact=contact)
    return state if state.expires_on >= today else None


def _defaults(
    session: Session, today: dt.date | None, contact: str | None
) -> tuple[str, dt.date, str]:
    """Return the database's municipality, and today and the contact unless given."""
    return (
        deployment.municipality(session).code,
        swedish_today() if today is None else today,
        get_settings().lookup_contact if contact is None else contact,
    )


def refresh_all(
    session: Session,
    *,
    today: dt.date | None = None,
    contact: str | None = None,
    child_ids: Collection[int] | None = None,
) -> int:
    """Bring every child's outbox row (or some children's) up to date; return how many changed."""
    municipality, today, contact = _defaults(session, today, contact)
    children = _facts(session, municipality=municipality, child_ids=child_ids)
    query = select(LookupPublication)
    if child_ids is not None:
        query = query.where(LookupPublication.child_id.in_(child_ids))
    rows = {r.child_id: r for r in session.scalars(query)}
    now, changed = utcnow(), 0
    for child_id in children.keys() | rows.keys():
        wanted = _wanted(children.get(child_id), today, contact)
        row = rows.get(child_id)
        if row is None:
            if wanted is None:
                continue
            row = LookupPublication(child_id=child_id, withdrawn=True, revision=0, attempts=0)
            session.add(row)
        changed += _apply(row, wanted, now)
    session.flush()
    return changed


def refresh_child(
    session: Session,
    *,
    child_id: int,
    today: dt.date | None = None,
    contact: str | None = None,
) -> LookupPublication | None:
    """Bring one child's outbox row up to date (the hook after a report or a step)."""
    municipality, today, contact = _defaults(session, today, contact)
    child = _facts(session, municipality=municipality, child_ids=(child_id,)).get(child_id)
    wanted = _wanted(child, today, contact)
    row = session.scalar(select(LookupPublication).where(LookupPublication.child_id == child_id))
    if row is None:
        if wanted is None:
            return None
        row = LookupPublication(child_id=child_id, withdrawn=True, revision=0, attempts=0)
        session.add(row)
    _apply(row, wanted, utcnow())
    session.flush()
    return row


def _child_changed(session: Session, child_id: int) -> None:
    """Refresh the child's row when a report or a step changes what is published."""
    refresh_child(session, child_id=child_id)


def _children_changed(session: Session, child_ids: Collection[int]) -> None:
    """Many children at once (an import's batch): bring their rows up to date in one pass."""
    for start in range(0, len(ids := sorted(child_ids)), _IN_CHUNK):
        refresh_all(session, child_ids=ids[start : start + _IN_CHUNK])


def subscribe() -> None:
    """Have the case chain tell the outbox of every report and publishing step (idempotent)."""
    hooks.on_children_changed(_child_changed, _children_changed)


# Whatever imports the outbox has it subscribed; the desk and the CLI also call it at start.
subscribe()
