"""The deadlines after the first three: a table across many years, and what 1930:173 moves.

Every expected day in the table was worked out by hand from the calendar (weekdays,
Easter, midsommarafton, julafton, nyårsafton, month ends, leap years), not by the code.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from barnskydd.core.errors import InvalidInput
from barnskydd.law.calendar import add_months, is_non_working_day
from barnskydd.law.rules import LATER_RULE_NAMES, later_deadline, load_rule_sets, rule_set_for

TABLE = [
    ("feedback", "2026-01-15", "2026-01-22"),
    ("feedback", "2026-12-17", "2026-12-28"),
    ("feedback", "2027-06-18", "2027-06-28"),
    ("feedback", "2026-03-27", "2026-04-07"),
    ("feedback", "2026-12-24", "2027-01-04"),
    ("feedback", "2026-05-07", "2026-05-15"),
    ("placement_review", "2024-08-31", "2025-02-28"),
    ("placement_review", "2023-08-31", "2024-02-29"),
    ("placement_review", "2025-08-31", "2026-03-02"),
    ("placement_review", "2016-01-01", "2016-07-01"),
    ("lvu_review", "2014-12-20", "2015-06-22"),
    ("lvu_review", "2025-12-19", "2026-06-22"),
    ("emergency_home", "2025-10-24", "2025-12-24"),
    ("emergency_home", "2024-04-30", "2024-06-30"),
    ("emergency_home", "2025-12-31", "2026-02-28"),
    ("unexecuted_decision", "2027-09-30", "2027-12-30"),
    ("unexecuted_decision", "2023-11-30", "2024-02-29"),
    ("unexecuted_decision", "2025-10-31", "2026-01-31"),
    ("youth_service", "2026-10-31", "2027-01-04"),
    ("youth_service", "2025-07-01", "2025-09-01"),
    ("care_plan_revision", "2021-07-01", "2023-07-03"),
    ("care_plan_revision", "2024-02-29", "2026-03-02"),
    ("follow_up", "2016-12-31", "2017-02-28"),
    ("follow_up", "2025-12-30", "2026-06-30"),
    ("follow_up", "2019-02-19", "2019-04-23"),
    ("placement_review", "2033-06-24", "2033-12-27"),
    ("lvu_review", "2034-12-22", "2035-06-25"),
    ("unexecuted_decision", "2047-11-30", "2048-02-29"),
]


@pytest.mark.parametrize(("rule", "event", "due"), TABLE)
def test_later_deadline_table(rule: str, event: str, due: str) -> None:
    assert later_deadline(rule, date.fromisoformat(event)).due == date.fromisoformat(due)


def test_every_later_rule_is_in_the_table() -> None:
    assert {rule for rule, _, _ in TABLE} == set(LATER_RULE_NAMES)


def test_a_stay_in_a_jourhem_ends_on_julafton_without_moving() -> None:
    # A limit on how long a stay lasts is no act's last day: 2 § lag (1930:173) does not apply.
    assert later_deadline("emergency_home", date(2025, 10, 24)).due == date(2025, 12, 24)


def test_feedback_one_week_rule_applies_from_2026_01_15_only() -> None:
    assert later_deadline("feedback", date(2026, 1, 15)).due == date(2026, 1, 22)
    with pytest.raises(InvalidInput, match="2026-01-15"):
        later_deadline("feedback", date(2026, 1, 14))


@pytest.mark.parametrize("rule", ["feedback", "youth_service"])
def test_the_old_act_has_no_such_deadline(rule: str) -> None:
    with pytest.raises(InvalidInput, match="SoL 2001:453 har ingen sådan frist"):
        later_deadline(rule, date(2025, 6, 30))


def test_care_plan_revision_under_the_old_act_only_from_2021_07_01() -> None:
    with pytest.raises(InvalidInput, match="2021-07-01"):
        later_deadline("care_plan_revision", date(2021, 6, 30))


def test_the_law_of_the_event_day_applies() -> None:
    assert "(2001:453)" in later_deadline("placement_review", date(2025, 6, 30)).reference
    assert "(2025:400)" in later_deadline("placement_review", date(2025, 7, 1)).reference


def test_unknown_rule_is_invalid_input_in_swedish() -> None:
    with pytest.raises(InvalidInput, match="Regeln 'nope' finns inte"):
        later_deadline("nope", date(2026, 1, 1))


def test_event_outside_the_holiday_calendar_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        later_deadline("placement_review", date(1999, 1, 1))


def _nominal(start: date, months: int, weeks: int, days: int) -> date:
    return add_months(start, months) + timedelta(days=days + 7 * weeks)


@pytest.mark.parametrize("rule_name", LATER_RULE_NAMES)
def test_every_event_day_over_eleven_years_ends_where_1930_173_says(rule_name: str) -> None:
    """For each day 2016-2026: the period's end, moved only past days 2 § names, when it moves."""
    day = date(2016, 1, 1)
    checked = 0
    while day <= date(2026, 12, 31):
        rule = rule_set_for(day).rule(rule_name)
        if rule is not None and rule.applies_to_event(day):
            due = later_deadline(rule_name, day).due
            nominal = _nominal(day, rule.months, rule.weeks, rule.days)
            if rule.moves_to_working_day:
                assert not is_non_working_day(due)
                assert all(
                    is_non_working_day(nominal + timedelta(days=n))
                    for n in range((due - nominal).days)
                )
            else:
                assert due == nominal
            checked += 1
        day += timedelta(days=1)
    assert checked > 150


def test_every_later_rule_has_reference_note_and_a_period() -> None:
    for rule_set in load_rule_sets():
        for rule in rule_set.later:
            assert rule.reference
            assert rule.note
            assert rule.months or rule.weeks or rule.days
