"""The automatic scan: one deviation the first day after each missed deadline, none extended."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases import feedback
from barnskydd.cases import missed as deadlines
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Report
from barnskydd.core.clock import SWEDEN, local_date
from barnskydd.deviations import scan
from barnskydd.deviations.codes import DeviationKind, DeviationStatus
from barnskydd.deviations.models import Deviation, DeviationScanRun
from barnskydd.law.rules import RULE_NAMES
from tests.factories import registered_case, take, unit_and_worker

ONE_DAY = dt.timedelta(days=1)


def _received(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SWEDEN)


def _auto(session: Session, case_id: int, rule: str) -> list[Deviation]:
    return list(
        session.scalars(
            select(Deviation).where(Deviation.case_id == case_id, Deviation.rule == rule)
        )
    )


def _first_day_after(session: Session, case_id: int, rule: str, due: dt.date) -> None:
    """Assert none on the last day, exactly one the day after, and none more on a rescan.

    Other rules of the same case (feedback to the reporter, say) may be missed too; only the
    rule under test is counted.
    """
    scan.scan(session, as_of=due)
    assert _auto(session, case_id, rule) == []
    scan.scan(session, as_of=due + ONE_DAY)
    assert len(_auto(session, case_id, rule)) == 1
    assert scan.scan(session, as_of=due + ONE_DAY).created == 0
    scan.scan(session, as_of=due + 30 * ONE_DAY)  # later rules may be missed by then
    (deviation,) = _auto(session, case_id, rule)
    assert deviation.kind is DeviationKind.AUTO
    assert deviation.status is DeviationStatus.TO_ASSESS
    assert deviation.due == due
    assert deviation.reported_by_id is None


def test_every_rule_of_the_rule_sets_has_a_deadline_source() -> None:
    assert set(deadlines.rules()) == set(RULE_NAMES)


def test_protection_assessment_missed_on_midsummer_eve_is_a_deviation_the_next_day(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=_received(dt.date(2026, 6, 19)))
    assert case.report.protection_due == dt.date(2026, 6, 19)  # genast: not moved
    _first_day_after(session, case.id, "protection_assessment", dt.date(2026, 6, 19))


def test_protection_assessment_made_the_same_day_is_no_deviation(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=_received(dt.date(2026, 3, 6)))
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=dt.datetime(2026, 3, 6, 15, 0, tzinfo=SWEDEN).isoformat(),
        immediate_protection_needed=False,
    )
    scan.scan(session, as_of=dt.date(2026, 4, 1))
    assert _auto(session, case.id, "protection_assessment") == []
    assert len(_auto(session, case.id, "preliminary_assessment")) == 1  # day 14 was missed


def _assessed(session: Session, received: dt.date) -> tuple[int, object]:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=_received(received))
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=_received(received).isoformat(),
        immediate_protection_needed=False,
    )
    return case.id, worker


def test_preliminary_assessment_due_on_midsummer_eve_moves_to_monday(session: Session) -> None:
    case_id, _ = _assessed(session, dt.date(2026, 6, 5))  # day 14: fredag 19 juni, midsommarafton

    report = session.scalars(select(Report).where(Report.case_id == case_id)).one()
    assert report.preliminary_due == dt.date(2026, 6, 22)
    _first_day_after(session, case_id, "preliminary_assessment", dt.date(2026, 6, 22))


def test_preliminary_assessment_due_on_a_saturday_moves_to_monday(session: Session) -> None:
    case_id, _ = _assessed(session, dt.date(2026, 1, 10))  # day 14: lördag 24 januari
    _first_day_after(session, case_id, "preliminary_assessment", dt.date(2026, 1, 26))


def test_preliminary_assessment_extended_is_no_deviation_the_day_after(session: Session) -> None:
    case_id, worker = _assessed(session, dt.date(2026, 1, 10))
    take(
        session,
        Step.EXTEND_PRELIMINARY,
        actor=worker,
        case_id=case_id,
        decided_on="2026-01-20",
        new_due="2026-02-09",
        reason="Synnerliga skäl: syntetiskt exempel.",
    )
    scan.scan(session, as_of=dt.date(2026, 1, 27))
    assert _auto(session, case_id, "preliminary_assessment") == []


def _investigating(session: Session, opened: dt.date) -> tuple[int, object]:
    case_id, worker = _assessed(session, opened - 3 * ONE_DAY)
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=worker,
        case_id=case_id,
        decided_on=opened.isoformat(),
        outcome="investigation_opened",
    )
    return case_id, worker


def test_investigation_due_on_midsummer_weekend_moves_to_monday(session: Session) -> None:
    case_id, _ = _investigating(session, dt.date(2026, 2, 21))  # 4 months: söndag 21 juni
    _first_day_after(session, case_id, "investigation", dt.date(2026, 6, 22))


def test_investigation_extended_is_no_deviation_the_day_after(session: Session) -> None:
    case_id, worker = _investigating(session, dt.date(2026, 2, 21))
    take(
        session,
        Step.EXTEND_INVESTIGATION,
        actor=worker,
        case_id=case_id,
        decided_on="2026-06-01",
        new_due="2026-08-21",
        reason="Särskilda skäl: syntetiskt exempel.",
    )
    scan.scan(session, as_of=dt.date(2026, 6, 23))
    assert _auto(session, case_id, "investigation") == []


def test_the_daily_run_scans_once_a_day(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    registered_case(session, unit_id, worker, received_at=_received(dt.date(2026, 3, 2)))
    first = scan.run_daily(session, as_of=dt.date(2026, 3, 3))
    assert first is not None
    assert first.created == 1
    assert scan.run_daily(session, as_of=dt.date(2026, 3, 3)) is None
    assert session.scalar(select(func.count()).select_from(DeviationScanRun)) == 1


def test_a_later_rule_missed_and_still_open_is_a_deviation_the_day_after(
    session: Session,
) -> None:
    """A decision not carried out within three months (a rule of cases.deadlines) is scanned."""
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 2, 2, 10, 0, tzinfo=SWEDEN)
    case = registered_case(session, unit_id, worker, received_at=received)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=received + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=worker,
        case_id=case.id,
        decided_on=dt.date(2026, 2, 5),
        outcome="investigation_opened",
    )
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case.id,
        category="open_care",
        legal_basis="sol",
        decided_on=dt.date(2026, 2, 25),
        start_on=dt.date(2026, 6, 1),
    )
    due = dt.date(2026, 5, 25)  # three months after the decision; lag (1930:173) does not move it
    scan.scan(session, as_of=due)
    assert _auto(session, case.id, "unexecuted_decision") == []
    scan.scan(session, as_of=due + ONE_DAY)
    (deviation,) = _auto(session, case.id, "unexecuted_decision")
    assert deviation.kind is DeviationKind.AUTO
    assert deviation.due == due
    assert scan.scan(session, as_of=due + ONE_DAY).created == 0


# Every later rule, one occurrence each; and every occurrence of a repeated one (issue 14 item 3).


def _with_investigation(
    session: Session, received: dt.date, decided: dt.date, **kw: object
) -> tuple[int, object]:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=_received(received), **kw)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=_received(received).isoformat(),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=worker,
        case_id=case.id,
        decided_on=decided,
        outcome="investigation_opened",
    )
    return case.id, worker


def _placed(
    session: Session, start: dt.date, *, basis: str = "sol", category: str = "family_home"
) -> tuple[int, object, int]:
    case_id, worker = _with_investigation(
        session,
        start - 10 * ONE_DAY,
        start - 7 * ONE_DAY,
        mandatory_reporter=False,
        reporter_category="relative",
        reporter_organisation=None,
    )
    placement = take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case_id,
        category=category,
        legal_basis=basis,
        decided_on=start,
    ).id
    return case_id, worker, int(placement)


def _review(session: Session, worker: object, case_id: int, placement: int, day: dt.date) -> None:
    take(
        session,
        Step.REVIEW_PLACEMENT,
        actor=worker,
        case_id=case_id,
        intervention_id=placement,
        reviewed_on=day,
        care_plan_revised=False,
        voice_status="declined_by_child",
    )


def _dues(session: Session, case_id: int, rule: str) -> list[dt.date]:
    return sorted(d.due for d in _auto(session, case_id, rule) if d.due is not None)


def test_a_placement_review_due_on_midsummer_eve_is_a_deviation_the_monday_after(
    session: Session,
) -> None:
    case_id, _, _ = _placed(session, dt.date(2025, 12, 19))  # + 6 months: fredag 19 juni 2026
    _first_day_after(session, case_id, "placement_review", dt.date(2026, 6, 22))


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (dt.date(2026, 3, 8), dt.date(2026, 9, 8)),  # tisdag: not moved
        (dt.date(2026, 2, 2), dt.date(2026, 8, 3)),  # söndag 2 augusti: moved to Monday
    ],
)
def test_an_lvu_review_missed_is_a_deviation_the_first_day_after_its_moved_last_day(
    session: Session, start: dt.date, due: dt.date
) -> None:
    case_id, _, _ = _placed(session, start, basis="lvu", category="residential_hvb")
    _first_day_after(session, case_id, "lvu_review", due)


def test_two_missed_review_periods_are_two_deviations(session: Session) -> None:
    case_id, _, _ = _placed(session, dt.date(2026, 1, 12))
    scan.scan(session, as_of=dt.date(2027, 1, 13))
    # 12 juli 2026 is a Sunday: moved to Monday; the second period counts from 12 juli.
    assert _dues(session, case_id, "placement_review") == [
        dt.date(2026, 7, 13),
        dt.date(2027, 1, 12),
    ]
    assert scan.scan(session, as_of=dt.date(2027, 1, 13)).created == 0


def test_a_review_made_late_is_one_deviation_and_the_next_period_counts_from_it(
    session: Session,
) -> None:
    case_id, worker, placement = _placed(session, dt.date(2026, 1, 12))
    _review(session, worker, case_id, placement, dt.date(2026, 8, 3))  # three weeks late
    scan.scan(session, as_of=dt.date(2027, 2, 3))  # the next review is due 3 februari 2027
    assert _dues(session, case_id, "placement_review") == [dt.date(2026, 7, 13)]
    scan.scan(session, as_of=dt.date(2027, 2, 4))
    assert _dues(session, case_id, "placement_review") == [
        dt.date(2026, 7, 13),
        dt.date(2027, 2, 3),
    ]


def test_reviews_made_in_time_are_no_deviation(session: Session) -> None:
    case_id, worker, placement = _placed(session, dt.date(2026, 1, 12))
    _review(session, worker, case_id, placement, dt.date(2026, 7, 1))
    _review(session, worker, case_id, placement, dt.date(2026, 11, 30))
    scan.scan(session, as_of=dt.date(2027, 5, 31))  # 30 maj 2027 is a Sunday: due Monday
    assert _dues(session, case_id, "placement_review") == []


def test_a_care_plan_revision_missed_is_a_deviation_the_day_after(session: Session) -> None:
    case_id, _, _ = _placed(session, dt.date(2026, 2, 20))
    _first_day_after(session, case_id, "care_plan_revision", dt.date(2028, 2, 21))  # 20: söndag


def _jourhem_and_youth_service(session: Session) -> tuple[int, object, int]:
    case_id, worker = _with_investigation(session, dt.date(2026, 2, 2), dt.date(2026, 2, 5))
    jourhem = take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case_id,
        category="emergency_home",
        legal_basis="sol",
        decided_on=dt.date(2026, 2, 20),
    ).id
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case_id,
        category="youth_service",
        legal_basis="sol",
        decided_on=dt.date(2026, 2, 25),
        start_on=dt.date(2026, 5, 4),
        judgment_final_on=dt.date(2026, 2, 24),
    )
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case_id,
        completed_on=dt.date(2026, 3, 2),
        outcome="interventions",
    )
    return case_id, worker, int(jourhem)


def test_a_jourhem_beyond_two_months_is_a_deviation_the_day_after(session: Session) -> None:
    case_id, _, _ = _jourhem_and_youth_service(session)
    _first_day_after(session, case_id, "emergency_home", dt.date(2026, 5, 2))  # lördag, not moved


def test_youth_service_started_late_is_a_deviation_also_when_first_scanned_after_the_start(
    session: Session,
) -> None:
    case_id, _, _ = _jourhem_and_youth_service(session)
    scan.scan(session, as_of=dt.date(2026, 6, 1))  # started 4 May, due 24 April: met late
    assert _dues(session, case_id, "youth_service") == [dt.date(2026, 4, 24)]


def test_youth_service_missed_is_a_deviation_the_day_after(session: Session) -> None:
    case_id, _, _ = _jourhem_and_youth_service(session)
    _first_day_after(session, case_id, "youth_service", dt.date(2026, 4, 24))


def test_feedback_missed_is_a_deviation_the_day_after(session: Session) -> None:
    case_id, _ = _with_investigation(session, dt.date(2026, 2, 2), dt.date(2026, 2, 5))
    _first_day_after(session, case_id, "feedback", dt.date(2026, 2, 12))


def test_feedback_given_late_is_a_deviation_when_first_scanned_after_it(session: Session) -> None:
    case_id, worker = _with_investigation(session, dt.date(2026, 2, 2), dt.date(2026, 2, 5))
    given = feedback.record(session, actor=worker, case_id=case_id)  # given today: late
    scan.scan(session, as_of=local_date(given.given_at) + ONE_DAY)
    assert _dues(session, case_id, "feedback") == [dt.date(2026, 2, 12)]


def test_a_follow_up_missed_is_a_deviation_the_day_after(session: Session) -> None:
    case_id, worker, placement = _placed(
        session, dt.date(2026, 3, 10), basis="lvu", category="residential_hvb"
    )
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case_id,
        completed_on=dt.date(2026, 3, 20),
        outcome="interventions",
    )
    take(
        session,
        Step.END_INTERVENTION,
        actor=worker,
        case_id=case_id,
        intervention_id=placement,
        ended_on=dt.date(2026, 6, 30),
        reason="Vården har upphört.",
    )
    _first_day_after(session, case_id, "follow_up", dt.date(2026, 12, 30))


def test_the_key_is_rule_case_last_day_and_intervention() -> None:
    assert scan.auto_key(7, "investigation", dt.date(2026, 6, 22)) == "7:investigation:2026-06-22"
    assert scan.auto_key(7, "lvu_review", dt.date(2026, 9, 8), 3) == "7:lvu_review:2026-09-08:3"
