"""Workload in the synthetic municipality: monthly load ratings and one closed measurement week.

Everything goes through the workload services. Calibration:

- Ratings follow each worker's computed points against their norm at each month's end (about
  1 at half the norm, 3 at the norm, 5 at 1.5 times it), with one step of noise in a third of
  the months, and one month in five left unrated (the rating is optional). The surveys found
  most social workers rating their load high: Akademikerförbundet SSR (7 of 10 say it rose;
  Stockholm 78 % high or very high), capabilities.md 2.2.
- The measurement week (two weeks before the end, Monday to Friday, eight-hour days) follows
  the national coordinator's time study 2015-2016: 2 % direct time with children, 13 % with
  children and adults (here 7 % parents, 4 % network), 35 % indirect work (documentation),
  9 % travel, 11 % pure administration. The rest of the day (supervision, development,
  meetings) has no category in the week and is not recorded.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Role
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember
from barnskydd.synth.organisation import Team
from barnskydd.workload import measurement
from barnskydd.workload import model as workload_model
from barnskydd.workload import points as pts
from barnskydd.workload import service as workload
from barnskydd.workload.reading import unit_facts
from barnskydd.workload.records import BLOCK_MINUTES, TimeCategory

DAY_MINUTES = 8 * 60
SHARES = {
    TimeCategory.CHILD: 0.02,
    TimeCategory.PARENTS: 0.07,
    TimeCategory.NETWORK: 0.04,
    TimeCategory.DOCUMENTATION: 0.35,
    TimeCategory.TRAVEL: 0.09,
    TimeCategory.ADMINISTRATION: 0.11,
}
UNRATED = 0.2
NOISE = 1 / 3


def _rating(points: float, norm: float, rng: random.Random) -> int:
    ratio = points / norm if norm else 0.0
    value = round(1 + 4 * min(max(ratio - 0.5, 0.0), 1.0))
    if rng.random() < NOISE:
        value += rng.choice((-1, 1))
    return min(5, max(1, value))


def _ratings(session: Session, rng: random.Random, team: Team, end: dt.date) -> int:
    model = workload_model.load(workload_model.DEFAULT)
    days = workload.trend_days(end)
    facts = unit_facts(session, unit_id=team.unit_id, since=days[0], until=end)
    made = 0
    for worker in team.case_workers:
        member = session.get(StaffMember, worker.staff_id)
        assert member is not None
        mine = [f for f in facts if f.assigned_to_id == member.id]
        for day in days:
            if rng.random() < UNRATED:
                continue
            items = [i for f in mine for i in pts.items_on(f, day)]
            s = pts.score(
                items,
                years_experience=member.years_experience,
                employment_rate=member.employment_rate,
                model=model,
            )
            workload.rate(
                session,
                actor=worker,
                month=day,
                rating=_rating(s.points, s.norm, rng),
                flex_hours=None,
                today=day,
            )
            made += 1
    return made


def _minutes(share: float, rng: random.Random) -> int:
    blocks = round(share * DAY_MINUTES * rng.uniform(0.5, 1.5) / BLOCK_MINUTES)
    return blocks * BLOCK_MINUTES


def _week(session: Session, rng: random.Random, team: Team, end: dt.date) -> bool:
    lead = session.scalars(
        select(StaffMember).where(
            StaffMember.unit_id == team.unit_id, StaffMember.role == Role.TEAM_LEAD
        )
    ).first()
    if lead is None:
        return False
    monday = end - dt.timedelta(days=14 + end.weekday())
    actor = staff.actor_for(lead)
    week = measurement.open_week(
        session, actor=actor, unit_id=team.unit_id, starts_on=monday, today=monday
    )
    for worker in team.case_workers:
        for offset in range(5):
            day = monday + dt.timedelta(days=offset)
            for category, share in SHARES.items():
                minutes = _minutes(share, rng)
                if minutes:
                    measurement.record(
                        session, actor=worker, week_id=week.id, day=day,
                        category=category.value, minutes=minutes, today=week.ends_on,
                    )  # fmt: skip
    measurement.close(session, actor=actor, week_id=week.id)
    return True


def add(session: Session, rng: random.Random, teams: list[Team], *, end: dt.date) -> int:
    """Add six months of ratings and one closed measurement week per unit; return ratings."""
    made = 0
    for team in teams:
        made += _ratings(session, rng, team, end)
        _week(session, rng, team, end)
    session.flush()
    return made
