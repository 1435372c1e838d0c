"""The synthetic decisions: every intervention has its decision, some refusals, told-dates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.decisions.codes import DecisionOutcome
from barnskydd.cases.decisions.models import Decision, DecisionNotice
from barnskydd.cases.models import Intervention
from barnskydd.law.decisions import appeal_due
from barnskydd.synth import decisions as synth_decisions
from tests.synth.test_generator import END, _small


def test_generated_decisions_have_refusals_and_parties_told_before_the_end(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The small run completes two investigations: refuse in each, to see refusals at all.
    monkeypatch.setattr(synth_decisions, "REFUSAL_SHARE", 1.0)
    _small(session)
    found = list(session.scalars(select(Decision)))
    granted = [d for d in found if d.outcome is DecisionOutcome.GRANTED]
    interventions = session.scalar(select(func.count()).select_from(Intervention))
    assert len(granted) == interventions
    assert any(d.outcome is DecisionOutcome.REFUSED for d in found)
    notices = list(session.scalars(select(DecisionNotice)))
    assert notices
    decided = {d.id: d.decided_on for d in found}
    for notice in notices:
        assert decided[notice.decision_id] <= notice.told_on <= END
        assert appeal_due(notice.told_on) > notice.told_on
