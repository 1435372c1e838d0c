"""Units and staff members."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core import clock
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.staff import deployment
from barnskydd.staff.competence.codes import Degree
from barnskydd.staff.competence.models import ExperiencePeriod, StaffCompetence
from barnskydd.staff.competence.rules import add_years
from barnskydd.staff.models import Employment, StaffMember, Unit


def create_unit(session: Session, *, name: str, municipality_code: str) -> Unit:
    """Create a unit in the deployment's municipality (the first unit records it)."""
    if session.scalar(select(Unit.id).where(Unit.name == name)):
        raise InvalidInput(f"Enheten '{name}' finns redan.", field="name")
    code = deployment.claim_for_unit(session, municipality_code).code
    unit = Unit(name=name, municipality_code=code)
    session.add(unit)
    session.flush()
    return unit


def create(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    unit_id: int | None,
    socionom: bool = True,
    years_experience: int = 0,
    employed_from: dt.date | None = None,
) -> StaffMember:
    """Create a staff member employed in their role from `employed_from` (today); usernames
    are unique.

    A socionom is recorded as one (barnskydd.staff.competence), working independently, with
    the years of experience as one period ending today; anyone else's competence is "not
    recorded" until a team lead or an administrator records it.
    """
    if session.scalar(select(StaffMember.id).where(StaffMember.username == username)):
        raise InvalidInput(f"Användarnamnet '{username}' är upptaget.", field="username")
    if role in (Role.CASE_WORKER, Role.TEAM_LEAD) and unit_id is None:
        raise InvalidInput("Handläggare och arbetsledare måste tillhöra en enhet.", field="unit")
    member = StaffMember(
        username=username,
        display_name=display_name,
        role=role,
        unit_id=unit_id,
        socionom=socionom,
        years_experience=years_experience,
    )
    session.add(member)
    session.flush()
    session.add(Employment(staff_id=member.id, role=role, start_on=employed_from or clock.today()))
    if socionom:
        _record_socionom(session, member, years_experience)
    return member


def _record_socionom(session: Session, member: StaffMember, years: int) -> None:
    session.add(StaffCompetence(staff_id=member.id, degree=Degree.SOCIONOM, updated_by="system"))
    if years > 0:
        start = add_years(clock.today(), -years)
        session.add(ExperiencePeriod(staff_id=member.id, start_on=start))
    session.flush()


def get_by_username(session: Session, *, username: str) -> StaffMember:
    """Return an active staff member by username."""
    member = session.scalars(
        select(StaffMember).where(StaffMember.username == username, StaffMember.active)
    ).first()
    if member is None:
        raise NotFound(f"Ingen aktiv användare heter '{username}'.")
    return member


def get_all(session: Session, *, unit_id: int | None = None) -> list[StaffMember]:
    """Return active staff, optionally of one unit."""
    query = select(StaffMember).where(StaffMember.active).order_by(StaffMember.username)
    if unit_id is not None:
        query = query.where(StaffMember.unit_id == unit_id)
    return list(session.scalars(query))


def actor_for(member: StaffMember) -> Actor:
    """Return the Actor a staff member acts as."""
    return Actor(
        username=member.username, role=member.role, staff_id=member.id, unit_id=member.unit_id
    )
