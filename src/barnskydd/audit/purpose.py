"""One rule for the purpose of a read, a search or a lookup: what the audit trail may hold.

A purpose is stored in `audit_entry.purpose`, kept for years and shown to whoever reviews the
trail, so it must say why data were touched, never whose: no personnummer, samordningsnummer
or reserve number, no e-mail address, no other number that points at a person. The same rule
holds on every path (desk, API, CLI, services) and, as the last line of defence, in
`barnskydd.audit.service.record` itself.

What counts as an identity number is what `barnskydd.people.rules.parse_identity` reads, in
every written form it accepts (ÅÅMMDD-NNNN, ÅÅÅÅMMDDNNNN, ÅÅÅÅMMDD-R001, ...): each of them
holds six digits in a row. The rule refuses any six digits in a row (a birth date or more), in
any script's digits, so a mistyped number whose check digit fails is refused as well. A
name cannot be told apart from other words in general; the desk's search also refuses the
name it searched for (`barnskydd.cases.search.purpose_text`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from barnskydd.core.errors import InvalidInput

FIELD = "purpose"
MIN_LENGTH = 3
MAX_LENGTH = 200  # audit_entry.purpose is String(200)

MSG_LENGTH = f"Ange syftet med {MIN_LENGTH}–{MAX_LENGTH} tecken."
MSG_CONTROL = "Syftet får inte innehålla styrtecken."
MSG_PERSONAL = (
    "Skriv inte personnummer, samordningsnummer, reservnummer, e-postadress eller andra "
    "uppgifter som pekar ut en person i syftet; det sparas i loggen."
)

# Six digits in a row: every identity number parse_identity reads, and any birth date written
# without separators. Not re.ASCII: digits of other scripts count too (after NFKC).
IDENTITY_LIKE = re.compile(r"\d{6}")
EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def looks_personal(text: str) -> bool:
    """Return whether the text holds something shaped like an identifier of a person."""
    folded = unicodedata.normalize("NFKC", text)
    return bool(IDENTITY_LIKE.search(folded) or EMAIL_LIKE.search(folded))


def check_purpose(text: str, *, field: str = FIELD) -> str:
    """Return the purpose as it is stored (whitespace collapsed), or raise InvalidInput.

    The message never repeats the text, so an exception that reaches a log carries nothing
    of it.
    """
    if len(text) > 4 * MAX_LENGTH:  # before looking at every character of a huge one
        raise InvalidInput(MSG_LENGTH, field=field)
    if any(c not in "\t\n\r" and unicodedata.category(c).startswith("C") for c in text):
        raise InvalidInput(MSG_CONTROL, field=field)  # NUL, other controls, format characters
    purpose = " ".join(text.split())
    if not MIN_LENGTH <= len(purpose) <= MAX_LENGTH:
        raise InvalidInput(MSG_LENGTH, field=field)
    if looks_personal(purpose):
        raise InvalidInput(MSG_PERSONAL, field=field)
    return purpose


def _validated(text: str) -> str:
    try:
        return check_purpose(text)
    except InvalidInput as error:
        raise ValueError(error.message) from None


# For Pydantic models and FastAPI parameters: the same rule, refused as a 422 naming the field.
Purpose = Annotated[str, AfterValidator(_validated)]
