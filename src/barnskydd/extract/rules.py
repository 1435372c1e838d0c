"""The extract's pure rules: the request's deadline, what an item is, and text about others.

No database here: the collection (extract.collect) builds items, these rules shape them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from barnskydd.extract.codes import DEADLINE_MONTHS, EXTENSION_MONTHS, Ground
from barnskydd.law.calendar import check_covered, period_end

FieldValue = str | int | bool | None | list[str]

# A personnummer or samordningsnummer as written in free text: 10 or 12 digits, with or
# without a separator; a reserve number has an R. Any of these not the subject's is removed.
_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?(?:\d{4}|R\d{3})(?!\d)")
NUMBER_REMOVED = "[personnummer borttaget]"
NAME_REMOVED = "[namn borttaget]"


def due(received_on: dt.date) -> dt.date:
    """Return the last day to answer a request received on a day (GDPR art. 12.3: a month)."""
    return period_end(check_covered(received_on), months=DEADLINE_MONTHS)


def extended_due(received_on: dt.date) -> dt.date:
    """Return the last day once extended by two further months (art. 12.3: three in all).

    Counted from the day received, as the month is: counting from the first deadline would
    carry its move past a weekend into the extension.
    """
    return period_end(check_covered(received_on), months=DEADLINE_MONTHS + EXTENSION_MONTHS)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing held about the person: a row, or one part of a row, as it is extracted.

    `key` names the row (table and id, and a part when a row gives more than one item) and
    nothing of its content, so a review can be stored and an item found again. `proposed` is
    the ground the review starts from: None proposes release.
    """

    key: str
    kind: str
    label: str
    on: dt.date | dt.datetime | None
    case_number: str | None = None
    text: str | None = None
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    proposed: Ground | None = None

    @property
    def day(self) -> dt.date | None:
        """Return the item's date (a time's date in UTC is close enough for ordering)."""
        if isinstance(self.on, dt.datetime):
            return self.on.date()
        return self.on


@dataclass(frozen=True, slots=True)
class Others:
    """The identity numbers and names of other people known near the subject, to strip."""

    subject_number: str
    numbers: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()


def _digits(text: str) -> str:
    return re.sub(r"[^0-9R]", "", text)


def _same_number(written: str, number: str) -> bool:
    """Return whether a number written in text (10 or 12 digits) is the normalised one."""
    digits = _digits(written)
    return digits == number or (len(digits) == len(number) - 2 and number.endswith(digits))


def scrub(text: str | None, others: Others) -> str | None:
    """Remove from a text every identity number but the subject's, and the others' names.

    A report about siblings is one text in each child's case; the sibling's full name and any
    identity number other than the subject's are taken out of what the subject is given. A
    first name alone stays: that is for the review.
    """
    if not text:
        return text

    def number(match: re.Match[str]) -> str:
        found = match.group(0)
        return found if _same_number(found, others.subject_number) else NUMBER_REMOVED

    cleaned = _NUMBER_IN_TEXT.sub(number, text)
    for name in sorted(others.names, key=len, reverse=True):
        if name.strip():
            cleaned = re.sub(re.escape(name), NAME_REMOVED, cleaned, flags=re.IGNORECASE)
    return cleaned


def scrub_fields(fields: Mapping[str, FieldValue], others: Others) -> dict[str, FieldValue]:
    """Scrub every text value of a mapping (lists of texts too)."""
    cleaned: dict[str, FieldValue] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            cleaned[name] = scrub(value, others)
        elif isinstance(value, list):
            cleaned[name] = [scrub(v, others) or "" for v in value]
        else:
            cleaned[name] = value
    return cleaned


# The audit trail grows with every read, the extract's own too: its entries (who read or
# changed the person's data, when and why) are released by rule, not reviewed one by one.
BY_RULE = frozenset({"audit_entry"})


def undecided(items: Iterable[Item], decided: Mapping[str, Ground | None]) -> list[Item]:
    """Return the items the review has yet to decide (those released by rule are not)."""
    return [item for item in items if item.key not in decided and item.kind not in BY_RULE]
