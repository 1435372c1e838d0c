"""The law of decisions: the appeal deadline per day told, the child's 15th birthday, the bases."""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.law import decisions as law
from barnskydd.law.calendar import OutsideCalendar

D = dt.date


@pytest.mark.parametrize(
    ("told_on", "due"),
    [
        (D(2025, 8, 4), D(2025, 8, 25)),  # Monday to Monday, three weeks
        (D(2025, 8, 2), D(2025, 8, 25)),  # ends Saturday 23 August: moved to Monday
        (D(2025, 8, 3), D(2025, 8, 25)),  # ends Sunday 24 August: moved to Monday
        (D(2026, 5, 29), D(2026, 6, 22)),  # ends midsommarafton Friday 19 June: to Monday 22
        (D(2025, 5, 30), D(2025, 6, 23)),  # ends midsommarafton Friday 20 June 2025: Monday 23
        (D(2025, 12, 3), D(2025, 12, 29)),  # ends julafton: past jul and the weekend
        (D(2025, 12, 10), D(2026, 1, 2)),  # ends nyårsafton: past nyårsdagen to Friday 2 January
        (D(2025, 12, 11), D(2026, 1, 2)),  # ends 1 January (nyårsdagen): Friday 2 January
        (D(2026, 3, 13), D(2026, 4, 7)),  # ends långfredagen 3 April: past påsk to Tuesday 7
    ],
)
def test_the_appeal_deadline_is_three_weeks_moved_past_holidays(told_on: D, due: D) -> None:
    assert law.appeal_due(told_on) == due


def test_an_appeal_deadline_outside_the_holiday_calendar_is_refused() -> None:
    with pytest.raises(OutsideCalendar):
        law.appeal_due(D(1500, 1, 1))


@pytest.mark.parametrize(
    ("born", "decided_on", "party"),
    [
        (D(2010, 9, 10), D(2025, 9, 9), False),
        (D(2010, 9, 10), D(2025, 9, 10), True),
        (D(2008, 2, 29), D(2023, 2, 27), False),
        (D(2008, 2, 29), D(2023, 2, 28), True),  # a leap-day child's birthday in a common year
        (D(2020, 1, 1), D(2025, 1, 1), False),
    ],
)
def test_the_child_is_a_party_from_the_day_it_turns_15(born: D, decided_on: D, party: bool) -> None:
    assert law.child_is_party(born, decided_on) is party


def test_every_category_has_a_sol_basis_and_sis_rests_on_lvu() -> None:
    sentenced = {InterventionCategory.SIS_SECURE, InterventionCategory.YOUTH_SERVICE}
    for category in set(InterventionCategory) - sentenced:
        assert law.legal_basis(category, LegalBasis.SOL).text.startswith("11 kap. 1 §")
    youth = law.legal_basis(InterventionCategory.YOUTH_SERVICE, LegalBasis.SOL)
    assert youth.text.startswith("18 kap. 8 §")
    sis = law.legal_basis(InterventionCategory.SIS_SECURE, LegalBasis.LVU)
    assert sis.text.startswith("11 och 12 §§ lagen (1990:52)")
    assert sis.shown.endswith("(ej bekräftad)")


def test_only_what_was_read_in_the_statute_is_confirmed() -> None:
    assert law.APPEALABLE_SOL.confirmed
    assert law.CHILD_OWN_VOICE.confirmed
    assert not law.APPEAL_PERIOD.confirmed
    assert not law.APPEALABLE_LVU.confirmed
