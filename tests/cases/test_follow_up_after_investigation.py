"""The follow-up of a child's situation after an investigation without an intervention.

SoL 2025:400 23 kap. 1 § lets the nämnd follow the child up when an investigation ends
without a decision on an intervention; 5 § ends it at the latest six months after the
investigation ended. The chain records it as the investigation's outcome
`no_intervention_follow_up`: the case stays open in follow-up, the follow-up step takes the
child's voice, and the six months are a deadline like the others. Days worked out by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import deadlines, missed
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus, InvestigationOutcome
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.stats.schema import EXTRACT_INVESTIGATION_OUTCOME, INVESTIGATION_OUTCOMES
from barnskydd.voice.codes import VoiceContext
from barnskydd.voice.models import ChildVoiceRecord, VoiceResponse
from barnskydd.web.case_page import case_context
from tests.factories import opened_investigation, take, unit_and_worker

D = dt.date
COMPLETED = D(2026, 4, 3)  # a Friday; six months on is Saturday 3 October
DUE = D(2026, 10, 5)  # moved to the Monday (lag 1930:173 2 §)
FOLLOW_UP = InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP.value


def _investigating(session: Session) -> tuple[Actor, Case]:
    unit_id, worker = unit_and_worker(session)
    received = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SWEDEN)
    case = opened_investigation(session, unit_id, worker, received=received, decided=D(2026, 3, 3))
    return worker, case


def _followed(session: Session) -> tuple[Actor, Case]:
    worker, case = _investigating(session)
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case.id,
        completed_on=COMPLETED,
        outcome=FOLLOW_UP,
    )
    return worker, case


def _rules(session: Session, case_id: int, today: D) -> list[tuple[str, D, str]]:
    case = cases.load(session, case_id)
    return [
        (d.rule, d.due, d.reference)
        for d in deadlines.open_deadlines(session, case, today=today)
        if d.rule != "feedback"
    ]


def test_the_case_stays_open_in_follow_up_with_its_six_months(session: Session) -> None:
    _, case = _followed(session)
    assert cases.load(session, case.id).status is CaseStatus.FOLLOW_UP
    assert _rules(session, case.id, D(2026, 5, 1)) == [
        ("follow_up", DUE, "23 kap. 5 § socialtjänstlagen (2025:400)")
    ]
    later = [
        d for d in deadlines.later_deadlines(session, today=D(2026, 5, 1)) if d.case_id == case.id
    ]
    assert [(d.rule, d.due) for d in later if d.rule == "follow_up"] == [("follow_up", DUE)]


def test_the_follow_up_takes_the_childs_voice_as_its_own_context(session: Session) -> None:
    worker, case = _followed(session)
    with pytest.raises(InvalidInput) as before:
        take(
            session,
            Step.FOLLOW_UP,
            actor=worker,
            case_id=case.id,
            followed_up_on=D(2026, 4, 2),
            voice_status="declined_by_child",
        )
    assert before.value.field == "followed_up_on"
    take(
        session,
        Step.FOLLOW_UP,
        actor=worker,
        case_id=case.id,
        followed_up_on=D(2026, 5, 11),
        voice_status="declined_by_child",
    )
    record = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.case_id == case.id)
    ).one()
    assert record.context is VoiceContext.AFTER_INVESTIGATION
    response = session.scalars(select(VoiceResponse)).one()
    assert response.context is VoiceContext.AFTER_INVESTIGATION
    assert response.intervention_category is None
    loaded = cases.load(session, case.id)
    timeline = [row for row in case_context(loaded)["timeline"] if row[0] == "2026-05-11"]
    assert timeline == [("2026-05-11", "Uppföljning", "Barnets röst: Barnet ville inte svara")]


def test_closing_ends_the_deadline_and_a_late_one_is_missed(session: Session) -> None:
    worker, case = _followed(session)
    open_after = [d for d in missed.missed(session, as_of=D(2026, 10, 6)) if d.rule == "follow_up"]
    assert [(d.case_id, d.due) for d in open_after] == [(case.id, DUE)]
    assert [d for d in missed.missed(session, as_of=DUE) if d.rule == "follow_up"] == []
    take(session, Step.CLOSE, actor=worker, case_id=case.id, closed_on=D(2026, 6, 1))
    assert cases.load(session, case.id).status is CaseStatus.CLOSED
    assert _rules(session, case.id, D(2026, 6, 2)) == []


def test_no_intervention_is_decided_during_it(session: Session) -> None:
    worker, case = _followed(session)
    for step, fields in (
        (Step.DECIDE_INTERVENTION, {"category": "open_care", "legal_basis": "sol"}),
        (
            Step.REFUSE_INTERVENTION,
            {"category": "open_care", "applied_on": D(2026, 4, 10), "reason": "Syntetisk."},
        ),
    ):
        with pytest.raises(ForbiddenTransition) as refused:
            take(
                session,
                step,
                actor=worker,
                case_id=case.id,
                decided_on=D(2026, 4, 20),
                **fields,
            )
        assert "23 kap. 1 §" in str(refused.value)


def test_the_outcome_is_refused_when_an_intervention_was_decided(session: Session) -> None:
    worker, case = _investigating(session)
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case.id,
        category="open_care",
        legal_basis="sol",
        decided_on=D(2026, 3, 20),
    )
    with pytest.raises(ForbiddenTransition) as refused:
        take(
            session,
            Step.COMPLETE_INVESTIGATION,
            actor=worker,
            case_id=case.id,
            completed_on=COMPLETED,
            outcome=FOLLOW_UP,
        )
    assert refused.value.field == "outcome"
    assert "23 kap. 1 §" in str(refused.value)
    assert cases.load(session, case.id).status is CaseStatus.INVESTIGATION


def test_the_national_extract_counts_it_as_no_intervention() -> None:
    assert EXTRACT_INVESTIGATION_OUTCOME[InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP] == (
        "no_intervention"
    )
    assert FOLLOW_UP not in INVESTIGATION_OUTCOMES
    assert INVESTIGATION_OUTCOMES.count("no_intervention") == 1
