"""What an investigation plan's item takes: the only copy of its fields and limits, for every edge.

The same two modes as the chain's steps (barnskydd.cases.chain.inputs). A field's title is
the desk's label, its description the CLI's help and the OpenAPI text. What a kind of item
needs (a talk's date, a private contact's consent) is checked by the service, which names
the field.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from barnskydd.cases.chain.inputs import Day, StepInput, YesNo
from barnskydd.cases.journal.inputs import MSG_NOTHING, PlainText
from barnskydd.cases.plan.models import ContactParty, PlanItemKind

TEXT_HELP = "Frågan, vem som ska kontaktas och varför, eller vad samtalet ska handla om."
CONSENT_HELP = "Har vårdnadshavarna samtyckt till kontakten? (krävs för en privatperson)"
ON_HELP = "Planerat datum (ÅÅÅÅ-MM-DD); krävs för ett samtal med barnet."
ALONE_HELP = "Ska barnet talas med ensamt? (krävs för ett samtal med barnet)"


class PlanAdd(StepInput):
    """A new item of the investigation plan."""

    kind: PlanItemKind = Field(title="Typ av punkt", description="Typ av punkt i planen.")
    text: PlainText = Field(title="Beskrivning", description=TEXT_HELP)
    party: ContactParty | None = Field(
        None, title="Vem kontakten gäller", description="En kontakts part (authority, private)."
    )
    consent: YesNo | None = Field(
        None, title="Har vårdnadshavarna samtyckt?", description=CONSENT_HELP
    )
    planned_on: Day | None = Field(None, title="Planerat datum", description=ON_HELP)
    child_alone: YesNo | None = Field(
        None, title="Ska barnet talas med ensamt?", description=ALONE_HELP
    )


class PlanEdit(StepInput):
    """A change to a plan item: only the fields given are changed (its kind stays)."""

    text: PlainText | None = Field(None, title="Beskrivning", description=TEXT_HELP)
    party: ContactParty | None = Field(None, title="Vem kontakten gäller", description="Ny part.")
    consent: YesNo | None = Field(
        None, title="Har vårdnadshavarna samtyckt?", description=CONSENT_HELP
    )
    planned_on: Day | None = Field(None, title="Planerat datum", description=ON_HELP)
    child_alone: YesNo | None = Field(
        None, title="Ska barnet talas med ensamt?", description=ALONE_HELP
    )

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not any(getattr(self, name) is not None for name in type(self).model_fields):
            raise ValueError(MSG_NOTHING)
        return self
