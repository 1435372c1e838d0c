"""The one table that turns Pydantic's validation errors into Swedish, for every edge.

The desk shows its choices (selects, radio buttons), so there a wrong choice is "Välj ett av
alternativen."; the API and the command line name the values that would do. A validator's own
message (a ValueError raised in Swedish) is passed on as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORM = "__form__"  # the key of an error that belongs to the whole form or body, not one field

MESSAGES: dict[str, str] = {
    "missing": "Fältet måste fyllas i.",
    "string_too_short": "Fältet måste fyllas i.",
    "too_short": "Välj minst ett alternativ.",
    "string_type": "Ange en text.",
    "string_unicode": "Texten innehåller tecken som inte kan sparas.",
    "string_pattern_mismatch": "Fel format.",
    "int_type": "Ange ett heltal.",
    "int_parsing": "Ange ett heltal.",
    "int_from_float": "Ange ett heltal.",
    "bool_type": "Ange true eller false.",
    "bool_parsing": "Välj ja eller nej.",
    "list_type": "Ange en lista.",
    "dict_type": "Ange ett JSON-objekt.",
    "model_type": "Ange ett JSON-objekt.",
    "model_attributes_type": "Ange ett JSON-objekt.",
    "extra_forbidden": "Fältet finns inte här.",
    "json_invalid": "Innehållet är inte giltig JSON.",
    "date_type": "Ange ett datum som finns i kalendern, ÅÅÅÅ-MM-DD.",
    "date_parsing": "Ange ett datum som finns i kalendern, ÅÅÅÅ-MM-DD.",
    "datetime_parsing": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
    "datetime_from_date_parsing": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
    "datetime_type": "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM).",
}
CHOOSE = "Välj ett av alternativen."
# Where the user picks from the choices shown, these say so rather than naming a type.
SHOWN_CHOICES = {"enum", "literal_error", "int_type", "int_parsing"}
# Formats a field's name says more about than the pattern does.
FORMATS = {"case_number": "Ange ett ärendenummer som BU-2025-000123."}
# Decisions on interventions (cases/decisions): the key of a party to a decision.
FORMATS["party"] = "Ange parten som child (barnet) eller guardian:<id> (vårdnadshavarens id)."
OTHER = "Ogiltigt värde."

# The child's voice (issue 13): a missing field that says what it asks for.
MISSING = {
    "voice_status": "Ange hur barnets synpunkter inhämtades: svarade, ville inte svara, "
    "erbjöds inte eller gick inte.",
}


def message(item: Mapping[str, Any], *, choices_shown: bool = False) -> str:
    """Return the Swedish message of one Pydantic error."""
    kind = str(item["type"])
    ctx = item.get("ctx") or {}
    field = str(item["loc"][-1]) if item.get("loc") else ""
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    if field in MISSING and (kind == "missing" or item.get("input") == ""):
        return MISSING[field]
    if choices_shown and kind in SHOWN_CHOICES:
        return CHOOSE
    if kind == "string_too_long":
        return f"Högst {ctx['max_length']} tecken."
    if kind in ("enum", "literal_error"):
        return f"Välj ett av: {str(ctx['expected']).replace(' or ', ' eller ')}."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Värdet är för litet (minst {ctx.get('ge', ctx.get('gt'))})."
    if kind in ("less_than_equal", "less_than"):
        return f"Värdet är för stort (högst {ctx.get('le', ctx.get('lt'))})."
    if kind == "string_pattern_mismatch" and field in FORMATS:
        return FORMATS[field]
    return MESSAGES.get(kind, OTHER)


def field_errors(
    items: Iterable[Mapping[str, Any]],
    *,
    choices_shown: bool = False,
    skip: int = 0,
    top_only: bool = False,
    whole: str = FORM,
) -> dict[str, str]:
    """Map errors to {field: message}, the first per field.

    skip drops the head of each place (the API's "body"); top_only names a field by its first
    part ("concerns", not "concerns.0"), as a form does.
    """
    errors: dict[str, str] = {}
    for item in items:
        loc = tuple(item.get("loc") or ())[skip:]
        if top_only:
            loc = loc[:1]
        name = ".".join(str(part) for part in loc) if loc else whole
        errors.setdefault(name, message(item, choices_shown=choices_shown))
    return errors
