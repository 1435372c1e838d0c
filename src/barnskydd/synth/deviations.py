"""Deviations in the synthetic municipality: the scan's automatic ones, and a few reported.

Not calibrated on published figures (none were found for child and youth care; see
docs/deviations.md): about one staff-reported deviation per REPORTS_PER_DEVIATION reports
of concern, one in LEX_SARAH_SHARE of them a Lex Sarah report, and the automatic deviations
the scan finds on the last day. Everything goes through the deviations service.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Role
from barnskydd.core.db import utcnow
from barnskydd.deviations import scan
from barnskydd.deviations import service as deviations
from barnskydd.deviations.codes import Assessment, DeviationKind, Factor
from barnskydd.deviations.schemas import ActionCreate, DeviationCreate, InvestigationUpdate
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember
from barnskydd.synth.organisation import DEMO_LEX_SARAH, Team

LEX_SARAH_USERNAME = DEMO_LEX_SARAH
REPORTS_PER_DEVIATION = 50
LEX_SARAH_SHARE = 0.1
MAX_REPORTED = 60
WHAT = (
    "Journalanteckningen sparades inte och fick skrivas om.",
    "Anmälan låg oläst i inkorgen över en helg.",
    "Fel vårdnadshavare fick kallelsen.",
    "Tolken kom inte till samtalet med barnet.",
    "Utredningen kunde inte slutföras: ingen handläggare var tillgänglig.",
)
MEASURE = "Arbetsledaren kontaktades genast och barnets situation kontrollerades samma dag."


def _lex_sarah(session: Session) -> StaffMember:
    existing = session.scalars(
        select(StaffMember).where(StaffMember.username == LEX_SARAH_USERNAME)
    ).first()
    return existing or staff.create(
        session,
        username=LEX_SARAH_USERNAME,
        display_name="Lex Sarah-ansvarig",
        role=Role.LEX_SARAH,
        unit_id=None,
    )


def add(
    session: Session, rng: random.Random, teams: list[Team], *, reports: int, end: dt.date
) -> int:
    """Scan the missed deadlines as of `end` and file some reports; return deviations made."""
    lex_sarah = staff.actor_for(_lex_sarah(session))
    made = scan.scan(session, as_of=end).created
    count = min(MAX_REPORTED, reports // REPORTS_PER_DEVIATION)
    for n in range(count):
        team = rng.choice(teams)
        reporter = rng.choice(team.case_workers)
        lex = rng.random() < LEX_SARAH_SHARE
        data = DeviationCreate(
            what_happened=rng.choice(WHAT),
            occurred_on=end - dt.timedelta(days=rng.randrange(0, 365)),
            unit_id=team.unit_id,
            kind=DeviationKind.LEX_SARAH_REPORT if lex else DeviationKind.DEVIATION,
            immediate_measures=MEASURE if lex else None,
            immediate_measures_at=utcnow() if lex else None,
            factors=rng.sample(list(Factor), k=rng.randint(1, 3)),
        )
        deviation = deviations.create(session, actor=reporter, data=data)
        made += 1
        if n % 3 == 2:
            continue  # left for the team lead to assess
        deviations.triage(session, actor=lex_sarah, deviation_id=deviation.id, lex_sarah=lex)
        if lex:
            assessment = rng.choice([Assessment.RISK, Assessment.SERIOUS])
            answers = InvestigationUpdate(
                what_happened=data.what_happened,
                why="Rutinen för inkorgen vid frånvaro saknades (systemnivå).",
                prevention="Ny rutin och schema för inkorgen.",
                assessment=assessment,
            )
            deviations.investigate(
                session, actor=lex_sarah, deviation_id=deviation.id, data=answers
            )
        deviations.add_action(
            session,
            actor=lex_sarah,
            deviation_id=deviation.id,
            data=ActionCreate(
                description="Gå igenom rutinen på arbetsplatsträffen.",
                owner_id=reporter.staff_id or 0,
                due_on=data.occurred_on + dt.timedelta(days=30),
                effect_check_on=data.occurred_on + dt.timedelta(days=90),
            ),
        )
    return made
