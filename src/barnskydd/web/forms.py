"""Turn form input into typed values and errors into Swedish messages keyed by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError
from starlette.datastructures import FormData

from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import DomainError, InvalidInput

FORM = "__form__"  # the key of an error that belongs to the whole form, not one field
E = TypeVar("E", bound=StrEnum)

_PYDANTIC: dict[str, str] = {
    "missing": "Fältet måste fyllas i.",
    "string_too_short": "Fältet måste fyllas i.",
    "too_short": "Välj minst ett alternativ.",
    "enum": "Välj ett av alternativen.",
    "literal_error": "Välj ett av alternativen.",
    "int_parsing": "Välj ett av alternativen.",
    "int_type": "Välj ett av alternativen.",
    "bool_parsing": "Ange ja eller nej.",
    "datetime_parsing": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
    "datetime_from_date_parsing": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
    "datetime_type": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
}


def _message(item: Mapping[str, Any]) -> str:
    kind = str(item["type"])
    if kind == "string_too_long":
        return f"Högst {item['ctx']['max_length']} tecken."
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    return _PYDANTIC.get(kind, "Ogiltigt värde.")


def validation_errors(error: ValidationError, *, whole_form: str = FORM) -> dict[str, str]:
    """Map Pydantic errors to {field: Swedish message}; model-level ones go to whole_form."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else whole_form
        errors.setdefault(field, _message(item))
    return errors


def domain_errors(
    error: DomainError, *, renames: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map a domain error to {field: message}, renaming service fields to form fields."""
    field = error.field or FORM
    return {(renames or {}).get(field, field): error.message}


def text(form: FormData, name: str) -> str:
    """Return a text field, stripped; missing is empty; a NUL character is refused."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if "\x00" in value:  # PostgreSQL cannot store it; no keyboard types it
        raise InvalidInput("Texten innehåller ett otillåtet tecken.", field=name)
    return value.strip()


def optional_text(form: FormData, name: str) -> str | None:
    """Return a text field, or None when empty."""
    return text(form, name) or None


def date(form: FormData, name: str) -> dt.date:
    """Parse a date field (ÅÅÅÅ-MM-DD) or raise InvalidInput naming it."""
    try:
        return dt.date.fromisoformat(text(form, name))
    except ValueError:
        raise InvalidInput("Ange ett giltigt datum (ÅÅÅÅ-MM-DD).", field=name) from None


def optional_date(form: FormData, name: str) -> dt.date | None:
    """Parse a date field, or None when empty."""
    return date(form, name) if text(form, name) else None


def local_datetime(form: FormData, name: str) -> dt.datetime:
    """Parse a datetime-local field as Swedish time or raise InvalidInput naming it."""
    try:
        moment = dt.datetime.fromisoformat(text(form, name))
    except ValueError:
        raise InvalidInput("Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).", field=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SWEDEN)


def choice(form: FormData, name: str, enum: type[E]) -> E:
    """Return the enum member chosen in a select or radio field, or raise InvalidInput."""
    try:
        return enum(text(form, name))
    except ValueError:
        raise InvalidInput("Välj ett av alternativen.", field=name) from None


def yes_no(form: FormData, name: str) -> bool:
    """Return a ja/nej radio field's value, or raise InvalidInput when none is chosen."""
    value = text(form, name)
    if value not in ("ja", "nej"):
        raise InvalidInput("Välj ja eller nej.", field=name)
    return value == "ja"


def values(form: FormData, *, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return the submitted values to fill the form again (CSRF token left out)."""
    kept: dict[str, Any] = {
        k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"
    }
    for name in lists:
        kept[name] = [v for v in form.getlist(name) if isinstance(v, str)]
    return kept


def now_local() -> str:
    """Return the current Swedish time for a datetime-local field."""
    return dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
