"""What a communication takes: the only copy of its fields and limits, for every edge.

The same two modes as the chain's steps (barnskydd.cases.chain.inputs). A field's title is
the desk's label, its description the CLI's help and the OpenAPI text.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from barnskydd.cases.chain.inputs import Day, StepInput
from barnskydd.cases.communication.models import MAX_RECIPIENT, Recipient
from barnskydd.cases.journal.inputs import PlainText, _plain

Name = Annotated[str, Field(min_length=1, max_length=MAX_RECIPIENT), AfterValidator(_plain)]


class CommunicationAdd(StepInput):
    """Material sent to a party, and by when the party may answer."""

    recipient_kind: Recipient = Field(
        title="Mottagare", description="Vem som fick materialet (guardian, child, other)."
    )
    recipient: Name = Field(title="Mottagarens namn", description="Mottagarens namn.")
    material: PlainText = Field(
        title="Vad som skickades", description="Vilket material som skickades för yttrande."
    )
    sent_on: Day = Field(title="Skickat", description="När materialet skickades (ÅÅÅÅ-MM-DD).")
    answer_by: Day = Field(
        title="Svar senast", description="Sista dag för parten att yttra sig (ÅÅÅÅ-MM-DD)."
    )


class CommunicationAnswer(StepInput):
    """The party's answer (or that the party said it has nothing to add)."""

    answered_on: Day = Field(title="Svar inkom", description="När svaret kom in (ÅÅÅÅ-MM-DD).")
    answer: PlainText = Field(title="Svaret", description="Vad parten svarade.")
