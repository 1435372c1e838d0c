"""Drafts on both dialects: saved per staff member and form, replaced, expired, purged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from barnskydd.core.actor import Role
from barnskydd.core.errors import InvalidInput
from barnskydd.drafts import service as drafts
from barnskydd.staff import service as staff
from tests.factories import unit_and_worker

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _worker(session: Session) -> int:
    _, actor = unit_and_worker(session)
    assert actor.staff_id is not None
    return actor.staff_id


def test_a_second_save_replaces_the_first(session: Session) -> None:
    worker = _worker(session)
    drafts.save(session, staff_id=worker, key="report_new", data={"free_text": "Först"}, now=NOW)
    later = NOW + dt.timedelta(minutes=3)
    saved = drafts.save(
        session, staff_id=worker, key="report_new", data={"free_text": "Sedan"}, now=later
    )
    draft = drafts.get(session, staff_id=worker, key="report_new", now=later)
    assert saved == later
    assert draft is not None
    assert draft.data == {"free_text": "Sedan"}
    assert draft.updated_at == later


def test_drafts_are_kept_per_staff_member_and_form(session: Session) -> None:
    worker = _worker(session)
    other = staff.create(session, username="bo", display_name="Bo", role=Role.ADMIN, unit_id=None)
    drafts.save(session, staff_id=worker, key="report_new", data={"notes": "mitt"}, now=NOW)
    drafts.save(session, staff_id=worker, key="case:7:close", data={"closed_on": "x"}, now=NOW)
    assert drafts.get(session, staff_id=other.id, key="report_new", now=NOW) is None
    steps = drafts.get_all(session, staff_id=worker, prefix="case:7:", now=NOW)
    assert [d.form_key for d in steps] == ["case:7:close"]


def test_a_draft_expires_thirty_days_after_its_last_save(session: Session) -> None:
    worker = _worker(session)
    drafts.save(session, staff_id=worker, key="report_new", data={"notes": "gammalt"}, now=NOW)
    day_30 = NOW + dt.timedelta(days=drafts.DRAFT_DAYS)
    assert drafts.get(session, staff_id=worker, key="report_new", now=day_30) is not None
    later = day_30 + dt.timedelta(seconds=1)
    assert drafts.get(session, staff_id=worker, key="report_new", now=later) is None
    assert drafts.purge(session, now=later) == 1
    assert drafts.purge(session, now=later) == 0


def test_saving_deletes_the_authors_expired_drafts(session: Session) -> None:
    worker = _worker(session)
    drafts.save(session, staff_id=worker, key="case:1:close", data={"notes": "gammalt"}, now=NOW)
    much_later = NOW + dt.timedelta(days=drafts.DRAFT_DAYS + 1)
    drafts.save(session, staff_id=worker, key="report_new", data={"notes": "nytt"}, now=much_later)
    assert drafts.purge(session, now=much_later) == 0


def test_deleting_a_draft_leaves_the_others(session: Session) -> None:
    worker = _worker(session)
    drafts.save(session, staff_id=worker, key="report_new", data={"notes": "a"}, now=NOW)
    drafts.save(session, staff_id=worker, key="case:1:close", data={"notes": "b"}, now=NOW)
    drafts.delete(session, staff_id=worker, key="report_new")
    assert drafts.get(session, staff_id=worker, key="report_new", now=NOW) is None
    assert drafts.get(session, staff_id=worker, key="case:1:close", now=NOW) is not None


@pytest.mark.parametrize(
    "data",
    [
        {"Odd-Name": "x"},
        {f"field_{'x' * i}": "x" for i in range(drafts.MAX_FIELDS + 1)},
        {"free_text": "x" * (drafts.MAX_CHARS + 1)},
        {"concerns": ["x" * drafts.MAX_CHARS, "y"]},
    ],
    ids=["odd name", "too many fields", "too long", "too long list"],
)
def test_input_no_form_produces_is_refused(session: Session, data: drafts.DraftData) -> None:
    worker = _worker(session)
    with pytest.raises(InvalidInput):
        drafts.save(session, staff_id=worker, key="report_new", data=data, now=NOW)
