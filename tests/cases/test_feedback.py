"""Who gets återkoppling and under which paragraph: plain rules, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.cases.codes import PreliminaryOutcome, ReporterCategory
from barnskydd.cases.feedback import FEEDBACK_OUTCOMES, feedback_outcome, provision_for
from barnskydd.core.errors import InvalidInput

Out = PreliminaryOutcome
R = ReporterCategory


@pytest.mark.parametrize("outcome", FEEDBACK_OUTCOMES)
def test_a_mandatory_reporter_may_be_told_the_decision(outcome: PreliminaryOutcome) -> None:
    assert (
        feedback_outcome(mandatory_reporter=True, reporter_category=R.SCHOOL, outcome=outcome)
        is outcome
    )


@pytest.mark.parametrize(
    ("mandatory", "category", "outcome"),
    [
        (False, R.SCHOOL, Out.NOT_OPENED),  # a professional who reported without the duty
        (False, R.PRIVATE_PERSON, Out.INVESTIGATION_OPENED),
        (True, R.ANONYMOUS, Out.NOT_OPENED),  # never stored so, but never told either
        (True, R.RELATIVE, Out.NOT_OPENED),
        (True, R.POLICE, Out.TRANSFERRED),  # the other municipality's nämnd decides
        (True, R.POLICE, None),  # no decision yet
    ],
)
def test_no_feedback_is_offered(
    mandatory: bool, category: ReporterCategory, outcome: PreliminaryOutcome | None
) -> None:
    assert (
        feedback_outcome(mandatory_reporter=mandatory, reporter_category=category, outcome=outcome)
        is None
    )


def test_the_paragraph_follows_the_day_the_feedback_is_given() -> None:
    assert provision_for(dt.date(2025, 6, 30)).reference.startswith("14 kap. 1 b §")
    assert not provision_for(dt.date(2025, 6, 30)).confirmed
    assert provision_for(dt.date(2025, 7, 1)).reference == (
        "19 kap. 6 § socialtjänstlagen (2025:400)"
    )
    with pytest.raises(InvalidInput):
        provision_for(dt.date(2012, 12, 31))
