"""What a journal entry takes: the only copy of its fields and limits, for every edge.

The same two modes as the chain's steps (barnskydd.cases.chain.inputs): strict JSON on the
API, typed text on the desk and the command line (a time without zone is Swedish time).
A field's title is the desk's label, its description the CLI's help and the OpenAPI text.
"""

from __future__ import annotations

import re
from typing import Annotated, Self

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, model_validator

from barnskydd.cases.chain.inputs import MAX_TEXT, Id, Moment, StepInput, YesNo, _id, _text_mode
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal.models import MAX_MINUTES, MIN_MINUTES

MAX_PARTICIPANTS = 500  # journal_entry.participants is String(500): names and roles, one line
# A tag, an end tag, a comment or a doctype: "<b>", "</p>", "<!--", "<?xml". A lone "<" (as in
# "under 3 år, < 15 kg") is plain text. HTML is refused rather than escaped: the desk escapes
# everything it shows anyway, but a journal is also printed, exported and read in the register
# extract, where markup in a legal record would be either shown as code or, worse, obeyed.
HTML_LIKE = re.compile(r"<\s*[A-Za-z/!?]")
MSG_HTML = "Texten får inte innehålla HTML-taggar (som <b> eller </p>). Skriv vanlig text."
MSG_NOTHING = "Ange minst ett fält att ändra."


def _whole(value: object, info: ValidationInfo) -> object:
    # A negative number typed is out of range, not "no number": it gets the bound's message.
    if _text_mode(info) and isinstance(value, str) and re.fullmatch(r"-\d{1,9}", value):
        return int(value)
    return _id(value, info)


def _plain(value: str) -> str:
    if HTML_LIKE.search(value):
        raise ValueError(MSG_HTML)
    return value


PlainText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_plain)]
Participants = Annotated[str, Field(max_length=MAX_PARTICIPANTS), AfterValidator(_plain)]
# 600 minutes (ten hours) is the longest single piece of work a journal entry records: a whole
# day's network meeting or a home visit with the travel to it. A larger number is a typo (6000
# for 60) that would distort the time the statistics and the workload figures show.
Minutes = Annotated[int, BeforeValidator(_whole), Field(ge=MIN_MINUTES, le=MAX_MINUTES)]

AT_HELP = "När kontakten ägde rum (ÅÅÅÅ-MM-DDTTT:MM, svensk tid)."


class JournalAdd(StepInput):
    """A new journal entry (an unsigned draft until it is signed)."""

    kind: JournalKind = Field(title="Typ av anteckning", description="Typ av anteckning.")
    at: Moment = Field(title="Tidpunkt", description=AT_HELP)
    minutes: Minutes = Field(
        title="Tid i minuter",
        description=f"Nedlagd tid i minuter ({MIN_MINUTES}–{MAX_MINUTES}).",
    )
    child_alone: YesNo = Field(
        False, title="Talade du med barnet ensamt?", description="Barnet talades med ensamt."
    )
    participants: Participants = Field(
        "", title="Deltagare", description="Vilka som deltog (namn, roll)."
    )
    text: PlainText = Field(title="Anteckning", description="Anteckningens text.")
    corrects: Id | None = Field(
        None,
        title="Rättar anteckning",
        description="Id för den signerade anteckning som rättas.",
    )


class JournalEdit(StepInput):
    """A change to an unsigned journal entry: only the fields given are changed."""

    kind: JournalKind | None = Field(None, title="Typ av anteckning", description="Ny typ.")
    at: Moment | None = Field(None, title="Tidpunkt", description=AT_HELP)
    minutes: Minutes | None = Field(None, title="Tid i minuter", description="Ny tid.")
    child_alone: YesNo | None = Field(
        None, title="Talade du med barnet ensamt?", description="Barnet talades med ensamt."
    )
    participants: Participants | None = Field(None, title="Deltagare", description="Deltagare.")
    text: PlainText | None = Field(None, title="Anteckning", description="Ny text.")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not any(getattr(self, name) is not None for name in type(self).model_fields):
            raise ValueError(MSG_NOTHING)
        return self
