"""Units and staff of a synthetic municipality's child and youth social care."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Actor, Role
from barnskydd.reference.municipalities import Municipality
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember, Unit
from barnskydd.synth import calibration as cal
from barnskydd.synth.identities import adult_name

AREAS = ("Centrum", "Norr", "Söder", "Öster", "Väster", "Nordost", "Sydväst", "Hisingen")

# The accounts the demo and the README name; the first unit's case worker and team lead.
DEMO_CASE_WORKER = "handlaggare"
DEMO_TEAM_LEAD = "arbetsledare"
DEMO_ANALYST = "analytiker"
DEMO_ADMIN = "admin"
DEMO_LEX_SARAH = "lexsarah"  # the municipality's Lex Sarah role (synth/deviations.py)
DEMO_ACCOUNTS = (DEMO_CASE_WORKER, DEMO_TEAM_LEAD, DEMO_ANALYST, DEMO_ADMIN, DEMO_LEX_SARAH)


@dataclass(frozen=True, slots=True)
class Team:
    """One unit and the actors who work its cases."""

    unit_id: int
    unit_name: str
    case_workers: tuple[Actor, ...]


def unit_names(municipality: Municipality, children: int) -> list[str]:
    """Name the units: one per CHILDREN_PER_UNIT children, at least one."""
    count = max(1, min(len(AREAS), round(children / cal.CHILDREN_PER_UNIT)))
    if count == 1:
        return [f"{municipality.name}: Barn och unga"]
    return [f"{municipality.name}: Barn och unga {area}" for area in AREAS[:count]]


def _unit(session: Session, name: str, code: str) -> Unit:
    existing = session.scalars(select(Unit).where(Unit.name == name)).first()
    return existing or staff.create_unit(session, name=name, municipality_code=code)


def _member(
    session: Session, rng: random.Random, *, username: str, role: Role, unit_id: int | None
) -> StaffMember:
    """Return the staff member with this username, creating it with drawn competence."""
    existing = session.scalars(select(StaffMember).where(StaffMember.username == username)).first()
    socionom = rng.random() < cal.SOCIONOM_SHARE
    years = rng.choices(list(cal.EXPERIENCE_YEARS), weights=list(cal.EXPERIENCE_YEARS.values()))[0]
    name = adult_name(rng)
    if existing is not None:
        return existing
    if role in (Role.TEAM_LEAD, Role.ADMIN):
        socionom, years = True, max(years, 5)
    return staff.create(
        session,
        username=username,
        display_name=name,
        role=role,
        unit_id=unit_id,
        socionom=socionom,
        years_experience=years,
    )


def create_staff(
    session: Session,
    rng: random.Random,
    *,
    municipality: Municipality,
    children: int,
    reports_per_year: float,
) -> tuple[list[Team], int]:
    """Create units, case workers, team leads, an analyst and an admin; return teams and count."""
    names = unit_names(municipality, children)
    workers_per_unit = max(
        3, math.ceil(reports_per_year / cal.REPORTS_PER_CASE_WORKER / len(names))
    )
    teams: list[Team] = []
    created = 0
    for index, name in enumerate(names, start=1):
        unit = _unit(session, name, municipality.code)
        actors = []
        for n in range(1, workers_per_unit + 1):
            demo = index == 1 and n == 1
            username = DEMO_CASE_WORKER if demo else f"hl{index}{n:03d}.{municipality.code}"
            member = _member(
                session, rng, username=username, role=Role.CASE_WORKER, unit_id=unit.id
            )
            actors.append(staff.actor_for(member))
        leads = max(1, round(workers_per_unit / cal.CASE_WORKERS_PER_TEAM_LEAD))
        for n in range(1, leads + 1):
            demo = index == 1 and n == 1
            username = DEMO_TEAM_LEAD if demo else f"al{index}{n:02d}.{municipality.code}"
            _member(session, rng, username=username, role=Role.TEAM_LEAD, unit_id=unit.id)
        created += workers_per_unit + leads
        teams.append(Team(unit_id=unit.id, unit_name=unit.name, case_workers=tuple(actors)))
    _member(session, rng, username=DEMO_ANALYST, role=Role.ANALYST, unit_id=None)
    _member(session, rng, username=DEMO_ADMIN, role=Role.ADMIN, unit_id=None)
    return teams, created + 2
