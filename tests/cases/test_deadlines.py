"""Every open deadline of a case: the later rules read off the chain, in the inbox and team view.

Each expected day was worked out by hand (see tests/law/test_later_deadlines.py for the
calendar cases); the events are real chain steps taken through the service layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from barnskydd.cases import deadlines, feedback, team
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput
from barnskydd.staff import service as staff
from tests.factories import (
    OTHER_CHILD_PNR,
    opened_investigation,
    report_data,
    take,
    unit_and_worker,
)

D = dt.date


def _opened(
    session: Session, worker: Actor, unit_id: int, received: dt.datetime, decided: D, **kw: Any
) -> Case:
    return opened_investigation(session, unit_id, worker, received=received, decided=decided, **kw)


def _decide(session: Session, worker: Actor, case_id: int, **fields: Any) -> int:
    return int(take(session, Step.DECIDE_INTERVENTION, actor=worker, case_id=case_id, **fields).id)


def _open(session: Session, case_id: int, today: D) -> list[tuple[str, D, str]]:
    case = cases.load(session, case_id)
    return [
        (d.rule, d.due, d.reference) for d in deadlines.open_deadlines(session, case, today=today)
    ]


def test_placements_jourhem_unexecuted_decision_youth_service_and_feedback(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    case = _opened(session, worker, unit_id, received, D(2026, 2, 5))
    family_home = _decide(
        session,
        worker,
        case.id,
        category="family_home",
        legal_basis="sol",
        decided_on=D(2026, 2, 20),
    )
    _decide(
        session,
        worker,
        case.id,
        category="emergency_home",
        legal_basis="sol",
        decided_on=D(2026, 2, 20),
    )
    _decide(
        session,
        worker,
        case.id,
        category="open_care",
        legal_basis="sol",
        decided_on=D(2026, 2, 25),
        start_on=D(2026, 6, 1),
    )
    _decide(
        session,
        worker,
        case.id,
        category="youth_service",
        legal_basis="sol",
        decided_on=D(2026, 2, 25),
        start_on=D(2026, 5, 4),
        judgment_final_on=D(2026, 2, 24),
    )
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case.id,
        completed_on=D(2026, 3, 2),
        outcome="interventions",
    )
    found = _open(session, case.id, D(2026, 4, 1))
    assert [(rule, due) for rule, due, _ in found] == [
        ("feedback", D(2026, 2, 12)),  # decided Thu 5 Feb + one week
        ("youth_service", D(2026, 4, 24)),  # laga kraft 24 Feb + 2 months, Fri
        (
            "emergency_home",
            D(2026, 5, 2),
        ),  # investigation ended 2 Mar + 2 months: a Saturday, not moved
        ("unexecuted_decision", D(2026, 5, 25)),  # decided 25 Feb + 3 months, not yet started
        ("placement_review", D(2026, 8, 20)),  # family home from 20 Feb
        ("placement_review", D(2026, 8, 20)),  # jourhem from 20 Feb
        ("care_plan_revision", D(2028, 2, 21)),  # 20 Feb 2028 is a Sunday
        ("care_plan_revision", D(2028, 2, 21)),
    ]
    references = {rule: ref for rule, _, ref in found}
    assert references["feedback"] == "19 kap. 6 § andra stycket socialtjänstlagen (2025:400)"
    assert references["emergency_home"] == "22 kap. 4 § andra stycket socialtjänstlagen (2025:400)"

    # Feedback given and the family home reviewed with its vårdplan: both drop or move on.
    feedback.record(session, actor=worker, case_id=case.id)
    take(
        session,
        Step.REVIEW_PLACEMENT,
        actor=worker,
        case_id=case.id,
        intervention_id=family_home,
        reviewed_on=D(2026, 4, 10),
        care_plan_revised=True,
        voice_status="declined_by_child",
    )
    after = [(rule, due) for rule, due, _ in _open(session, case.id, D(2026, 4, 12))]
    assert ("feedback", D(2026, 2, 12)) not in after
    assert ("placement_review", D(2026, 10, 12)) in after  # 10 Oct 2026 is a Saturday
    assert after.count(("care_plan_revision", D(2028, 2, 21))) == 1  # only the jourhem's
    # Once the insats has started, the decision is executed: no report to IVO is due.
    assert "unexecuted_decision" not in [rule for rule, _ in _open_rules(session, case.id)]


def _open_rules(session: Session, case_id: int) -> list[tuple[str, D]]:
    return [(rule, due) for rule, due, _ in _open(session, case_id, D(2026, 6, 2))]


def test_lvu_care_is_reviewed_and_the_follow_up_ends_six_months_after_the_placement(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SWEDEN)
    case = _opened(
        session,
        worker,
        unit_id,
        received,
        D(2026, 3, 3),
        child_identity=OTHER_CHILD_PNR,
        mandatory_reporter=False,
        reporter_category="relative",
        reporter_organisation=None,
    )
    hvb = _decide(
        session,
        worker,
        case.id,
        category="residential_hvb",
        legal_basis="lvu",
        decided_on=D(2026, 3, 10),
    )
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case.id,
        completed_on=D(2026, 3, 20),
        outcome="interventions",
    )
    during = _open(session, case.id, D(2026, 4, 1))
    assert [(rule, due) for rule, due, _ in during] == [
        ("lvu_review", D(2026, 9, 10)),
        ("care_plan_revision", D(2028, 3, 10)),
    ]
    assert during[0][2] == "13 § lagen (1990:52) med särskilda bestämmelser om vård av unga"
    take(
        session,
        Step.END_INTERVENTION,
        actor=worker,
        case_id=case.id,
        intervention_id=hvb,
        ended_on=D(2026, 6, 30),
        reason="Vården har upphört.",
    )
    assert [(rule, due) for rule, due, _ in _open(session, case.id, D(2026, 7, 1))] == [
        ("follow_up", D(2026, 12, 30)),
    ]


def test_the_inbox_and_the_team_view_list_the_later_deadlines_with_their_paragraphs(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    case = _opened(session, worker, unit_id, received, D(2026, 2, 5))
    _decide(
        session,
        worker,
        case.id,
        category="family_home",
        legal_basis="sol",
        decided_on=D(2026, 2, 20),
    )
    today = D(2026, 3, 1)
    items = cases.open_items(session, actor=worker, today=today)
    by_rule = {item.rule: item for item in items}
    assert set(by_rule) == {"investigation", "feedback", "placement_review", "care_plan_revision"}
    assert by_rule["feedback"].days_left == -17
    assert by_rule["feedback"].overdue
    assert by_rule["placement_review"].reference.startswith("22 kap. 13 §")
    assert by_rule["investigation"].reference == "20 kap. 3 § socialtjänstlagen (2025:400)"
    assert [item.due for item in items] == sorted(item.due for item in items)
    lead = staff.actor_for(
        staff.create(
            session,
            username="lisa",
            display_name="Lisa Ledare",
            role=Role.TEAM_LEAD,
            unit_id=unit_id,
        )
    )
    view = team.get(session, actor=lead, unit_id=unit_id, today=today)
    assert {row.item.rule for row in view.items} == set(by_rule)
    assert {row.risk for row in view.items if row.item.rule == "feedback"} == {
        team.DeadlineRisk.OVERDUE
    }


def _feedback_due(session: Session, case_id: int, today: D) -> list[D]:
    return [due for rule, due, _ in _open(session, case_id, today) if rule == "feedback"]


def test_the_feedback_week_binds_only_a_reporter_who_asked(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    # Decided Thu 5 Feb: one week is Thu 12 Feb.
    asked = _opened(session, worker, unit_id, received, D(2026, 2, 5), feedback_requested=True)
    assert _feedback_due(session, asked.id, D(2026, 2, 6)) == [D(2026, 2, 12)]
    declined = _opened(
        session,
        worker,
        unit_id,
        received,
        D(2026, 2, 5),
        feedback_requested=False,
        child_identity=OTHER_CHILD_PNR,
    )
    assert _feedback_due(session, declined.id, D(2026, 2, 6)) == []
    assert cases.load(session, declined.id).report.feedback_requested is False

    # Asked later, after the decision: due at once, on the day the request came in.
    late = feedback.FeedbackRequest.model_validate({"requested_on": D(2026, 2, 20)})
    feedback.record_request(session, actor=worker, case=cases.load(session, declined.id), data=late)
    assert _feedback_due(session, declined.id, D(2026, 2, 20)) == [D(2026, 2, 20)]
    # A second request keeps the first day.
    again = feedback.FeedbackRequest.model_validate({"requested_on": D(2026, 2, 25)})
    feedback.record_request(
        session, actor=worker, case=cases.load(session, declined.id), data=again
    )
    assert _feedback_due(session, declined.id, D(2026, 2, 26)) == [D(2026, 2, 20)]


def test_a_report_that_does_not_say_keeps_the_week(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    case = _opened(session, worker, unit_id, received, D(2026, 2, 5))
    assert cases.load(session, case.id).report.feedback_requested is None
    assert _feedback_due(session, case.id, D(2026, 2, 6)) == [D(2026, 2, 12)]


def test_a_request_is_refused_before_the_report_and_for_other_reporters(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    case = _opened(session, worker, unit_id, received, D(2026, 2, 5), feedback_requested=False)
    early = feedback.FeedbackRequest.model_validate({"requested_on": D(2026, 2, 1)})
    with pytest.raises(InvalidInput) as refused:
        feedback.record_request(
            session, actor=worker, case=cases.load(session, case.id), data=early
        )
    assert refused.value.field == "requested_on"
    assert cases.load(session, case.id).report.feedback_requested is False
    with pytest.raises(ValidationError) as invalid:
        report_data(unit_id, mandatory_reporter=False, reporter_category="private_person",
                    feedback_requested=True)  # fmt: skip
    assert invalid.value.errors()[0]["loc"] == ("feedback_requested",)
