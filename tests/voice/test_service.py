"""The child's voice at follow-up: recorded with the step, one write path for both records."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit_service
from barnskydd.core import messages
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound
from barnskydd.voice import service as voice
from barnskydd.voice.codes import ShownTo, VoiceMode, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import THEMES, item_set
from barnskydd.voice.models import ChildVoiceRecord, VoiceResponse
from tests.factories import unit_and_worker
from tests.voice.helpers import case_at_follow_up, follow_up


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_follow_up_is_not_saved_without_the_childs_voice() -> None:
    from barnskydd.cases.chain import inputs as i

    with pytest.raises(ValidationError) as error:
        i.FollowUp.from_text({"followed_up_on": "2025-10-01"})
    found = messages.field_errors(error.value.errors(), choices_shown=True)
    assert found == {"voice_status": messages.MISSING["voice_status"]}


@pytest.mark.parametrize("status", [VoiceStatus.NOT_OFFERED, VoiceStatus.NOT_POSSIBLE])
def test_not_offered_and_not_possible_need_a_reason(session: Session, status: VoiceStatus) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    with pytest.raises(InvalidInput) as error:
        follow_up(session, worker, case, voice_status=status)
    assert error.value.field == "voice_reason"
    with pytest.raises(InvalidInput) as error:
        follow_up(session, worker, case, voice_status=status, voice_reason=VoiceReason.OTHER)
    assert error.value.field == "voice_reason_text"
    assert _count(session, ChildVoiceRecord) == 0


def test_answered_needs_a_mode(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    with pytest.raises(InvalidInput) as error:
        follow_up(session, worker, case, voice_status=VoiceStatus.ANSWERED)
    assert error.value.field == "voice_mode"


def test_a_refusal_writes_the_record_and_its_anonymous_count_at_once(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    follow_up(
        session,
        worker,
        case,
        voice_status=VoiceStatus.NOT_POSSIBLE,
        voice_reason=VoiceReason.NO_INTERPRETER,
    )
    record = session.scalars(select(ChildVoiceRecord)).one()
    assert (record.status, record.reason, record.band) == (
        VoiceStatus.NOT_POSSIBLE,
        VoiceReason.NO_INTERPRETER,
        "8-12",  # born 2015-09-16, ten years old on 2025-10-01
    )
    response = session.scalars(select(VoiceResponse)).one()
    assert (response.status, response.reason, response.month, response.gender) == (
        VoiceStatus.NOT_POSSIBLE,
        VoiceReason.NO_INTERPRETER,
        "2025-10",
        "boy",
    )
    assert response.intervention_category == "open_care"


def test_answers_write_one_record_and_one_anonymous_response(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    follow_up(session, worker, case, voice_status=VoiceStatus.ANSWERED, voice_mode=VoiceMode.LINK)
    record = session.scalars(select(ChildVoiceRecord)).one()
    assert _count(session, VoiceResponse) == 0  # nothing counted before the child answers
    code = voice.create_link(session, worker, case, record)
    assert record.code_digest == voice.digest(code)
    assert code not in record.code_digest
    found = voice.by_code(session, code)
    form = {
        "item_safe": "1",
        "item_listened": "5",
        "item_school": "skip",
        "open_wishes": "Mer tid.",
    }
    form["shown_to"] = ShownTo.WORKER_AND_FAMILY.value
    answers = voice.parse_answers(item_set(), found.band, form)
    voice.submit(session, voice.CHILD, case, found, answers)
    assert record.concern  # the lowest answer on feeling safe
    assert record.shown_to is ShownTo.WORKER_AND_FAMILY
    values = {a.item_id: (a.value, a.words) for a in record.answers}
    assert values["safe"] == (1, None)
    assert values["school"] == (None, None)
    assert values["wishes"] == (None, "Mer tid.")
    response = session.scalars(select(VoiceResponse)).one()
    assert (response.safe, response.listened, response.school) == (1, 5, None)
    assert response.status is VoiceStatus.ANSWERED
    with pytest.raises(NotFound):  # works once
        voice.by_code(session, code)
    with pytest.raises(ForbiddenTransition):
        voice.submit(session, voice.CHILD, case, record, answers)
    assert _count(session, VoiceResponse) == 1
    notes = voice.concerns(session, worker, assigned_to_id=None)
    assert [(n.case_number, n.themes) for n in notes] == [(case.case_number, ("safe",))]


def test_unknown_used_and_expired_codes_are_the_same_not_found(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    follow_up(session, worker, case, voice_status=VoiceStatus.ANSWERED, voice_mode=VoiceMode.LINK)
    record = session.scalars(select(ChildVoiceRecord)).one()
    code = voice.create_link(session, worker, case, record)
    record.code_expires_at = utcnow() - dt.timedelta(seconds=1)
    messages_seen = set()
    for attempt in (code, "okand-kod", ""):
        with pytest.raises(NotFound) as error:
            voice.by_code(session, attempt)
        messages_seen.add(error.value.message)
    assert messages_seen == {voice.MSG_NOT_FOUND}


def test_a_value_no_choice_offers_is_refused_by_field() -> None:
    with pytest.raises(InvalidInput) as error:
        voice.parse_answers(item_set(), "4-7", {"item_safe": "5"})  # three faces only
    assert error.value.field == "item_safe"


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (dt.date(2018, 10, 2), "4-7"),  # turns 7 tomorrow
        (dt.date(2017, 10, 2), "4-7"),  # still 7
        (dt.date(2017, 10, 1), "8-12"),  # eight today
        (dt.date(2012, 10, 2), "8-12"),  # still 12
        (dt.date(2012, 10, 1), "13-20"),  # thirteen today
        (dt.date(2005, 10, 1), "13-20"),  # twenty today
        (dt.date(2022, 10, 1), "4-7"),  # three: the youngest band, read aloud
    ],
)
def test_the_band_is_preselected_from_the_age_on_the_day(born: dt.date, band: str) -> None:
    assert item_set().band_on(born, dt.date(2025, 10, 1)).id == band


def test_each_band_asks_every_theme_of_the_youngest_and_stays_short() -> None:
    items = item_set()
    youngest = {i.theme for i in items.items["4-7"]}
    assert len(items.items["4-7"]) <= 8
    assert len(items.items["8-12"]) <= 15
    for band in items.band_ids:
        themes = [i.theme for i in items.items[band]]
        assert youngest <= set(themes)
        assert set(themes) <= set(THEMES)
    assert {i.theme for i in items.items["13-20"]} == set(THEMES)


def test_the_anonymous_response_has_no_column_that_joins_back(session: Session) -> None:
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("voice_response")}
    assert columns == {
        "id",
        "municipality_code",
        "unit_id",
        "month",
        "context",
        "status",
        "reason",
        "band",
        "gender",
        "intervention_category",
        "item_set_version",
        *THEMES,
    }
    keys = inspect(session.get_bind()).get_foreign_keys("voice_response")
    assert [k["referred_table"] for k in keys] == ["unit"]
    record_tables = {"case", "child", "follow_up", "child_voice_record", "staff_member"}
    assert not record_tables & {k["referred_table"] for k in keys}
    id_type = VoiceResponse.__table__.c.id.type
    assert str(id_type).startswith("VARCHAR")  # a random id, not a sequence to line up


def test_answers_are_audited_without_what_they_say(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    follow_up(
        session, worker, case, voice_status=VoiceStatus.ANSWERED, voice_mode=VoiceMode.READ_ALOUD
    )
    record = session.scalars(select(ChildVoiceRecord)).one()
    answers = voice.parse_answers(item_set(), record.band, {"open_worries": "Hemlig oro"})
    voice.submit(session, worker, case, record, answers)
    entries = audit_service._pending(session)
    answered = [e for e in entries if e["entity"] == "child_voice_record"]
    assert [(e["action"], e["entity_id"], e["case_id"]) for e in answered] == [
        ("answer", record.id, case.id)
    ]
    assert all("Hemlig" not in str(e.values()) for e in entries)
