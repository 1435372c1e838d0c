"""Turn form input into typed values and errors into Swedish messages keyed by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from barnskydd.core import messages
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import DomainError, InvalidInput
from barnskydd.core.messages import FORM


def validation_errors(error: ValidationError, *, whole_form: str = FORM) -> dict[str, str]:
    """Map Pydantic errors to {field: Swedish message}; model-level ones go to whole_form."""
    return messages.field_errors(
        error.errors(), choices_shown=True, top_only=True, whole=whole_form
    )


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


def local_datetime(form: FormData, name: str) -> dt.datetime:
    """Parse a datetime-local field as Swedish time or raise InvalidInput naming it."""
    try:
        moment = dt.datetime.fromisoformat(text(form, name))
    except ValueError:
        raise InvalidInput("Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).", field=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SWEDEN)


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
