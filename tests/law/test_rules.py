"""Deadlines from the rule sets: which law applies, how each period is counted, bad data."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import replace
from datetime import date, datetime
from importlib import resources
from typing import Any

import pytest

from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.law.rules import (
    RULE_NAMES,
    Deadline,
    RuleSetError,
    days_left,
    deadlines,
    investigation_due,
    load_rule_sets,
    parse_rule_set,
    preliminary_assessment_due,
    protection_assessment_due,
    rule_set_by_id,
    rule_set_for,
    validate_rule_sets,
)

OLD = "SoL 2001:453"
NEW = "SoL 2025:400"


def shipped(name: str) -> dict[str, Any]:
    """Return a fresh copy of one shipped rule set file, parsed."""
    text = resources.files("barnskydd.law").joinpath("rulesets", name).read_text("utf-8")
    return copy.deepcopy(tomllib.loads(text))


@pytest.fixture
def sol_2025() -> dict[str, Any]:
    return shipped("sol_2025_400.toml")


# Which rule set applies


def test_rule_sets_are_the_two_social_services_acts_in_date_order() -> None:
    assert [rule_set.name for rule_set in load_rule_sets()] == [OLD, NEW]


def test_old_act_applies_to_a_report_received_on_the_last_day_before_the_new_act() -> None:
    assert rule_set_for(date(2025, 6, 30)).name == OLD


def test_new_act_applies_to_a_report_received_on_its_first_day() -> None:
    assert rule_set_for(date(2025, 7, 1)).name == NEW


def test_new_act_applies_with_no_end_date() -> None:
    assert rule_set_for(date(2040, 1, 1)).name == NEW


def test_old_act_applies_from_when_the_fourteen_day_rule_came_in() -> None:
    assert rule_set_for(date(2013, 1, 1)).name == OLD


def test_report_received_before_any_rule_set_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="2013-01-01") as caught:
        rule_set_for(date(2012, 12, 31))
    assert caught.value.field == "received"


def test_rule_set_by_id_finds_the_rule_set() -> None:
    assert rule_set_by_id("sol_2025_400").name == NEW


def test_rule_set_by_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound, match="sol_1980_620"):
        rule_set_by_id("sol_1980_620")


@pytest.mark.parametrize("rule_set", load_rule_sets(), ids=lambda rule_set: rule_set.id)
def test_every_reference_names_its_own_act(rule_set: Any) -> None:
    number = rule_set.name.removeprefix("SoL ")
    assert all(f"({number})" in rule.reference for rule in rule_set.rules)


# The deadlines


def test_protection_assessment_is_due_the_day_received_even_on_a_holiday() -> None:
    christmas_day = date(2025, 12, 25)
    due = protection_assessment_due(christmas_day, rule_set_for(christmas_day))
    assert due == Deadline(christmas_day, "20 kap. 1 § socialtjänstlagen (2025:400)")


def test_preliminary_assessment_due_fourteen_days_after_receipt() -> None:
    received = date(2025, 7, 1)
    due = preliminary_assessment_due(received, rule_set_for(received))
    assert due == Deadline(date(2025, 7, 15), "20 kap. 2 § socialtjänstlagen (2025:400)")


def test_preliminary_assessment_due_moves_past_midsummer_eve() -> None:
    received = date(2025, 6, 6)  # + 14 days = midsommarafton, Friday 2025-06-20
    due = preliminary_assessment_due(received, rule_set_for(received))
    assert due.due == date(2025, 6, 23)


def test_preliminary_assessment_due_moves_past_easter() -> None:
    received = date(2025, 4, 4)  # + 14 days = långfredagen
    assert preliminary_assessment_due(received, rule_set_for(received)).due == date(2025, 4, 22)


def test_preliminary_assessment_due_moves_past_christmas_and_the_weekend() -> None:
    received = date(2025, 12, 10)  # + 14 days = julafton
    assert preliminary_assessment_due(received, rule_set_for(received)).due == date(2025, 12, 29)


def test_preliminary_assessment_due_moves_past_new_years_eve_and_day() -> None:
    received = date(2025, 12, 17)  # + 14 days = nyårsafton
    assert preliminary_assessment_due(received, rule_set_for(received)).due == date(2026, 1, 2)


def test_preliminary_assessment_due_moves_past_a_weekend() -> None:
    received = date(2025, 8, 2)  # Saturday; + 14 days is a Saturday too
    assert preliminary_assessment_due(received, rule_set_for(received)).due == date(2025, 8, 18)


def test_investigation_due_four_months_from_its_start() -> None:
    start = date(2025, 3, 10)
    due = investigation_due(start, rule_set_for(start))
    assert due == Deadline(date(2025, 7, 10), "11 kap. 2 § socialtjänstlagen (2001:453)")


def test_investigation_due_clamps_to_february_then_moves_past_the_weekend() -> None:
    start = date(2025, 10, 31)  # + 4 months = 2026-02-28, a Saturday
    assert investigation_due(start, rule_set_for(start)).due == date(2026, 3, 2)


def test_investigation_due_in_a_leap_year_is_february_29() -> None:
    start = date(2023, 10, 31)  # + 4 months = 2024-02-29, a Thursday
    assert investigation_due(start, rule_set_for(start)).due == date(2024, 2, 29)


def test_deadlines_switch_law_between_june_30_and_july_1_2025() -> None:
    before = deadlines(date(2025, 6, 30), date(2025, 6, 30))
    after = deadlines(date(2025, 7, 1), date(2025, 7, 1))
    assert before.law == OLD
    assert before.preliminary_assessment.reference.startswith("11 kap. 1 a §")
    assert after.law == NEW
    assert after.investigation == Deadline(
        date(2025, 11, 3), "20 kap. 3 § socialtjänstlagen (2025:400)"
    )


def test_investigation_of_an_old_act_report_follows_the_old_act() -> None:
    # The rule set is chosen by the day the report came in, not the day the
    # investigation started.
    result = deadlines(date(2025, 6, 25), date(2025, 7, 2))
    assert result.investigation is not None
    assert result.investigation.reference == "11 kap. 2 § socialtjänstlagen (2001:453)"


def test_deadlines_to_dict_has_exactly_the_documented_shape() -> None:
    assert deadlines(date(2025, 6, 6), date(2025, 6, 16)).to_dict() == {
        "law": OLD,
        "protection_assessment": {
            "due": "2025-06-06",
            "reference": "11 kap. 1 a § första stycket socialtjänstlagen (2001:453)",
        },
        "preliminary_assessment": {
            "due": "2025-06-23",
            "reference": "11 kap. 1 a § andra stycket socialtjänstlagen (2001:453)",
        },
        "investigation": {
            "due": "2025-10-16",
            "reference": "11 kap. 2 § socialtjänstlagen (2001:453)",
        },
    }


def test_deadlines_without_investigation_start_have_no_investigation_key() -> None:
    result = deadlines(date(2025, 7, 1))
    assert result.investigation is None
    assert set(result.to_dict()) == {"law", "protection_assessment", "preliminary_assessment"}


def test_investigation_may_start_the_day_the_report_came_in() -> None:
    assert deadlines(date(2025, 7, 1), date(2025, 7, 1)).investigation is not None


def test_investigation_start_before_receipt_is_invalid_input_in_swedish() -> None:
    with pytest.raises(InvalidInput, match="före den dag anmälan kom in") as caught:
        deadlines(date(2025, 7, 10), date(2025, 7, 9))
    assert caught.value.field == "investigation_start"


@pytest.mark.parametrize(
    ("today", "left"),
    [(date(2025, 7, 1), 14), (date(2025, 7, 15), 0), (date(2025, 7, 18), -3)],
)
def test_days_left_counts_down_to_zero_on_the_last_day_then_goes_negative(
    today: date, left: int
) -> None:
    assert days_left(date(2025, 7, 15), today) == left


# Bad rule set data


def test_shipped_files_parse_to_the_loaded_rule_sets() -> None:
    parsed = parse_rule_set(shipped("sol_2025_400.toml"), source="sol_2025_400.toml")
    assert parsed == rule_set_by_id("sol_2025_400")


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_set_missing_a_rule_is_refused(sol_2025: dict[str, Any], rule: str) -> None:
    del sol_2025["rules"][rule]
    with pytest.raises(RuleSetError, match=f"missing rules.*{rule}"):
        parse_rule_set(sol_2025, source="x.toml")


def test_rule_set_with_an_unknown_rule_is_refused(sol_2025: dict[str, Any]) -> None:
    sol_2025["rules"]["placement_reviews"] = sol_2025["rules"]["investigation"]
    with pytest.raises(RuleSetError, match="unknown rules"):
        parse_rule_set(sol_2025, source="x.toml")


def test_rule_with_a_misspelt_key_is_refused(sol_2025: dict[str, Any]) -> None:
    sol_2025["rules"]["investigation"]["month"] = 4
    with pytest.raises(RuleSetError, match=r"x.toml \[rules.investigation\]: unknown keys"):
        parse_rule_set(sol_2025, source="x.toml")


@pytest.mark.parametrize("value", ["14", -1, True, 1.5])
def test_rule_period_must_be_a_whole_number_of_zero_or_more(
    sol_2025: dict[str, Any], value: object
) -> None:
    sol_2025["rules"]["preliminary_assessment"]["days"] = value
    with pytest.raises(RuleSetError, match="'days' must be a whole number"):
        parse_rule_set(sol_2025, source="x.toml")


def test_rule_must_say_whether_it_is_confirmed(sol_2025: dict[str, Any]) -> None:
    del sol_2025["rules"]["protection_assessment"]["confirmed"]
    with pytest.raises(RuleSetError, match="'confirmed' must be true or false"):
        parse_rule_set(sol_2025, source="x.toml")


def test_rule_counted_from_the_wrong_event_is_refused(sol_2025: dict[str, Any]) -> None:
    sol_2025["rules"]["investigation"]["counted_from"] = "received"
    with pytest.raises(RuleSetError, match="investigation_start"):
        parse_rule_set(sol_2025, source="x.toml")


def test_effective_date_with_a_time_of_day_is_refused(sol_2025: dict[str, Any]) -> None:
    sol_2025["effective_from"] = datetime(2025, 7, 1, 8, 0)
    with pytest.raises(RuleSetError, match="'effective_from' must be a date"):
        parse_rule_set(sol_2025, source="x.toml")


def test_rule_set_ending_before_it_starts_is_refused(sol_2025: dict[str, Any]) -> None:
    sol_2025["effective_to"] = date(2025, 6, 1)
    with pytest.raises(RuleSetError, match="before"):
        parse_rule_set(sol_2025, source="x.toml")


def test_gap_between_rule_sets_is_refused() -> None:
    old, new = load_rule_sets()
    with pytest.raises(RuleSetError, match="gap"):
        validate_rule_sets([old, replace(new, effective_from=date(2025, 7, 2))])


def test_overlapping_rule_sets_are_refused() -> None:
    old, new = load_rule_sets()
    with pytest.raises(RuleSetError, match="overlap"):
        validate_rule_sets([old, replace(new, effective_from=date(2025, 6, 30))])


def test_open_ended_rule_set_followed_by_another_is_refused() -> None:
    old, new = load_rule_sets()
    later = replace(new, id="sol_2030_1", effective_from=date(2030, 1, 1))
    with pytest.raises(RuleSetError, match="overlap"):
        validate_rule_sets([old, new, later])


def test_rule_sets_sharing_an_id_are_refused() -> None:
    old, new = load_rule_sets()
    with pytest.raises(RuleSetError, match="used twice"):
        validate_rule_sets([old, replace(new, id=old.id)])


def test_validate_orders_rule_sets_by_date() -> None:
    old, new = load_rule_sets()
    assert validate_rule_sets([new, old]) == (old, new)
