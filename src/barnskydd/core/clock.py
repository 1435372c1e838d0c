"""Swedish local time: legal days are counted in Europe/Stockholm, times are stored in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")


def local_date(moment: dt.datetime) -> dt.date:
    """Return the calendar date in Sweden of an aware datetime."""
    return moment.astimezone(SWEDEN).date()


def today() -> dt.date:
    """Return today's date in Sweden."""
    return dt.datetime.now(SWEDEN).date()
