"""Pydantic types for a child's data as input: the identity number is parsed once, at the edge."""

from __future__ import annotations

from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from barnskydd.core.errors import InvalidInput
from barnskydd.people.rules import Identity, parse_identity

MAX_WRITTEN = 20  # the longest written form, "YYYYMMDD-NNNN", has 13 characters


def _parsed(value: object) -> Identity:
    """Parse a written identity number; an Identity already parsed passes as it is."""
    if isinstance(value, Identity):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Ange en text.")
    cleaned = value.strip()
    if not cleaned:
        raise PydanticCustomError("string_too_short", "Fältet måste fyllas i.")
    if len(cleaned) > MAX_WRITTEN:
        raise PydanticCustomError(
            "string_too_long", "Högst {max_length} tecken.", {"max_length": MAX_WRITTEN}
        )
    try:
        return parse_identity(cleaned)
    except InvalidInput as error:
        # A value error, so that the desk, the API and the CLI show the Swedish message as is.
        raise ValueError(error.message) from None


# A personnummer, samordningsnummer or reserve number in any common written form, parsed into
# an Identity when the model is validated. It is written back in its display form, and the
# OpenAPI document names it a string.
ParsedIdentity = Annotated[
    Identity,
    PlainValidator(_parsed),
    PlainSerializer(lambda identity: identity.formatted, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_WRITTEN,
            "description": "personnummer, samordningsnummer or reserve number",
            "examples": ["20150916-9874"],
        }
    ),
]
