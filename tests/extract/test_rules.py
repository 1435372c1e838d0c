"""The extract's pure rules: the deadline and what is scrubbed from texts."""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.extract.rules import NAME_REMOVED, NUMBER_REMOVED, Others, due, scrub

SUBJECT = "201509169874"
OTHERS = Others(subject_number=SUBJECT, names=("Ebba Lind",))


@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        (dt.date(2025, 3, 3), dt.date(2025, 4, 3)),
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2025, 5, 6), dt.date(2025, 6, 9)),  # 6 June (national day), then a weekend
        (dt.date(2025, 11, 24), dt.date(2025, 12, 29)),  # Christmas Eve week: 24 Dec is a Wed
    ],
)
def test_a_request_is_due_a_month_after_it_came_in(received: dt.date, last_day: dt.date) -> None:
    assert due(received) == last_day


def test_the_subjects_number_stays_and_every_other_number_goes() -> None:
    text = "Saga (20150916-9874, även 150916-9874) och Ebba (170304-9880, 201703049880)."
    cleaned = scrub(text, OTHERS)
    assert cleaned is not None
    assert "20150916-9874" in cleaned
    assert "150916-9874" in cleaned
    assert "170304-9880" not in cleaned
    assert "201703049880" not in cleaned
    assert cleaned.count(NUMBER_REMOVED) == 2


def test_the_others_full_names_are_taken_out_whatever_the_case() -> None:
    assert scrub("Oro för EBBA LIND och Saga.", OTHERS) == f"Oro för {NAME_REMOVED} och Saga."
    assert scrub(None, OTHERS) is None
