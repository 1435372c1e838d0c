"""The API's request and response schemas: small ones per use, strict about JSON types.

The steps' bodies are their input models (barnskydd.cases.chain.inputs), the one copy.

FastAPI validates a JSON body as Python objects, where Pydantic's lax mode would take "1" for
an integer, 0 for a date or "yes" for a boolean. The API takes only what its OpenAPI document
says: strict integers and booleans, and dates and times as RFC 3339 strings.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, StrictBool

from barnskydd.cases.chain.inputs import Id, Moment, StrictInput
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.schemas import DeadlineRead, ReportCreate
from barnskydd.core.actor import Role


class ReportIn(ReportCreate, StrictInput):
    """A report of concern (ReportCreate), with the JSON types the OpenAPI document names."""

    received_at: Moment
    mandatory_reporter: StrictBool
    feedback_requested: StrictBool | None = None
    unit_id: Id
    assigned_to_id: Id | None = None


class Reassign(StrictInput):
    """The case worker (in the case's unit) who takes the case over."""

    staff_id: Id


class Credentials(StrictInput):
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
    rule: str = Field(
        description="the rule set's name of the deadline (protection_assessment, ..., "
        "feedback, placement_review, lvu_review, follow_up ...)"
    )


class ReportCreated(BaseModel):
    """The case a registered report opened, with its deadlines."""

    case_number: str
    status: CaseStatus
    law: str
    deadlines: list[DeadlineRead]
    sibling_case_numbers: list[str] = Field(
        default_factory=list, description="the linked cases opened for the siblings, if any"
    )


class Assignment(BaseModel):
    """Who a case is assigned to now."""

    case_number: str
    assigned_to_id: int


class ErrorRead(BaseModel):
    """An error: a Swedish message, and one per field when input was refused."""

    detail: str
    errors: dict[str, str] = Field(default_factory=dict)
