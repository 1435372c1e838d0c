"""The generator's families: guardians through the service layer, some reports about siblings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.models import Case
from barnskydd.core.clock import today
from barnskydd.people.models import Guardian
from barnskydd.synth.generator import generate
from tests.synth.test_generator import SMALL


def test_children_get_guardians_and_some_reports_are_about_two_siblings(session: Session) -> None:
    end = today()
    generate(
        session,
        municipality_code=SMALL,
        start=end - dt.timedelta(days=365),
        end=end,
        seed=3,
        scale=0.3,
    )
    children = session.scalar(select(func.count(func.distinct(Case.child_id)))) or 0
    with_guardians = session.scalar(select(func.count(func.distinct(Guardian.child_id)))) or 0
    assert with_guardians == children
    assert session.scalar(select(func.count()).where(Guardian.interpreter.is_not(None)))
    groups = list(
        session.execute(
            select(Case.report_group, func.count())
            .where(Case.report_group.is_not(None))
            .group_by(Case.report_group)
        )
    )
    assert groups
    assert all(size == 2 for _, size in groups)
    assert len(groups) < children / 5
