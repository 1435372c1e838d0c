"""The API's request and response schemas: small ones per use, strict about JSON types.

FastAPI validates a JSON body as Python objects, where Pydantic's lax mode would take "1" for
an integer, 0 for a date or "yes" for a boolean. The API takes only what its OpenAPI document
says: strict integers and booleans, and dates and times as RFC 3339 strings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, field_validator

from barnskydd.cases.codes import (
    BbicSide,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.cases.rules import CaseStatus
from barnskydd.cases.schemas import DeadlineRead, ReportCreate
from barnskydd.cases.steps import MAX_TEXT
from barnskydd.core.actor import Role

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; a larger one is no id of ours
FIRST_YEAR, LAST_YEAR = 1900, 2999  # far enough from the ends that time zone shifts stay valid
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
MSG_DAY = "Ange ett datum som finns i kalendern, ÅÅÅÅ-MM-DD."
MSG_MOMENT = "Ange en tidpunkt med tidszon, t.ex. 2025-06-19T10:00:00+02:00."
MSG_NO_MOMENT = "Tidpunkten finns inte: kontrollera datum, klockslag och tidszon."
MSG_NUL = "Texten innehåller ett nolltecken (NUL), som inte kan sparas."


def _day(value: object) -> object:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(MSG_DAY)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(MSG_DAY) from None


def _moment(value: object) -> object:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _MOMENT.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value.upper())
        except ValueError:
            raise ValueError(MSG_NO_MOMENT) from None
    else:
        raise ValueError(MSG_MOMENT)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"Ange en tidpunkt mellan år {FIRST_YEAR} och {LAST_YEAR}.")
    return moment


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Moment = Annotated[dt.datetime, BeforeValidator(_moment)]
Notes = Annotated[str, Field(max_length=MAX_TEXT)]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
MunicipalityCode = Annotated[str, Field(max_length=10, examples=["1480"])]


class ApiInput(BaseModel):
    """Base of every request body: no unknown fields, trimmed text, nothing unstorable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        # PostgreSQL refuses NUL in text; refusing it here keeps bad input a 422, not a 500.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(MSG_NUL)
        return value


class ReportIn(ReportCreate, ApiInput):
    """A report of concern (ReportCreate), with the JSON types the OpenAPI document names."""

    received_at: Moment
    mandatory_reporter: StrictBool
    unit_id: Id
    assigned_to_id: Id | None = None


class AssessProtection(ApiInput):
    """Skyddsbedömning: is the child in need of immediate protection?"""

    assessed_at: Moment
    immediate_protection_needed: StrictBool
    notes: Notes = ""


class DecidePreliminary(ApiInput):
    """The decision after the preliminary assessment (förhandsbedömning)."""

    decided_on: Day
    outcome: PreliminaryOutcome
    transferred_to: MunicipalityCode | None = None
    linked_case_number: str | None = Field(default=None, max_length=20)
    notes: Notes = ""


class RecordBbic(ApiInput):
    """The text of one BBIC area of the investigation (a later save replaces it)."""

    side: BbicSide
    area: str = Field(max_length=40, examples=["health"])
    text: Notes


class ExtendInvestigation(ApiInput):
    """An extension of the investigation for särskilda skäl."""

    decided_on: Day
    new_due: Day
    reason: Reason


class DecideIntervention(ApiInput):
    """A decided intervention (insats) under SoL or LVU."""

    category: InterventionCategory
    legal_basis: LegalBasis
    decided_on: Day
    start_on: Day | None = None


class CompleteInvestigation(ApiInput):
    """The end of the investigation and its outcome."""

    completed_on: Day
    outcome: InvestigationOutcome
    transferred_to: MunicipalityCode | None = None


class EndIntervention(ApiInput):
    """The end of a running intervention."""

    intervention_id: Id
    ended_on: Day
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class FollowUp(ApiInput):
    """A follow-up (uppföljning) of the interventions."""

    followed_up_on: Day
    notes: Notes = ""


class Close(ApiInput):
    """Closing a followed-up case."""

    closed_on: Day


class Reassign(ApiInput):
    """The case worker (in the case's unit) who takes the case over."""

    staff_id: Id


class Credentials(ApiInput):
    """A local account's username and password."""

    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class SessionRead(BaseModel):
    """Who is logged in, and the CSRF token to send as X-CSRF-Token on POST and DELETE."""

    username: str
    display_name: str
    role: Role
    unit_id: int | None
    csrf_token: str


class InboxItem(BaseModel):
    """A step waiting on its legal deadline."""

    case_number: str
    status: CaseStatus
    step: str = Field(description="the step's Swedish name")
    due: dt.date
    days_left: int = Field(description="0 on the last day, negative once overdue")
    overdue: bool
    reference: str = Field(description="the legal reference of the deadline")


class ReportCreated(BaseModel):
    """The case a registered report opened, with its deadlines."""

    case_number: str
    status: CaseStatus
    law: str
    deadlines: list[DeadlineRead]


class Assignment(BaseModel):
    """Who a case is assigned to now."""

    case_number: str
    assigned_to_id: int


class ErrorRead(BaseModel):
    """An error: a Swedish message, and one per field when input was refused."""

    detail: str
    errors: dict[str, str] = Field(default_factory=dict)
