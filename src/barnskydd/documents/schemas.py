"""What an upload takes besides the file, and what a document's metadata reads as."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field, field_validator

from barnskydd.cases.chain.inputs import Id, StepInput
from barnskydd.documents.codes import DocumentKind

MAX_TITLE = 200
_TAG = re.compile(r"<\s*[/!?a-zA-Z]")
MSG_HTML = "Rubriken får inte innehålla HTML (tecknet < följt av en bokstav)."
MSG_CONTROL = "Rubriken får inte innehålla styrtecken."


class DocumentCreate(StepInput):
    """A document's title and kind (the file comes beside it)."""

    title: str = Field(
        min_length=1, max_length=MAX_TITLE, title="Rubrik", description="Dokumentets rubrik."
    )
    kind: DocumentKind = Field(
        DocumentKind.INCOMING,
        title="Slag av handling",
        description="Inkommen (incoming) eller upprättad (drawn_up) handling.",
    )
    journal_entry: Id | None = Field(
        None,
        title="Hör till journalanteckning",
        description="Id för den anteckning i ärendets journal som dokumentet hör till.",
    )

    @field_validator("title")
    @classmethod
    def _plain_text(cls, value: str) -> str:
        if _TAG.search(value):
            raise ValueError(MSG_HTML)
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise ValueError(MSG_CONTROL)
        return value


class DocumentRead(BaseModel):
    """A document's metadata (never its content)."""

    id: int
    title: str
    kind: DocumentKind
    filename: str
    media_type: str
    size: int = Field(description="bytes")
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime
    journal_entry_id: int | None
