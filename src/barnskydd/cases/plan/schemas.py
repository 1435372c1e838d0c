"""The investigation plan as the command line and the API show it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from barnskydd.cases.plan.models import ContactParty, PlanItem, PlanItemKind
from barnskydd.cases.plan.service import Plan


class PlanItemRead(BaseModel):
    """One item of the plan."""

    id: int
    kind: PlanItemKind
    text: str
    party: ContactParty | None
    consent: bool | None
    planned_on: dt.date | None
    child_alone: bool | None
    author: str

    @classmethod
    def of(cls, item: PlanItem) -> PlanItemRead:
        """Describe a stored item."""
        return cls.model_validate(item, from_attributes=True)


class PlanRead(BaseModel):
    """The plan with the investigation's dates; `open` says whether it may still change."""

    investigation_started_on: dt.date | None
    investigation_due: dt.date | None
    open: bool
    items: list[PlanItemRead]

    @classmethod
    def of(cls, read: Plan) -> PlanRead:
        """Describe a plan as the service read it."""
        return cls(
            investigation_started_on=read.started_on,
            investigation_due=read.due,
            open=read.open,
            items=[PlanItemRead.of(i) for i in read.items],
        )
