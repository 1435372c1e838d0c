"""Swedish calendar and the time arithmetic of lag (1930:173) om beräkning av lagstadgad tid.

1 § of the act counts a period of weeks, months or years to the day with the same
name or number as the starting day, or to the last day of the end month when that
month has no such day. 2 § first paragraph lets an act whose last day falls on a
Sunday, another allmän helgdag, a Saturday, midsommarafton, julafton or nyårsafton
be done on the next vardag. The holidays themselves come from the maintained
`holidays` library: its PUBLIC category holds the allmänna helgdagar of lag
(1989:253) and its DE_FACTO category holds the three eves that 2 § names.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import cache

import holidays
from holidays.constants import DE_FACTO, PUBLIC

from barnskydd.core.errors import InvalidInput

__all__ = [
    "OutsideCalendar",
    "add_months",
    "check_covered",
    "is_non_working_day",
    "next_working_day",
    "period_end",
]

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


class OutsideCalendar(InvalidInput, ValueError):
    """A day outside the years whose holidays are known: no deadline can be counted there."""


@cache
def covered_years() -> tuple[int, int]:
    """Return the first and last year the holidays library knows Sweden's holidays for."""
    swedish = holidays.country_holidays("SE", categories=(PUBLIC, DE_FACTO))
    return swedish.start_year, swedish.end_year


def _outside(year: int) -> OutsideCalendar:
    first, last = covered_years()
    return OutsideCalendar(
        f"Tidsfrister kan räknas för åren {first}–{last} (helgdagarnas kalender), inte {year}."
    )


def check_covered(day: date) -> date:
    """Return the day if its year's holidays are known, else raise OutsideCalendar.

    A deadline counted from a covered day can still fall past the last year: that raises
    OutsideCalendar too, where the period ends. Checked first, a day near year 9999 cannot
    overflow the date arithmetic.
    """
    first, last = covered_years()
    if not first <= day.year <= last:
        raise _outside(day.year)
    return day


@cache
def _holidays_in(year: int) -> frozenset[date]:
    """Return the allmänna helgdagar and the eves of one year (Sundays by weekday, not here)."""
    # Sundays are left out on purpose: is_non_working_day tests the weekday first, and
    # older releases of the library counted every Sunday as a holiday by default.
    swedish = holidays.country_holidays(
        "SE",
        years=year,
        categories=(PUBLIC, DE_FACTO),
        include_sundays=False,
    )
    if not swedish.start_year <= year <= swedish.end_year:
        raise _outside(year)
    return frozenset(swedish)


def is_non_working_day(day: date) -> bool:
    """Tell whether 2 § lag (1930:173) moves a last day that falls on this day."""
    return day.weekday() >= _SATURDAY or day in _holidays_in(day.year)


def next_working_day(day: date) -> date:
    """Return the day itself if it is a vardag, else the first vardag after it."""
    while is_non_working_day(day):
        day += _ONE_DAY
    return day


def add_months(start: date, months: int) -> date:
    """Count months as 1 § lag (1930:173) does: same day number, or the month's last day."""
    if months < 0:
        msg = f"months must not be negative, got {months}"
        raise ValueError(msg)
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def period_end(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date:
    """Return the last day of a period from `start`, moved to a vardag by 2 § lag (1930:173).

    A period of weeks ends on the day with the same name as `start` (1 §): seven days a week.
    """
    if days < 0 or weeks < 0:
        msg = f"days and weeks must not be negative, got {days} and {weeks}"
        raise ValueError(msg)
    return next_working_day(add_months(start, months) + timedelta(days=days + 7 * weeks))
