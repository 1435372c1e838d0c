"""Swedish identity numbers and name keys for children: parse, validate, normalise (no database).

Normalised forms, 12 characters each, are what the database stores:

- personnummer: "YYYYMMDDNNNC" (NNN birth number, C Luhn check digit);
- samordningsnummer: the same, with the day plus 60 kept as issued (e.g. "19570574...");
- reserve number, for a child with neither: "YYYYMMDD" + "R" + a 3-digit serial (001-999),
  e.g. "20150916R001". It carries no gender and no check digit, so learning a child's gender
  later never changes the number; keep the gender alongside it.

Error messages are shown to social workers next to the field. They never repeat the number,
so an exception that ends up in a log does not carry one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from barnskydd.core.clock import today as swedish_today
from barnskydd.core.errors import InvalidInput

FIELD = "identity"
COORDINATION_DAY_OFFSET = 60
RESERVE_MARKER = "R"
RESERVE_SERIALS = range(1, 1000)

MSG_FORMAT = "Fel format. Skriv numret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."
MSG_DATE = "Födelsedatumet i numret finns inte i kalendern."
MSG_DATE_COORDINATION = (
    "Födelsedatumet i samordningsnumret finns inte i kalendern "
    "(dagen ska vara födelsedagen plus 60)."
)
MSG_CHECK_DIGIT = "Kontrollsiffran stämmer inte. Kontrollera att numret är rätt inskrivet."
MSG_BIRTH_NUMBER = "Födelsenumret (de tre siffrorna före kontrollsiffran) kan inte vara 000."
MSG_FUTURE = "Födelsedatumet i numret ligger i framtiden."
MSG_RESERVE_SERIAL = "Löpnumret i ett reservnummer ska vara 001–999."
MSG_BIRTH_DATE_FUTURE = "Födelsedatumet ligger i framtiden."
MSG_BEFORE_BIRTH = "Datumet ligger före barnets födelsedatum."

# re.ASCII: \d would otherwise accept other scripts' digits, which int() silently converts.
_NUMBER = re.compile(r"(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<tail>\d{4})", re.ASCII)
_RESERVE = re.compile(r"(?P<yyyymmdd>\d{8})-?[Rr](?P<serial>\d{3})", re.ASCII)


class IdentityKind(StrEnum):
    """Which register, if any, issued the number."""

    personnummer = "personnummer"
    samordningsnummer = "samordningsnummer"
    reserve = "reserve"


class Gender(StrEnum):
    """Legal gender as used in statistics (flicka, pojke, okänt)."""

    girl = "girl"
    boy = "boy"
    unknown = "unknown"


@dataclass(frozen=True, slots=True)
class Identity:
    """A validated identity number with what it tells about the child."""

    kind: IdentityKind
    number: str = field(repr=False)  # kept out of repr so a logged Identity leaks no number
    birth_date: date
    gender: Gender

    @property
    def formatted(self) -> str:
        """Return the display form, "YYYYMMDD-NNNC" (or "YYYYMMDD-R001" for a reserve number)."""
        return formatted(self.number)


def formatted(number: str) -> str:
    """Return the display form of a normalised number: "YYYYMMDD-NNNC" or "YYYYMMDD-R001"."""
    return f"{number[:8]}-{number[8:]}"


def luhn_check_digit(nine_digits: str) -> str:
    """Return the Luhn check digit for the nine digits YYMMDDNNN."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def _anniversary(month: int, day: int, year: int) -> date:
    """Return the birthday in a year; 29 February falls on 28 February in common years."""
    try:
        return date(year, month, day)
    except ValueError:
        # Lag (1930:173) om beräkning av lagstadgad tid, 2 §: a period ends on the month's
        # last day when the matching day does not exist, so a leap-day child turns a year
        # older on 28 February.
        return date(year, 2, 28)


def _full_year(yy: int, month: int, day: int, *, plus: bool, today: date) -> int:
    """Return the four-digit birth year for a ten-digit number read on `today`."""
    year = today.year - (today.year - yy) % 100
    if year == today.year and _anniversary(month, day, year) > today:
        year -= 100
    return year - 100 if plus else year


def _birth_date(year: int, month: int, day: int, *, coordination: bool) -> date:
    """Return the real birth date, or refuse a day the calendar does not have."""
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            MSG_DATE_COORDINATION if coordination else MSG_DATE, field=FIELD
        ) from None


def _parse_reserve(match: re.Match[str], today: date) -> Identity:
    """Return the reserve identity a matched normalised or display form stands for."""
    digits = match["yyyymmdd"]
    born = _birth_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), coordination=False)
    if born > today:
        raise InvalidInput(MSG_FUTURE, field=FIELD)
    if int(match["serial"]) not in RESERVE_SERIALS:
        raise InvalidInput(MSG_RESERVE_SERIAL, field=FIELD)
    return Identity(
        kind=IdentityKind.reserve,
        number=f"{digits}{RESERVE_MARKER}{match['serial']}",
        birth_date=born,
        gender=Gender.unknown,
    )


def parse_identity(text: str, *, today: date | None = None) -> Identity:
    """Parse a personnummer, samordningsnummer or reserve number in any common written form."""
    today = swedish_today() if today is None else today
    cleaned = text.strip()
    reserve = _RESERVE.fullmatch(cleaned)
    if reserve is not None:
        return _parse_reserve(reserve, today)
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        raise InvalidInput(MSG_FORMAT, field=FIELD)
    yymmdd, tail = match["yymmdd"], match["tail"]
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    coordination = day > COORDINATION_DAY_OFFSET
    real_day = day - COORDINATION_DAY_OFFSET if coordination else day
    if match["century"] is not None:
        # The century is written out, so the separator adds nothing and is not checked.
        year = int(match["century"]) * 100 + yy
    else:
        # Refuse what no century allows (2000 is a leap year) before picking the century.
        _birth_date(2000, month, real_day, coordination=coordination)
        year = _full_year(yy, month, real_day, plus=match["sep"] == "+", today=today)
    born = _birth_date(year, month, real_day, coordination=coordination)
    ten = yymmdd + tail
    if tail[:3] == "000":
        raise InvalidInput(MSG_BIRTH_NUMBER, field=FIELD)
    if luhn_check_digit(ten[:9]) != ten[9]:
        raise InvalidInput(MSG_CHECK_DIGIT, field=FIELD)
    if born > today:
        raise InvalidInput(MSG_FUTURE, field=FIELD)
    return Identity(
        kind=IdentityKind.samordningsnummer if coordination else IdentityKind.personnummer,
        number=f"{year:04d}{ten[2:]}",
        birth_date=born,
        gender=Gender.boy if int(ten[8]) % 2 else Gender.girl,
    )


def reserve_identity(
    *,
    birth_date: date,
    serial: int,
    gender: Gender = Gender.unknown,
    today: date | None = None,
) -> Identity:
    """Make a reserve identity for a child with neither personnummer nor samordningsnummer."""
    if birth_date > (swedish_today() if today is None else today):
        raise InvalidInput(MSG_BIRTH_DATE_FUTURE, field="birth_date")
    if serial not in RESERVE_SERIALS:
        raise InvalidInput(MSG_RESERVE_SERIAL, field="serial")
    return Identity(
        kind=IdentityKind.reserve,
        number=f"{birth_date:%Y%m%d}{RESERVE_MARKER}{serial:03d}",
        birth_date=birth_date,
        gender=gender,
    )


def age_on(identity: Identity, day: date) -> int:
    """Return the child's age in whole years on a day."""
    return age_in_years(identity.birth_date, day)


def age_in_years(born: date, day: date) -> int:
    """Return the age in whole years on a day of someone born on `born`."""
    if day < born:
        raise InvalidInput(MSG_BEFORE_BIRTH)
    years = day.year - born.year
    return years - 1 if day < _anniversary(born.month, born.day, day.year) else years


def name_key(name: str) -> str:
    """Return the form of a name that name search compares: NFKC-normalised and casefolded.

    Casefolding makes "ÅSA", "Åsa" and "åsa" one key. Diacritics are kept: å, ä and ö are
    letters of their own in Swedish, so "asa" is another name than "Åsa".
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


def prefix_range(key: str) -> tuple[str, str]:
    """Return the half-open range [low, high) of exactly the strings that start with `key`.

    Compared code point by code point (Python's order, SQLite's BINARY collation, PostgreSQL's
    "C" collation on UTF-8), a string starts with `key` if and only if it lies in the range:
    `high` is `key` with its last character replaced by the next code point. Unlike LIKE 'x%',
    the range can be served by an ordinary index. A key ending in U+10FFFF, the last code
    point (never in a name), has no such bound: ValueError, as for an empty key.
    """
    if not key:
        raise ValueError("an empty key would match every string")
    return key, key[:-1] + chr(ord(key[-1]) + 1)
