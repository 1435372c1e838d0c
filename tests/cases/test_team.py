"""The team lead's view: deadline risk, caseload per worker and who may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases import team
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.team import DeadlineRisk, risk
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import NotFound, PermissionDenied
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR, registered_case, take, unit_and_worker

RECEIVED = dt.datetime(2025, 9, 1, 10, 0, tzinfo=SWEDEN)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (-30, DeadlineRisk.OVERDUE),
        (-1, DeadlineRisk.OVERDUE),
        (0, DeadlineRisk.DUE_SOON),
        (3, DeadlineRisk.DUE_SOON),
        (4, DeadlineRisk.LATER),
        (120, DeadlineRisk.LATER),
    ],
)
def test_risk_is_overdue_within_three_days_or_later(days_left: int, expected: DeadlineRisk) -> None:
    assert risk(days_left) is expected


def _lead(session: Session, unit_id: int) -> Actor:
    member = staff.create(
        session,
        username="lisa",
        display_name="Lisa Ledare",
        role=Role.TEAM_LEAD,
        unit_id=unit_id,
        socionom=True,
        years_experience=12,
    )
    return staff.actor_for(member)


def test_the_view_lists_the_units_steps_by_risk_and_the_caseload_per_worker(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    lead = _lead(session, unit_id)
    mine = registered_case(
        session, unit_id, worker, received_at=RECEIVED, assigned_to_id=worker.staff_id
    )
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=mine.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    unassigned = registered_case(
        session, unit_id, worker, received_at=RECEIVED, child_identity=OTHER_CHILD_PNR
    )
    today = RECEIVED.date() + dt.timedelta(days=12)  # preliminary due 2025-09-15
    view = team.get(session, actor=lead, unit_id=unit_id, today=today)
    assert view.unit_name == "Barn och unga Centrum"
    by_case = {i.item.case_number: i for i in view.items}
    assert by_case[unassigned.case_number].risk is DeadlineRisk.OVERDUE  # protection: same day
    assert by_case[unassigned.case_number].assigned_to_id is None
    assert by_case[mine.case_number].risk is DeadlineRisk.DUE_SOON
    assert by_case[mine.case_number].assigned_to_id == worker.staff_id
    assert view.risks == {DeadlineRisk.OVERDUE: 1, DeadlineRisk.DUE_SOON: 1}
    rows = {row.name: row for row in view.caseload}
    anna = rows["Anna Andersson"]
    assert anna.by_status == {CaseStatus.PRELIMINARY_ASSESSMENT: 1}
    assert anna.open_cases == 1
    assert anna.risks == {DeadlineRisk.DUE_SOON: 1}
    assert (anna.socionom, anna.years_experience) == (True, 0)
    assert (rows["Lisa Ledare"].open_cases, rows["Lisa Ledare"].years_experience) == (0, 12)
    assert view.caseload[-1].name == "Ej fördelade"
    assert view.caseload[-1].risks == {DeadlineRisk.OVERDUE: 1}
    assert view.workers == [(worker.staff_id, "Anna Andersson"), (lead.staff_id, "Lisa Ledare")]


def test_reassignment_moves_the_case_in_the_caseload(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    lead = _lead(session, unit_id)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    cases.reassign(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    view = team.get(session, actor=lead, unit_id=unit_id, today=RECEIVED.date())
    assert [r.name for r in view.caseload if r.open_cases] == ["Anna Andersson"]


def test_only_team_leads_of_the_unit_and_admins_open_the_view(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    other_unit, _ = unit_and_worker(session, name="Barn och unga Väster", username="bertil")
    lead = _lead(session, unit_id)
    for actor in (worker, Actor(username="ana", role=Role.ANALYST)):
        with pytest.raises(PermissionDenied):
            team.get(session, actor=actor, unit_id=unit_id, today=RECEIVED.date())
        with pytest.raises(PermissionDenied):
            team.units(session, actor=actor)
    with pytest.raises(PermissionDenied):
        team.get(session, actor=lead, unit_id=other_unit, today=RECEIVED.date())
    assert [u.id for u in team.units(session, actor=lead)] == [unit_id]
    admin = Actor(username="admin", role=Role.ADMIN)
    assert [u.id for u in team.units(session, actor=admin)] == [unit_id, other_unit]
    assert team.get(session, actor=admin, unit_id=other_unit, today=RECEIVED.date()).items == []
    with pytest.raises(NotFound):
        team.get(session, actor=admin, unit_id=999_999, today=RECEIVED.date())
