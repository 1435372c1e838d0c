"""The Swedish calendar and lag (1930:173), checked against an Easter computus of our own."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from barnskydd.law.calendar import add_months, is_non_working_day, next_working_day, period_end

YEARS = range(1990, 2061)
SATURDAY, SUNDAY, FRIDAY = 5, 6, 4


def easter_sunday(year: int) -> date:
    """Return Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def weekday_between(first: date, last: date, weekday: int) -> date:
    """Return the one day with this weekday in a seven-day span."""
    (found,) = [
        first + timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if (first + timedelta(days=offset)).weekday() == weekday
    ]
    return found


def expected_weekday_holidays(year: int) -> set[date]:
    """Return every day off that 2 § lag (1930:173) names, by our own reckoning."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),  # nyårsdagen
        date(year, 1, 6),  # trettondedag jul
        easter - timedelta(days=2),  # långfredagen
        easter,  # påskdagen
        easter + timedelta(days=1),  # annandag påsk
        date(year, 5, 1),  # första maj
        easter + timedelta(days=39),  # Kristi himmelsfärdsdag
        easter + timedelta(days=49),  # pingstdagen
        weekday_between(date(year, 6, 19), date(year, 6, 25), FRIDAY),  # midsommarafton
        weekday_between(date(year, 6, 20), date(year, 6, 26), SATURDAY),  # midsommardagen
        weekday_between(date(year, 10, 31), date(year, 11, 6), SATURDAY),  # alla helgons dag
        date(year, 12, 24),  # julafton
        date(year, 12, 25),  # juldagen
        date(year, 12, 26),  # annandag jul
        date(year, 12, 31),  # nyårsafton
    }
    if year >= 2005:
        days.add(date(year, 6, 6))  # nationaldagen, allmän helgdag since 2005
    else:
        days.add(easter + timedelta(days=50))  # annandag pingst, allmän helgdag until 2004
    return days


def all_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def test_easter_computus_matches_known_dates() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2038) == date(2038, 4, 25)  # latest possible
    assert easter_sunday(2285) == date(2285, 3, 22)  # earliest possible


@pytest.mark.parametrize("year", YEARS)
def test_non_working_days_are_exactly_weekends_holidays_and_eves(year: int) -> None:
    expected = expected_weekday_holidays(year)
    wrong = [
        day
        for day in all_days(year)
        if is_non_working_day(day) != (day.weekday() >= SATURDAY or day in expected)
    ]
    assert wrong == []


@pytest.mark.parametrize("year", YEARS)
def test_weekend_holidays_fall_where_the_computus_puts_them(year: int) -> None:
    # These always fall on a Saturday or Sunday, so the weekday test above cannot see
    # them; check that the library places them on the same days as our computus.
    easter = easter_sunday(year)
    named = holidays.country_holidays("SE", years=year, language="sv")
    # get_list, since pingstdagen and nationaldagen can fall on the same Sunday.
    assert "Påskdagen" in named.get_list(easter)
    assert "Pingstdagen" in named.get_list(easter + timedelta(days=49))
    midsummer_day = weekday_between(date(year, 6, 20), date(year, 6, 26), SATURDAY)
    assert "Midsommardagen" in named.get_list(midsummer_day)
    all_saints = weekday_between(date(year, 10, 31), date(year, 11, 6), SATURDAY)
    assert "Alla helgons dag" in named.get_list(all_saints)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 4, 18), "långfredagen"),
        (date(2025, 4, 21), "annandag påsk"),
        (date(2025, 5, 29), "Kristi himmelsfärdsdag"),
        (date(2025, 6, 6), "nationaldagen"),
        (date(2025, 6, 20), "midsommarafton"),
        (date(2025, 12, 24), "julafton"),
        (date(2025, 12, 31), "nyårsafton"),
        (date(2026, 1, 1), "nyårsdagen"),
        (date(2026, 1, 6), "trettondedag jul"),
        (date(2026, 5, 1), "första maj"),
    ],
)
def test_weekday_holiday_is_not_a_working_day(day: date, name: str) -> None:
    assert day.weekday() < SATURDAY, name
    assert is_non_working_day(day), name


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 5, 30),  # klämdag after Kristi himmelsfärd: an ordinary Friday
        date(2025, 4, 17),  # skärtorsdagen
        date(2025, 6, 9),  # annandag pingst, no longer a holiday
        date(2025, 4, 30),  # valborgsmässoafton
        date(2026, 1, 5),  # trettondagsafton
    ],
)
def test_eves_the_law_does_not_name_are_working_days(day: date) -> None:
    assert not is_non_working_day(day)


def test_year_outside_the_library_range_is_refused() -> None:
    with pytest.raises(ValueError, match="1953"):
        is_non_working_day(date(1900, 1, 3))


def test_next_working_day_keeps_a_working_day() -> None:
    assert next_working_day(date(2025, 7, 1)) == date(2025, 7, 1)


def test_next_working_day_moves_over_a_weekend() -> None:
    assert next_working_day(date(2025, 7, 5)) == date(2025, 7, 7)


def test_next_working_day_moves_over_easter() -> None:
    # Långfredagen, påskafton (a Saturday), påskdagen, annandag påsk.
    assert next_working_day(date(2025, 4, 18)) == date(2025, 4, 22)


def test_next_working_day_moves_over_christmas_and_the_weekend_after() -> None:
    # Julafton Wednesday, juldagen, annandag jul, then Saturday and Sunday.
    assert next_working_day(date(2025, 12, 24)) == date(2025, 12, 29)


def test_next_working_day_moves_over_new_years_eve_and_day() -> None:
    assert next_working_day(date(2025, 12, 31)) == date(2026, 1, 2)


def test_next_working_day_moves_over_midsummer() -> None:
    assert next_working_day(date(2025, 6, 20)) == date(2025, 6, 23)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 3, 10), 4, date(2025, 7, 10)),
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        (date(2023, 10, 31), 4, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 15), 4, date(2026, 3, 15)),
        (date(2025, 12, 31), 0, date(2025, 12, 31)),
    ],
)
def test_add_months_keeps_the_day_number_or_takes_the_last_day(
    start: date, months: int, end: date
) -> None:
    assert add_months(start, months) == end


def test_add_months_refuses_negative_months() -> None:
    with pytest.raises(ValueError, match="months"):
        add_months(date(2025, 1, 1), -1)


def test_period_end_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="days"):
        period_end(date(2025, 1, 1), days=-1)


def test_period_end_clamps_to_month_end_then_moves_past_the_weekend() -> None:
    # 2026-02-28 is a Saturday.
    assert period_end(date(2025, 10, 31), months=4) == date(2026, 3, 2)


def test_period_end_of_fourteen_days_on_a_working_day_is_not_moved() -> None:
    assert period_end(date(2025, 7, 1), days=14) == date(2025, 7, 15)


def test_period_end_counts_months_before_days() -> None:
    # 2025-01-31 + 1 month = 2025-02-28, + 1 day = 2025-03-01 (Saturday) -> Monday.
    assert period_end(date(2025, 1, 31), months=1, days=1) == date(2025, 3, 3)


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
    months=st.integers(min_value=0, max_value=24),
)
def test_period_end_is_the_first_working_day_on_or_after_the_raw_end(
    start: date, days: int, months: int
) -> None:
    raw_end = add_months(start, months) + timedelta(days=days)
    end = period_end(start, days=days, months=months)
    assert end >= raw_end
    assert not is_non_working_day(end)
    skipped = [raw_end + timedelta(days=n) for n in range((end - raw_end).days)]
    assert all(is_non_working_day(day) for day in skipped)


@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=1200),
)
def test_add_months_lands_in_the_right_month_never_past_the_start_day(
    start: date, months: int
) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    if end.day < start.day:
        assert (end + timedelta(days=1)).day == 1
