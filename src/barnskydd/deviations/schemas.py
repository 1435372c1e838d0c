"""Pydantic schemas per use of deviations, apart from the ORM models."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from barnskydd.core.bounds import BoundedDay, PositiveInt32, StoredText
from barnskydd.deviations.codes import Assessment, DeviationKind, Factor, IvoChannel

MAX_TEXT = 10_000
_CONFIG = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)


class DeviationCreate(BaseModel):
    """A staff member's report: three required fields (what, when, unit), the rest optional."""

    model_config = _CONFIG

    what_happened: StoredText = Field(min_length=1, max_length=MAX_TEXT)
    occurred_on: BoundedDay
    unit_id: PositiveInt32
    kind: DeviationKind = DeviationKind.DEVIATION
    case_number: StoredText | None = Field(default=None, max_length=20)
    immediate_measures: StoredText | None = Field(default=None, max_length=MAX_TEXT)
    immediate_measures_at: dt.datetime | None = None
    factors: list[Factor] = Field(default_factory=list, max_length=len(Factor))


class InvestigationUpdate(BaseModel):
    """The Lex Sarah investigation's three answers and, when decided, the assessment."""

    model_config = _CONFIG

    what_happened: StoredText = Field(default="", max_length=MAX_TEXT)
    why: StoredText = Field(default="", max_length=MAX_TEXT)
    prevention: StoredText = Field(default="", max_length=MAX_TEXT)
    assessment: Assessment | None = None


class IvoSent(BaseModel):
    """That the report to IVO was sent: when, how, and the diary numbers."""

    model_config = _CONFIG

    sent_at: dt.datetime
    channel: IvoChannel
    ivo_diary_no: StoredText | None = Field(default=None, max_length=40)


class ActionCreate(BaseModel):
    """A measure after a deviation: what, who, by when, and when to check its effect."""

    model_config = _CONFIG

    description: StoredText = Field(min_length=1, max_length=MAX_TEXT)
    owner_id: PositiveInt32
    due_on: BoundedDay
    effect_check_on: BoundedDay | None = None
