"""The bounds every input is held to at the edge: what a column can store and a date can mean.

One place for them, so that the desk, the API, the CLI and the national services refuse the
same input the same way (4xx or exit 2 with a message) instead of failing in the database
driver or in date arithmetic (a 500 or a traceback). See docs/security.md, "Bad input".
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from pydantic import AfterValidator, Field

from barnskydd.core.errors import InvalidInput

INT32_MAX = 2**31 - 1  # PostgreSQL's integer (every id and count column of ours)
INT64_MAX = 2**63 - 1  # PostgreSQL's bigint, SQLite's INTEGER
# Dates a user may type anywhere: wide enough for any birth date or decision, far enough from
# year 1 and year 9999 that adding the law's periods or a time zone shift cannot overflow.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)

MSG_UNSTORABLE = "Texten innehåller ett tecken som inte kan sparas (nolltecken eller ogiltig kod)."
MSG_DAY_RANGE = f"Ange ett datum mellan {FIRST_DAY.isoformat()} och {LAST_DAY.isoformat()}."


def unstorable(text: str) -> bool:
    """Tell whether text holds a NUL (PostgreSQL refuses it) or a lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def storable(text: str) -> str:
    """Return text that every database can store, or raise ValueError (Pydantic's refusal)."""
    if unstorable(text):
        raise ValueError(MSG_UNSTORABLE)
    return text


def check_storable(text: str, *, field: str) -> str:
    """Return text that every database can store, or raise InvalidInput naming the field."""
    if unstorable(text):
        raise InvalidInput(MSG_UNSTORABLE, field=field)
    return text


def in_day_range(day: dt.date) -> bool:
    """Tell whether a date lies between FIRST_DAY and LAST_DAY."""
    return FIRST_DAY <= day <= LAST_DAY


def _bounded_day(day: dt.date) -> dt.date:
    if not in_day_range(day):
        raise ValueError(MSG_DAY_RANGE)
    return day


def finite_positive(value: float) -> bool:
    """Tell whether a float is a real number above zero (not nan, not inf)."""
    return math.isfinite(value) and value > 0


# Text stored or compared in the database: no NUL, no lone surrogate. Add max_length per use.
StoredText = Annotated[str, AfterValidator(storable)]
# An id or count in an integer column: never beyond what PostgreSQL's integer holds.
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
PositiveInt32 = Annotated[int, Field(ge=1, le=INT32_MAX)]
NonNegativeInt32 = Annotated[int, Field(ge=0, le=INT32_MAX)]
BoundedDay = Annotated[dt.date, AfterValidator(_bounded_day)]
