"""Every deadline rule, as a table: one automatic deviation the first day after its last day.

Issue 14 asks, for every deadline rule, for exactly one automatic deviation on the first day
after the deadline and none on the day before it, with the last day moved as lag (1930:173)
moves it (a Saturday, a Sunday, midsommarafton: to the next vardag) for the rules whose last
day is the last day for an act, and not moved for the others (the protection assessment is
"genast"; a jourhem's longest stay and the three months after which a decision not carried
out is reported are not an act's last day). And none when an extension is recorded: the
förhandsbedömning (synnerliga skäl, 20 kap. 2 § SoL) and the utredning (särskilda skäl,
20 kap. 3 §) are the only deadlines the chain records an extension of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from barnskydd.cases.chain.transitions import Step
from barnskydd.core.actor import Actor
from barnskydd.deviations import scan
from barnskydd.law import rules as law
from tests.deviations.test_scan import (
    ONE_DAY,
    _assessed,
    _auto,
    _first_day_after,
    _investigating,
    _placed,
    _received,
    _with_investigation,
)
from tests.factories import registered_case, take, unit_and_worker

MIDSOMMARAFTON = dt.date(2026, 6, 19)  # fredag; lördag 20 juni is midsommardagen
Build = Callable[[Session, dt.date], int]


def _protection(session: Session, received: dt.date) -> int:
    unit_id, worker = unit_and_worker(session)
    return registered_case(session, unit_id, worker, received_at=_received(received)).id


def _preliminary(session: Session, received: dt.date) -> int:
    return _assessed(session, received)[0]


def _investigation(session: Session, opened: dt.date) -> int:
    return _investigating(session, opened)[0]


def _feedback(session: Session, decided: dt.date) -> int:
    return _with_investigation(session, decided - 2 * ONE_DAY, decided)[0]


def _follow_up(session: Session, ended: dt.date) -> int:
    start = ended - 100 * ONE_DAY
    case_id, worker, placement = _placed(session, start, basis="lvu", category="residential_hvb")
    _complete(session, worker, case_id, start + 10 * ONE_DAY)
    take(
        session,
        Step.END_INTERVENTION,
        actor=worker,
        case_id=case_id,
        intervention_id=placement,
        ended_on=ended,
        reason="Vården har upphört.",
    )
    return case_id


def _placement(session: Session, start: dt.date) -> int:
    return _placed(session, start)[0]


def _lvu(session: Session, start: dt.date) -> int:
    return _placed(session, start, basis="lvu", category="residential_hvb")[0]


def _complete(session: Session, worker: Actor, case_id: int, day: dt.date) -> None:
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case_id,
        completed_on=day,
        outcome="interventions",
    )


def _decide(session: Session, worker: Actor, case_id: int, **fields: object) -> None:
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case_id,
        legal_basis="sol",
        **fields,
    )


def _emergency_home(session: Session, completed: dt.date) -> int:
    opened = completed - 30 * ONE_DAY
    case_id, worker = _with_investigation(session, opened - 3 * ONE_DAY, opened)
    _decide(session, worker, case_id, category="emergency_home", decided_on=opened + ONE_DAY)
    _complete(session, worker, case_id, completed)
    return case_id


def _unexecuted(session: Session, decided: dt.date) -> int:
    opened = decided - 20 * ONE_DAY
    case_id, worker = _with_investigation(session, opened - 3 * ONE_DAY, opened)
    start = decided + 130 * ONE_DAY  # started only after the three months
    _decide(session, worker, case_id, category="open_care", decided_on=decided, start_on=start)
    return case_id


def _youth_service(session: Session, final: dt.date) -> int:
    opened = final - 20 * ONE_DAY
    case_id, worker = _with_investigation(session, opened - 3 * ONE_DAY, opened)
    _decide(
        session,
        worker,
        case_id,
        category="youth_service",
        decided_on=final + ONE_DAY,
        start_on=final + 100 * ONE_DAY,  # started only after the two months
        judgment_final_on=final,
    )
    _complete(session, worker, case_id, final + 5 * ONE_DAY)
    return case_id


# rule, what the deadline counts from, that day, the last day (as lag 1930:173 moves it)
TABLE: list[tuple[str, Build, dt.date, dt.date]] = [
    # genast: the day received, never moved
    ("protection_assessment", _protection, MIDSOMMARAFTON, MIDSOMMARAFTON),
    ("protection_assessment", _protection, dt.date(2026, 1, 10), dt.date(2026, 1, 10)),  # lördag
    # 14 days from receipt
    ("preliminary_assessment", _preliminary, dt.date(2026, 6, 5), dt.date(2026, 6, 22)),
    ("preliminary_assessment", _preliminary, dt.date(2026, 1, 10), dt.date(2026, 1, 26)),
    ("preliminary_assessment", _preliminary, dt.date(2026, 3, 2), dt.date(2026, 3, 16)),  # måndag
    # 4 months from the investigation's start
    ("investigation", _investigation, dt.date(2026, 2, 19), dt.date(2026, 6, 22)),
    ("investigation", _investigation, dt.date(2026, 2, 21), dt.date(2026, 6, 22)),  # söndag
    ("investigation", _investigation, dt.date(2026, 3, 10), dt.date(2026, 7, 10)),  # fredag
    # 1 week from the decision to open an investigation (or not)
    ("feedback", _feedback, dt.date(2026, 6, 12), dt.date(2026, 6, 22)),
    ("feedback", _feedback, dt.date(2026, 2, 7), dt.date(2026, 2, 16)),  # lördag 14 februari
    ("feedback", _feedback, dt.date(2026, 2, 5), dt.date(2026, 2, 12)),  # torsdag
    # 6 months from the placement's end
    ("follow_up", _follow_up, dt.date(2025, 12, 19), dt.date(2026, 6, 22)),
    ("follow_up", _follow_up, dt.date(2026, 6, 27), dt.date(2026, 12, 28)),  # söndag 27 dec.
    # 6 months from the placement's start (then from the last övervägande)
    ("placement_review", _placement, dt.date(2025, 12, 19), dt.date(2026, 6, 22)),
    ("placement_review", _placement, dt.date(2026, 1, 12), dt.date(2026, 7, 13)),  # söndag
    ("lvu_review", _lvu, dt.date(2025, 12, 19), dt.date(2026, 6, 22)),
    ("lvu_review", _lvu, dt.date(2026, 2, 2), dt.date(2026, 8, 3)),  # söndag 2 augusti
    ("lvu_review", _lvu, dt.date(2026, 3, 8), dt.date(2026, 9, 8)),  # tisdag
    # 2 months from the investigation's end: a longest stay, not moved
    ("emergency_home", _emergency_home, dt.date(2026, 4, 19), MIDSOMMARAFTON),
    ("emergency_home", _emergency_home, dt.date(2026, 3, 2), dt.date(2026, 5, 2)),  # lördag
    # 24 months from the placement's start
    ("care_plan_revision", _placement, dt.date(2026, 2, 20), dt.date(2028, 2, 21)),  # söndag
    ("care_plan_revision", _placement, dt.date(2026, 3, 1), dt.date(2028, 3, 1)),  # onsdag
    # 3 months from the decision: when the report is owed, not moved
    ("unexecuted_decision", _unexecuted, dt.date(2026, 3, 19), MIDSOMMARAFTON),
    ("unexecuted_decision", _unexecuted, dt.date(2026, 3, 20), dt.date(2026, 6, 20)),  # lördag
    # 2 months from the judgment's laga kraft
    ("youth_service", _youth_service, dt.date(2026, 4, 19), dt.date(2026, 6, 22)),
    ("youth_service", _youth_service, dt.date(2026, 2, 25), dt.date(2026, 4, 27)),  # lördag
    ("youth_service", _youth_service, dt.date(2026, 2, 24), dt.date(2026, 4, 24)),  # fredag
]


def test_the_table_holds_every_rule_of_the_rule_sets() -> None:
    assert {rule for rule, *_ in TABLE} == set(law.ALL_RULE_NAMES)


@pytest.mark.parametrize(
    ("rule", "build", "event", "due"),
    TABLE,
    ids=[f"{rule}-{event.isoformat()}" for rule, _, event, _ in TABLE],
)
def test_one_deviation_the_first_day_after_the_last_day_and_none_the_day_before(
    session: Session, rule: str, build: Build, event: dt.date, due: dt.date
) -> None:
    case_id = build(session, event)
    scan.scan(session, as_of=due - ONE_DAY)
    assert _auto(session, case_id, rule) == []
    _first_day_after(session, case_id, rule, due)


def _extend_preliminary(session: Session, due: dt.date, new_due: dt.date) -> int:
    case_id, worker = _assessed(session, due - 14 * ONE_DAY)
    take(
        session,
        Step.EXTEND_PRELIMINARY,
        actor=worker,
        case_id=case_id,
        decided_on=(due - 4 * ONE_DAY).isoformat(),
        new_due=new_due.isoformat(),
        reason="Synnerliga skäl: syntetiskt exempel.",
    )
    return case_id


def _extend_investigation(session: Session, due: dt.date, new_due: dt.date) -> int:
    case_id, worker = _investigating(session, dt.date(due.year, due.month - 4, due.day))
    take(
        session,
        Step.EXTEND_INVESTIGATION,
        actor=worker,
        case_id=case_id,
        decided_on=(due - 20 * ONE_DAY).isoformat(),
        new_due=new_due.isoformat(),
        reason="Särskilda skäl: syntetiskt exempel.",
    )
    return case_id


# rule, how the extension is recorded, the last day without it, the extended last day
EXTENDED: list[tuple[str, Callable[[Session, dt.date, dt.date], int], dt.date, dt.date]] = [
    ("preliminary_assessment", _extend_preliminary, dt.date(2026, 3, 16), dt.date(2026, 4, 8)),
    ("preliminary_assessment", _extend_preliminary, dt.date(2026, 6, 22), dt.date(2026, 7, 6)),
    ("investigation", _extend_investigation, dt.date(2026, 7, 10), dt.date(2026, 9, 10)),
    ("investigation", _extend_investigation, dt.date(2026, 6, 22), dt.date(2026, 8, 21)),
]


@pytest.mark.parametrize(
    ("rule", "extend", "due", "new_due"),
    EXTENDED,
    ids=[f"{rule}-{due.isoformat()}" for rule, _, due, _ in EXTENDED],
)
def test_an_extended_deadline_is_no_deviation_until_the_day_after_its_extended_last_day(
    session: Session,
    rule: str,
    extend: Callable[[Session, dt.date, dt.date], int],
    due: dt.date,
    new_due: dt.date,
) -> None:
    case_id = extend(session, due, new_due)
    scan.scan(session, as_of=due + ONE_DAY)
    assert _auto(session, case_id, rule) == []
    _first_day_after(session, case_id, rule, new_due)


def test_the_chain_records_an_extension_of_exactly_two_rules_and_the_law_allows_two_more() -> None:
    """Which rules have an extension: in law (the rule sets), and recorded by the chain.

    The jourhem's longest stay and ungdomstjänst's start allow "särskilda skäl" in law, but
    the chain records no extension of them: the scan makes a deviation, and the person who
    assesses it weighs the särskilda skäl. The other seven have no extension in law.
    """
    current = law.rule_set_for(dt.date(2026, 6, 1))
    in_law = {name for name in law.ALL_RULE_NAMES if (r := current.rule(name)) and r.extension}
    assert in_law == {"preliminary_assessment", "investigation", "emergency_home", "youth_service"}
    recorded = {Step.EXTEND_PRELIMINARY.value, Step.EXTEND_INVESTIGATION.value}
    assert {s.value for s in Step if s.value.startswith("extend_")} == recorded
