"""The synthetic municipality's competence: recorded for everyone, new workers in introduction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.clock import today
from barnskydd.staff.competence import report
from barnskydd.staff.competence.codes import Degree
from barnskydd.staff.competence.models import (
    Introduction,
    IntroductionItem,
    QualificationWarning,
    StaffCompetence,
)
from barnskydd.staff.models import StaffMember
from barnskydd.synth.generator import generate


def test_every_member_is_recorded_qualified_and_no_generated_step_is_warned(
    session: Session,
) -> None:
    end = today()
    start = end - dt.timedelta(days=120)
    generate(session, municipality_code="0483", start=start, end=end, seed=7, scale=0.04)
    members = session.scalars(select(StaffMember.id)).all()
    records = {r.staff_id: r for r in session.scalars(select(StaffCompetence))}
    assert set(members) == set(records)
    assert {r.degree for r in records.values()} <= {Degree.SOCIONOM, Degree.OTHER_RELEVANT}
    assert any(r.degree is Degree.OTHER_RELEVANT for r in records.values())
    assert session.scalars(select(QualificationWarning)).all() == []
    introductions = session.scalars(select(Introduction)).all()
    assert len(introductions) == 2
    assert session.scalars(select(IntroductionItem)).all()
    found = report.compute(session, end)
    assert found.headcount > 0
    assert found.not_recorded == 0
    assert found.qualified == found.headcount
