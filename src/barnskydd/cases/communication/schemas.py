"""Communications as the command line and the API show them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from barnskydd.cases.communication.models import Communication, Recipient


class CommunicationRead(BaseModel):
    """One communication: the keys `barnskydd communication list --json` prints."""

    id: int
    recipient_kind: Recipient
    recipient: str
    material: str
    sent_on: dt.date
    answer_by: dt.date
    answered_on: dt.date | None
    answer: str | None

    @classmethod
    def of(cls, item: Communication) -> CommunicationRead:
        """Describe a stored communication."""
        return cls.model_validate(item, from_attributes=True)
