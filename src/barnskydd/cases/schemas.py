"""Pydantic schemas per use of the case chain, apart from the ORM models."""

from __future__ import annotations

import datetime as dt

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from barnskydd.cases.codes import (
    NEVER_MANDATORY,
    Channel,
    Concern,
    ReporterCategory,
)
from barnskydd.core.bounds import storable
from barnskydd.core.db import utcnow
from barnskydd.people.codes import ProtectedIdentity as ProtectedIdentityLevel
from barnskydd.people.schemas import ParsedIdentity

MAX_FREE_TEXT = 20_000
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on every dialect
MAX_SIBLINGS = 9  # a report about more children than this is registered in parts


class SiblingCreate(BaseModel):
    """A sibling the same report concerns: one more case, linked to the first."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)

    identity: ParsedIdentity
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    protected_identity: ProtectedIdentityLevel = ProtectedIdentityLevel.NONE


FEEDBACK_ONLY_MANDATORY = (
    "Återkoppling lämnas bara till en anmälningsskyldig anmälare (19 kap. 6 § socialtjänstlagen)."
)


class ReportCreate(BaseModel):
    """What a case worker registers when a report of concern comes in."""

    # hide_input_in_errors: an error's text (which may reach a log) repeats no identity number.
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)

    child_identity: ParsedIdentity  # parsed here, once per request; services pass it along
    child_first_name: str = Field(min_length=1, max_length=100)
    child_last_name: str = Field(min_length=1, max_length=100)
    protected_identity: ProtectedIdentityLevel = ProtectedIdentityLevel.NONE
    received_at: dt.datetime
    channel: Channel
    reporter_category: ReporterCategory
    mandatory_reporter: bool
    # Whether the reporter asked for feedback (19 kap. 6 § andra stycket SoL): None when not
    # recorded, and then the week is kept for every mandatory reporter, as before the question.
    feedback_requested: bool | None = None
    reporter_name: str | None = Field(default=None, max_length=120)
    reporter_organisation: str | None = Field(default=None, max_length=160)
    reporter_contact: str | None = Field(default=None, max_length=160)
    concerns: list[Concern] = Field(min_length=1)
    free_text: str = Field(default="", max_length=MAX_FREE_TEXT)
    unit_id: int = Field(ge=1, le=MAX_ID)
    assigned_to_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    siblings: list[SiblingCreate] = Field(default_factory=list, max_length=MAX_SIBLINGS)

    @field_validator(
        "child_first_name",
        "child_last_name",
        "reporter_name",
        "reporter_organisation",
        "reporter_contact",
        "free_text",
    )
    @classmethod
    def _storable_text(cls, value: str | None) -> str | None:
        # NUL (PostgreSQL) or a lone surrogate (an undecodable byte in argv): refused, not a 500.
        return value if value is None else storable(value)

    @field_validator("feedback_requested")
    @classmethod
    def _feedback_to_mandatory_only(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value and not info.data.get("mandatory_reporter", False):
            raise ValueError(FEEDBACK_ONLY_MANDATORY)
        return value

    @field_validator("received_at")
    @classmethod
    def _aware_and_not_future(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("Mottagningstiden måste ange tidszon.")
        if value > utcnow() + dt.timedelta(minutes=5):
            raise ValueError("Mottagningstiden kan inte ligga i framtiden.")
        return value

    @field_validator("concerns")
    @classmethod
    def _unique_concerns(cls, value: list[Concern]) -> list[Concern]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _mandatory_reporter_is_named(self) -> ReportCreate:
        if self.mandatory_reporter and self.reporter_category is ReporterCategory.ANONYMOUS:
            raise ValueError("En anmälningsskyldig anmälare kan inte vara anonym.")
        if self.mandatory_reporter and self.reporter_category in NEVER_MANDATORY:
            raise ValueError(
                "En anmälare i kategorin "
                f"'{self.reporter_category}' kan inte vara anmälningsskyldig."
            )
        if self.reporter_category is ReporterCategory.ANONYMOUS and (
            self.reporter_name or self.reporter_contact
        ):
            raise ValueError("En anonym anmälan kan inte ha anmälarens namn eller kontaktuppgift.")
        numbers = [self.child_identity.number, *(s.identity.number for s in self.siblings)]
        if len(set(numbers)) != len(numbers):
            raise ValueError("Samma barn står två gånger bland barnet och syskonen.")
        return self


class DeadlineRead(BaseModel):
    """A legal deadline of one step, its source and how it went."""

    step: str
    due: dt.date
    reference: str
    done_on: dt.date | None
    on_time: bool | None
    days_left: int | None


class InterventionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category: str
    legal_basis: str
    decided_on: dt.date
    start_on: dt.date
    ended_on: dt.date | None


class CaseRead(BaseModel):
    """A case with its chain and deadlines, as the CLI and the API show it."""

    case_number: str
    status: str
    law: str
    child_name: str
    child_identity: str
    received_at: dt.datetime
    reporter_category: str
    mandatory_reporter: bool
    concerns: list[str]
    preliminary_outcome: str | None
    investigation_outcome: str | None
    extensions: int
    deadlines: list[DeadlineRead]
    interventions: list[InterventionRead]
    follow_ups: list[dt.date]
    closed_on: dt.date | None
