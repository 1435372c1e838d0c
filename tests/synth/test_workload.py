"""The synthetic municipality's workload: ratings per worker and month, one closed week per unit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.staff.models import Unit
from barnskydd.workload.records import (
    LoadRating,
    MeasurementEntry,
    MeasurementTotal,
    MeasurementWeek,
)
from tests.synth.test_generator import _small


def test_ratings_and_a_closed_week_with_only_unit_totals(session: Session) -> None:
    _small(session)
    ratings = list(session.scalars(select(LoadRating)))
    assert ratings
    assert {r.rating for r in ratings} <= {1, 2, 3, 4, 5}
    assert len({r.month for r in ratings}) <= 6
    weeks = list(session.scalars(select(MeasurementWeek)))
    units = session.scalar(select(func.count()).select_from(Unit))
    assert len(weeks) == units
    assert all(w.closed_at is not None for w in weeks)
    assert session.scalar(select(func.count()).select_from(MeasurementEntry)) == 0
    for week in weeks:
        totals = session.scalar(
            select(func.count())
            .select_from(MeasurementTotal)
            .where(MeasurementTotal.week_id == week.id)
        )
        assert bool(totals) is bool(week.kept)
        assert week.kept is ((week.participants or 0) >= 5)
