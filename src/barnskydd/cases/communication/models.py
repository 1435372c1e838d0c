"""A communication: material sent to a party before a decision, and the party's answer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value, utcnow

MAX_RECIPIENT = 200


class Recipient(StrEnum):
    """To whom the material was sent: a party of the case (FL 25 §)."""

    GUARDIAN = "guardian"
    CHILD = "child"
    OTHER = "other"


RECIPIENT_LABELS = {
    Recipient.GUARDIAN: "Vårdnadshavare",
    Recipient.CHILD: "Barnet (15 år eller äldre)",
    Recipient.OTHER: "Annan part",
}


class Communication(Base):
    """Kommunicering: sent once, answered once; a decision waits for the answer or the time."""

    __tablename__ = "communication"
    __table_args__ = (
        CheckConstraint("answer_by > sent_on", name="answer_after_sent"),
        CheckConstraint("(answered_on IS NULL) = (answer IS NULL)", name="answered_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    recipient_kind: Mapped[Recipient] = mapped_column(enum_by_value(Recipient))
    recipient: Mapped[str] = mapped_column(
        String(MAX_RECIPIENT), comment="personal data: the party's name"
    )
    material: Mapped[str] = mapped_column(
        Text, comment="personal data: what was sent (the investigation, a statement)"
    )
    sent_on: Mapped[dt.date]
    answer_by: Mapped[dt.date] = mapped_column(comment="the last day the party may answer")
    answered_on: Mapped[dt.date | None] = mapped_column(comment="null until the answer is in")
    answer: Mapped[str | None] = mapped_column(Text, comment="personal data: the party's answer")
    author: Mapped[str] = mapped_column(String(60), comment="username of the writer")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
