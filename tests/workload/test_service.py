"""The workload services on both dialects: points from the chain, ratings, weeks, access."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import Concern, InvestigationOutcome, JournalKind, PreliminaryOutcome
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.staff import service as staff
from barnskydd.workload import indicators, measurement
from barnskydd.workload import model as workload_model
from barnskydd.workload import points as pts
from barnskydd.workload import service as workload
from barnskydd.workload.reading import unit_facts
from barnskydd.workload.records import MeasurementEntry, MeasurementTotal
from tests.factories import OTHER_CHILD_PNR, registered_case, take, unit_and_worker

MODEL = workload_model.load(workload_model.DEFAULT)
ON = dt.date(2025, 6, 30)


def _lead(session: Session, unit_id: int, username: str = "lena") -> Actor:
    member = staff.create(
        session, username=username, display_name="Lena Ledare", role=Role.TEAM_LEAD,
        unit_id=unit_id,
    )  # fmt: skip
    return staff.actor_for(member)


def _chain(session: Session) -> tuple[int, Actor, Actor]:
    """A unit whose worker (0 years: x1.3) holds one case in protection assessment (2 points)
    and one honour-related case under investigation (12 + 6), each assigned at registration."""
    unit_id, worker = unit_and_worker(session)
    lead = _lead(session, unit_id)
    first = registered_case(session, unit_id, worker)
    second = registered_case(
        session,
        unit_id,
        worker,
        child_identity=OTHER_CHILD_PNR,
        concerns=[Concern.HONOUR_RELATED],
        received_at=dt.datetime(2025, 6, 2, 9, 0, tzinfo=SWEDEN),
    )
    for case in (first, second):
        case.assigned_to_id = worker.staff_id
    take(session, Step.ASSESS_PROTECTION, actor=worker, case_id=second.id,
         assessed_at="2025-06-02T10:00:00+02:00", immediate_protection_needed=False)  # fmt: skip
    take(session, Step.DECIDE_PRELIMINARY, actor=worker, case_id=second.id,
         decided_on="2025-06-10", outcome=PreliminaryOutcome.INVESTIGATION_OPENED)  # fmt: skip
    session.flush()
    return unit_id, worker, lead


def test_the_team_lead_sees_points_from_the_chain(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    view = workload.unit_load(session, actor=lead, unit_id=unit_id, on=ON, model=MODEL)
    anna = next(w for w in view.workers if w.staff_id == worker.staff_id)
    assert anna.score.raw == 2 + 12 + 6
    assert anna.score.points == 26.0  # 20 x 1.3
    assert anna.score.norm == 150.0
    assert [p.day for p in anna.trend][-2:] == [dt.date(2025, 5, 31), ON]
    assert anna.trend[-2].points == 0.0  # neither case had come in by the end of May
    assert [w.name for w in view.workers] == sorted(w.name for w in view.workers)
    assert view.full_time == 1.0  # the team lead holds no case: not counted
    assert view.points_per_full_time == 26.0


def test_the_points_change_with_the_model_without_code(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    text = workload_model.DEFAULT.read_text(encoding="utf-8")
    edited = workload_model.parse(text.replace("honour_related = 6", "honour_related = 16"))
    view = workload.unit_load(session, actor=lead, unit_id=unit_id, on=ON, model=edited)
    assert next(w for w in view.workers if w.staff_id == worker.staff_id).score.raw == 30


def test_only_the_units_team_lead_or_admin_sees_it(session: Session) -> None:
    unit_id, worker, _ = _chain(session)
    other_unit, _ = unit_and_worker(session, name="Väster", username="olle")
    other_lead = _lead(session, other_unit, "otto")
    for actor in (worker, other_lead):
        with pytest.raises(PermissionDenied):
            workload.unit_load(session, actor=actor, unit_id=unit_id, on=ON, model=MODEL)
    admin = Actor(username="admin", role=Role.ADMIN, staff_id=None, unit_id=None)
    assert workload.unit_load(session, actor=admin, unit_id=unit_id, on=ON, model=MODEL).workers


def test_a_worker_rates_their_own_month_once(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    workload.rate(session, actor=worker, month=ON, rating=4, flex_hours=None, today=ON)
    workload.rate(session, actor=worker, month=ON, rating=5, flex_hours=12, today=ON)
    view = workload.unit_load(session, actor=lead, unit_id=unit_id, on=ON, model=MODEL)
    assert next(w for w in view.workers if w.staff_id == worker.staff_id).rating == 5
    for kwargs in ({"rating": 6}, {"rating": 3, "month": dt.date(2025, 3, 1)}):
        with pytest.raises(InvalidInput):
            workload.rate(
                session, actor=worker, flex_hours=None, today=ON,
                **{"month": ON, **kwargs},  # type: ignore[arg-type]
            )  # fmt: skip


def test_above_the_norm_two_months_in_a_row_is_an_alert(session: Session) -> None:
    unit_id, _worker, lead = _chain(session)
    text = workload_model.DEFAULT.read_text(encoding="utf-8")
    low = workload_model.parse(text.replace("norm = 150", "norm = 10"))
    july = dt.date(2025, 7, 31)
    view = workload.unit_load(session, actor=lead, unit_id=unit_id, on=july, model=low)
    assert [a.kind for a in view.alerts] == ["above_norm"]
    assert "Anna Andersson" in view.alerts[0].text
    june = workload.unit_load(session, actor=lead, unit_id=unit_id, on=ON, model=low)
    assert june.alerts == []  # above in June only, not in May


def test_a_measurement_week_keeps_only_unit_totals_from_five(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    monday = dt.date(2025, 6, 2)
    week = measurement.open_week(
        session, actor=lead, unit_id=unit_id, starts_on=monday, today=monday
    )
    workers = [worker] + [
        staff.actor_for(
            staff.create(
                session,
                username=f"w{i}",
                display_name=f"W {i}",
                role=Role.CASE_WORKER,
                unit_id=unit_id,
            )
        )
        for i in range(4)
    ]
    for n, w in enumerate(workers):
        measurement.record(session, actor=w, week_id=week.id, day=monday,
                           category="child", minutes=30, today=monday)  # fmt: skip
        measurement.record(session, actor=w, week_id=week.id, day=monday,
                           category="documentation", minutes=60 + 15 * n, today=monday)  # fmt: skip
    with pytest.raises(InvalidInput):
        measurement.record(session, actor=worker, week_id=week.id, day=monday,
                           category="child", minutes=20, today=monday)  # fmt: skip
    closed = measurement.close(session, actor=lead, week_id=week.id)
    assert (closed.participants, closed.kept) == (5, True)
    assert closed.totals == {"child": 150, "documentation": 450}
    assert session.scalar(select(func.count()).select_from(MeasurementEntry)) == 0


def test_a_week_with_four_keeps_nothing_and_closes_itself(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    monday = dt.date(2025, 6, 2)
    week = measurement.open_week(
        session, actor=lead, unit_id=unit_id, starts_on=monday, today=monday
    )
    measurement.record(session, actor=worker, week_id=week.id, day=monday,
                       category="travel", minutes=45, today=monday)  # fmt: skip
    assert measurement.close_due(session, today=dt.date(2025, 6, 9)) == 1
    [closed] = measurement.closed_weeks(session, actor=lead, unit_id=unit_id)
    assert (closed.participants, closed.kept, closed.totals) == (1, False, {})
    assert session.scalar(select(func.count()).select_from(MeasurementEntry)) == 0
    assert session.scalar(select(func.count()).select_from(MeasurementTotal)) == 0


def test_an_expired_week_is_read_only_and_shows_no_entries_until_the_daily_job_closes_it(
    session: Session,
) -> None:
    unit_id, worker, lead = _chain(session)
    monday = dt.date(2025, 6, 2)
    week = measurement.open_week(
        session, actor=lead, unit_id=unit_id, starts_on=monday, today=monday
    )
    measurement.record(session, actor=worker, week_id=week.id, day=monday,
                       category="travel", minutes=45, today=monday)  # fmt: skip
    after = dt.date(2025, 6, 9)
    assert measurement.current_week(session, unit_id=unit_id, today=monday) is not None
    assert measurement.current_week(session, unit_id=unit_id, today=after) is None
    assert measurement.own_entries(session, actor=worker, week_id=week.id, today=after) == []
    with pytest.raises(InvalidInput):
        measurement.record(session, actor=worker, week_id=week.id, day=dt.date(2025, 6, 8),
                           category="travel", minutes=45, today=after)  # fmt: skip
    # Reading closed nothing: the raw entry is still there for the daily job to delete.
    assert session.scalar(select(func.count()).select_from(MeasurementEntry)) == 1
    assert week.closed_at is None
    assert measurement.close_due(session, today=after) == 1
    assert measurement.close_due(session, today=after) == 0
    assert session.scalar(select(func.count()).select_from(MeasurementEntry)) == 0


def test_time_use_from_the_journal(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    second = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert second is not None
    for kind, alone, minutes in (
        (JournalKind.CHILD_TALK, True, 60),
        (JournalKind.CHILD_TALK, False, 30),
        (JournalKind.GUARDIAN_TALK, False, 90),
    ):
        journal.create(
            session, actor=worker, case=second,
            data=JournalAdd(kind=kind, at=dt.datetime(2025, 6, 12, 10, tzinfo=SWEDEN),
                            child_alone=alone, minutes=minutes,
                            text="Syntetisk anteckning."),  # type: ignore[arg-type]
        )  # fmt: skip
    june = indicators.time_use(session, actor=lead, unit_id=unit_id, on=ON)[-1]
    assert (june.minutes, june.child_minutes, june.alone_minutes) == (180, 90, 60)
    assert june.child_share == 0.5


def test_talks_with_the_child_per_completed_investigation(session: Session) -> None:
    unit_id, worker, lead = _chain(session)
    second = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert second is not None
    for day in (11, 12):
        journal.create(
            session, actor=worker, case=second,
            data=JournalAdd(kind=JournalKind.CHILD_TALK,
                            at=dt.datetime(2025, 6, day, 10, tzinfo=SWEDEN),
                            child_alone=True, minutes=45, text="Syntetisk anteckning."),
        )  # fmt: skip
    take(session, Step.COMPLETE_INVESTIGATION, actor=worker, case_id=second.id,
         completed_on="2025-06-20", outcome=InvestigationOutcome.NO_INTERVENTION)  # fmt: skip
    june = indicators.time_use(session, actor=lead, unit_id=unit_id, on=ON)[-1]
    assert (june.investigations, june.child_talks) == (1, 2)
    assert june.talks_per_investigation == 2.0
    assert june.alone_share == 1.0


def test_the_deadline_risk_today_matches_the_inbox(session: Session) -> None:
    """Rebuilt from dated records, the first three steps on a day are those the inbox lists."""
    unit_id, _worker, lead = _chain(session)
    day = dt.date(2025, 6, 20)
    facts = unit_facts(session, unit_id=unit_id, since=day, until=day)
    first_three = ("protection_assessment", "preliminary_assessment", "investigation")
    inbox = [
        i
        for i in cases.open_items(session, actor=lead, today=day, unit_id=unit_id)
        if i.rule in first_three
    ]
    rebuilt = sorted(due for f in facts for due in pts.first_deadlines_on(f, day))
    assert rebuilt == sorted(i.due for i in inbox)
    assert len(rebuilt) == 2
    assert pts.deadline_risk(facts, day, soon_days=3) == sum(i.days_left <= 3 for i in inbox)
