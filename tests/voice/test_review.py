"""The child's voice at an övervägande of a placement: asked and written as at a follow-up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.chain import inputs as i
from barnskydd.cases.models import PlacementReview
from barnskydd.core import messages
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.voice import service as voice
from barnskydd.voice.codes import VoiceContext, VoiceMode, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import item_set
from barnskydd.voice.models import ChildVoiceRecord, VoiceResponse
from barnskydd.web.case_page import case_context
from tests.factories import unit_and_worker
from tests.voice.helpers import case_at_follow_up, follow_up, placed, review


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_review_is_not_saved_without_the_childs_voice() -> None:
    with pytest.raises(ValidationError) as error:
        i.ReviewPlacement.from_text({"intervention_id": "1", "reviewed_on": "2025-12-20"})
    found = messages.field_errors(error.value.errors(), choices_shown=True)
    assert found == {"voice_status": messages.MISSING["voice_status"]}


def test_a_review_without_a_reason_or_a_mode_writes_nothing(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    placement = placed(session, worker, case)
    for fields, field in (
        ({"voice_status": VoiceStatus.NOT_OFFERED}, "voice_reason"),
        (
            {"voice_status": VoiceStatus.NOT_POSSIBLE, "voice_reason": VoiceReason.OTHER},
            "voice_reason_text",
        ),
        ({"voice_status": VoiceStatus.ANSWERED}, "voice_mode"),
        ({"voice_status": VoiceStatus.DECLINED, "voice_band": "3-5"}, "voice_band"),
    ):
        with pytest.raises(InvalidInput) as error:
            review(session, worker, case, placement, **fields)
        assert error.value.field == field
    assert _count(session, PlacementReview) == 0
    assert _count(session, ChildVoiceRecord) == 0


def test_a_refusal_at_a_review_is_recorded_and_counted_at_once(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    placement = placed(session, worker, case)
    taken = review(
        session,
        worker,
        case,
        placement,
        voice_status=VoiceStatus.NOT_POSSIBLE,
        voice_reason=VoiceReason.SAFETY,
    )
    record = session.scalars(select(ChildVoiceRecord)).one()
    assert (record.placement_review_id, record.follow_up_id) == (taken.id, None)
    assert (record.context, record.status, record.reason, record.band) == (
        VoiceContext.PLACEMENT_REVIEW,
        VoiceStatus.NOT_POSSIBLE,
        VoiceReason.SAFETY,
        "8-12",  # born 2015-09-16, ten years old on 2025-12-20
    )
    response = session.scalars(select(VoiceResponse)).one()
    assert (response.context, response.status, response.month) == (
        VoiceContext.PLACEMENT_REVIEW,
        VoiceStatus.NOT_POSSIBLE,
        "2025-12",
    )
    assert response.intervention_category == "family_home"  # the latest running insats
    timeline = [row for row in case_context(case)["timeline"] if row[0] == "2025-12-20"]
    assert timeline == [
        (
            "2025-12-20",
            "Övervägande av placering",
            "Familjehem, Barnets röst: Det gick inte att svara (säkerhet (barnet kunde inte "
            "svara tryggt))",
        )
    ]


def test_the_child_answers_a_reviews_questions_by_link_once(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    placement = placed(session, worker, case)
    follow_up(session, worker, case, voice_status=VoiceStatus.DECLINED)
    review(session, worker, case, placement, voice_status="answered", voice_mode=VoiceMode.LINK)
    record = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.placement_review_id.is_not(None))
    ).one()
    assert _count(session, VoiceResponse) == 1  # the follow-up's refusal only, so far
    code = voice.create_link(session, worker, case, record)
    found = voice.by_code(session, code)
    answers = voice.parse_answers(item_set(), found.band, {"item_help_helps": "1"})
    voice.submit(session, voice.CHILD, case, found, answers)
    assert record.concern
    with pytest.raises(NotFound):
        voice.by_code(session, code)
    counted = session.scalars(
        select(VoiceResponse).where(VoiceResponse.context == VoiceContext.PLACEMENT_REVIEW)
    ).one()
    assert (counted.status, counted.help_helps) == (VoiceStatus.ANSWERED, 1)
    contexts = [r.context for r in voice.for_case(session, case)]
    assert contexts == [VoiceContext.PLACEMENT_REVIEW, VoiceContext.INTERVENTION_FOLLOW_UP]
