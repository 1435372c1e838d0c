"""Competence of a synthetic municipality's staff, written through the competence service.

Calibrated on Öppna jämförelser as ../shared/research/capabilities.md 3.2 quotes it: 47 % of
investigating staff had a socionom degree and more than five years of experience in 2023
(48 % in 2022), 25 % had the degree and less than a year in 2019, 70 % had the degree and at
least three years in 2015; supervision averaged 2.7 hours a week (6 minutes to 20 hours) in
2015. The experience mix below (about 47 % over five years, 20 % under one, 62 % at least
three) sits between those years; the socionom share is the generator's own (SOCIONOM_SHARE,
an assumption from trade union surveys), and everyone else gets another relevant degree.
Two new workers of the first unit are in their introduction with the demo case worker as
mentor: they take none of the generated steps, so the chain never needs their co-signer.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import SYSTEM, Role
from barnskydd.staff import employment
from barnskydd.staff import service as staff
from barnskydd.staff.competence import programmes
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.inputs import CompetenceSet, IntroductionStart, ItemDone
from barnskydd.staff.competence.rules import add_years
from barnskydd.staff.models import StaffMember
from barnskydd.synth.organisation import DEMO_CASE_WORKER, Team

# Years of experience in child investigations: (low, high) ranges and their weights.
EXPERIENCE = {(0.1, 0.95): 0.20, (1.0, 2.9): 0.18, (3.0, 4.9): 0.15, (5.1, 25.0): 0.47}
SUPERVISION_MINUTES = (30, 300, 160)  # triangular: low, high, mode; mean about 2.7 hours
OTHER_DEGREES = (
    "Beteendevetenskapligt program med socialrätt, förvaltningsrätt och psykologi",
    "Kandidatexamen i psykologi, kompletterad med socialt arbete och socialrätt",
)
NEW_WORKERS = 2


def _day_years_before(end: dt.date, years: float) -> dt.date:
    whole = int(years)
    return add_years(end, -whole) - dt.timedelta(days=round((years - whole) * 365))


def add(session: Session, teams: Sequence[Team], *, seed: int, end: dt.date) -> int:
    """Record every staff member's competence and put two new workers in introduction."""
    rng = random.Random(seed * 31 + 15)
    members = session.scalars(select(StaffMember).order_by(StaffMember.id)).all()
    other_given = False
    for member in members:
        years = rng.uniform(*rng.choices(list(EXPERIENCE), weights=list(EXPERIENCE.values()))[0])
        if member.username == DEMO_CASE_WORKER or member.role is not Role.CASE_WORKER:
            years = max(years, 6.0)
        socionom = member.socionom or member.username == DEMO_CASE_WORKER
        if not socionom:
            other_given = True
        _record(session, rng, member.username, socionom=socionom, years=years, end=end)
    if not other_given and teams and len(teams[0].case_workers) > 1:
        _record(session, rng, teams[0].case_workers[-1].username, socionom=False, years=8, end=end)
    if teams:
        _new_workers(session, rng, teams[0], end=end)
    return len(members) + (NEW_WORKERS if teams else 0)


def _record(
    session: Session,
    rng: random.Random,
    username: str,
    *,
    socionom: bool,
    years: float,
    end: dt.date,
) -> None:
    start = _day_years_before(end, years)
    values = {
        "degree": "socionom" if socionom else "other_relevant",
        "degree_on": (start - dt.timedelta(days=rng.randint(30, 400))).isoformat(),
        "experience_from": start.isoformat(),
        "supervision_minutes_per_week": str(round(rng.triangular(*SUPERVISION_MINUTES))),
    }
    if not socionom:
        values["degree_kind"] = rng.choice(OTHER_DEGREES)
    competence.update(
        session,
        actor=SYSTEM,
        username=username,
        data=CompetenceSet.from_text(values),
        today=end,
    )
    # Employed here since the current period of child investigations began (Öppna
    # jämförelser counts who was employed on its reference date).
    employment.update(
        session, actor=SYSTEM, username=username, start_on=start, end_on=None, today=end
    )


def _new_workers(session: Session, rng: random.Random, team: Team, *, end: dt.date) -> None:
    programme = programmes.get(*programmes.DEFAULT)
    code = session.scalars(select(StaffMember.username).where(StaffMember.unit_id == team.unit_id))
    suffix = next((u.rsplit(".", 1)[1] for u in code if "." in u), "demo")
    for n in range(1, NEW_WORKERS + 1):
        username = f"ny{n}.{suffix}"
        if session.scalars(select(StaffMember.id).where(StaffMember.username == username)).first():
            continue
        staff.create(
            session,
            username=username,
            display_name=f"Ny Handläggare {n}",
            role=Role.CASE_WORKER,
            unit_id=team.unit_id,
        )
        started = end - dt.timedelta(days=rng.randint(30, 150))
        _record(session, rng, username, socionom=True, years=(end - started).days / 365, end=end)
        competence.start_introduction(
            session,
            actor=SYSTEM,
            username=username,
            data=IntroductionStart.from_text(
                {
                    "started_on": started.isoformat(),
                    "planned_end": add_years(started, 1).isoformat(),
                    "mentor": DEMO_CASE_WORKER,
                }
            ),
            today=end,
        )
        done = (end - started).days // 30
        for index, item in enumerate(programme.items[:done]):
            day = min(end, started + dt.timedelta(days=20 * (index + 1)))
            competence.complete_item(
                session,
                actor=SYSTEM,
                username=username,
                data=ItemDone.from_text({"item": item.key, "completed_on": day.isoformat()}),
                today=end,
            )
