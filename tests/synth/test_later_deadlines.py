"""The synthetic municipality reaches every deadline after the investigation, some of them late."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases import deadlines
from barnskydd.cases.models import Case, PlacementReview
from barnskydd.law.rules import LATER_RULE_NAMES
from barnskydd.synth.generator import generate
from barnskydd.voice.codes import VoiceContext, VoiceStatus
from barnskydd.voice.models import ChildVoiceRecord, VoiceResponse

START, END = dt.date(2025, 9, 1), dt.date(2026, 11, 30)


def test_every_later_deadline_is_reached_and_some_are_late(session: Session) -> None:
    report = generate(session, municipality_code="0483", start=START, end=END, seed=7, scale=0.05)
    assert report.later_steps["feedback"] > 0
    open_rules: Counter[str] = Counter()
    late: Counter[str] = Counter()
    for case in session.scalars(select(Case)):
        for deadline in deadlines.open_deadlines(session, case, today=END):
            open_rules[deadline.rule] += 1
            if deadline.days_left(END) < 0:
                late[deadline.rule] += 1
    assert set(LATER_RULE_NAMES) <= set(open_rules), open_rules
    assert late["feedback"] > 0
    assert len(set(late) & set(LATER_RULE_NAMES)) >= 3, late
    # On time too: not every open later deadline has passed.
    assert sum(open_rules[r] for r in LATER_RULE_NAMES) > sum(late[r] for r in LATER_RULE_NAMES)
    assert audit.verify(session) is None
    # Every övervägande obtained the child's view as a follow-up does, and counted it.
    reviews = set(session.scalars(select(PlacementReview.id)))
    at_reviews = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.placement_review_id.is_not(None))
    ).all()
    assert reviews
    assert {r.placement_review_id for r in at_reviews} == reviews
    assert {r.context for r in at_reviews} == {VoiceContext.PLACEMENT_REVIEW}
    # Counted once final: at once when not answered, when the child has answered otherwise.
    # (Which reviews the child answered is drawn: at this scale there may be a single one.)
    final = Counter(
        r.status
        for r in at_reviews
        if r.status is not VoiceStatus.ANSWERED or r.answered_at is not None
    )
    counted = session.scalars(
        select(VoiceResponse.status).where(VoiceResponse.context == VoiceContext.PLACEMENT_REVIEW)
    ).all()
    assert Counter(counted) == final
