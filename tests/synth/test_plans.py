"""The synthetic plans and communications: written through their services, never blocking."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.communication.models import Communication
from barnskydd.cases.models import Investigation
from barnskydd.cases.plan.models import PlanItem, PlanItemKind
from barnskydd.synth.plans import ANSWER_DAYS
from tests.synth.test_generator import END, _small


def test_every_investigation_has_a_plan_and_communications_precede_completion(
    session: Session,
) -> None:
    report = _small(session)
    items = list(session.scalars(select(PlanItem)))
    sent = list(session.scalars(select(Communication)))
    assert report.plan_items == len(items) > 0
    assert report.communications == len(sent) > 0
    investigations = {i.case_id: i for i in session.scalars(select(Investigation))}
    assert {i.case_id for i in items} == set(investigations)
    for item in items:
        started = investigations[item.case_id].started_on
        if item.kind is PlanItemKind.CHILD_TALK:
            assert item.planned_on is not None
            assert item.planned_on > started
            assert item.child_alone is not None
        if item.party is not None and item.party.value == "private":
            assert item.consent is not None
    for c in sent:
        investigation = investigations[c.case_id]
        assert c.answer_by == c.sent_on + dt.timedelta(days=ANSWER_DAYS)
        assert c.sent_on < END
        if investigation.completed_on is not None:
            assert c.answer_by < investigation.completed_on
        assert c.answered_on is None or c.answered_on <= c.answer_by
