"""The transition table, tested without a database."""

from __future__ import annotations

import itertools

import pytest

from barnskydd.cases.chain.transitions import TRANSITIONS, Step, allowed_steps, next_status
from barnskydd.cases.codes import CaseStatus, InvestigationOutcome, PreliminaryOutcome
from barnskydd.core.errors import ForbiddenTransition

HAPPY_PATH = [
    (Step.ASSESS_PROTECTION, None, CaseStatus.PRELIMINARY_ASSESSMENT),
    (Step.DECIDE_PRELIMINARY, PreliminaryOutcome.INVESTIGATION_OPENED, CaseStatus.INVESTIGATION),
    (Step.RECORD_BBIC, None, CaseStatus.INVESTIGATION),
    (Step.EXTEND_INVESTIGATION, None, CaseStatus.INVESTIGATION),
    (Step.DECIDE_INTERVENTION, None, CaseStatus.INVESTIGATION),
    (Step.COMPLETE_INVESTIGATION, InvestigationOutcome.INTERVENTIONS, CaseStatus.INTERVENTIONS),
    (Step.FOLLOW_UP, None, CaseStatus.FOLLOW_UP),
    (Step.END_INTERVENTION, None, CaseStatus.FOLLOW_UP),
    (Step.CLOSE, None, CaseStatus.CLOSED),
]


def test_a_report_can_be_carried_from_receipt_to_closing() -> None:
    status = CaseStatus.AWAITING_PROTECTION_ASSESSMENT
    for step, outcome, expected in HAPPY_PATH:
        status = next_status(status, step, outcome)
        assert status is expected


@pytest.mark.parametrize(
    "outcome",
    [
        PreliminaryOutcome.NOT_OPENED,
        PreliminaryOutcome.ALREADY_ONGOING,
        PreliminaryOutcome.TRANSFERRED,
    ],
)
def test_a_preliminary_decision_other_than_opening_closes_the_case(
    outcome: PreliminaryOutcome,
) -> None:
    status = next_status(CaseStatus.PRELIMINARY_ASSESSMENT, Step.DECIDE_PRELIMINARY, outcome)
    assert status is CaseStatus.CLOSED


def test_preliminary_decision_before_protection_assessment_is_refused_naming_the_allowed_step() -> (
    None
):
    with pytest.raises(ForbiddenTransition, match="Tillåtet nu: göra skyddsbedömning"):
        next_status(
            CaseStatus.AWAITING_PROTECTION_ASSESSMENT,
            Step.DECIDE_PRELIMINARY,
            PreliminaryOutcome.NOT_OPENED,
        )


def test_nothing_is_allowed_after_closing() -> None:
    assert allowed_steps(CaseStatus.CLOSED) == []
    for step in Step:
        with pytest.raises(ForbiddenTransition, match="Tillåtet nu: inget"):
            next_status(CaseStatus.CLOSED, step)


def test_an_outcome_of_the_wrong_step_is_refused() -> None:
    with pytest.raises(ForbiddenTransition) as caught:
        next_status(
            CaseStatus.INVESTIGATION, Step.COMPLETE_INVESTIGATION, PreliminaryOutcome.NOT_OPENED
        )
    assert caught.value.field == "outcome"


def test_every_pair_outside_the_table_is_refused() -> None:
    for status, step in itertools.product(CaseStatus, Step):
        if (status, step) in TRANSITIONS:
            continue
        with pytest.raises(ForbiddenTransition):
            next_status(status, step)


def test_every_status_but_closed_has_a_way_forward() -> None:
    for status in CaseStatus:
        if status is not CaseStatus.CLOSED:
            assert allowed_steps(status)
