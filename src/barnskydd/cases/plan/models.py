"""One item of a case's investigation plan: a question, a contact or a talk with the child."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value, utcnow


class PlanItemKind(StrEnum):
    """What a plan item is."""

    QUESTION = "question"
    CONTACT = "contact"
    CHILD_TALK = "child_talk"


class ContactParty(StrEnum):
    """Whom a planned contact is with: it decides whether the guardians' consent is recorded.

    An authority or a professional with a duty to provide information to the nämnd during an
    investigation is contacted without consent; a relative, a neighbour or another private
    person learns from the contact that the family is investigated, which secrecy (OSL 26 kap.
    1 §) allows only with consent (OSL 12 kap. 2 §) or when necessary (OSL 10 kap. 2 §).
    """

    AUTHORITY = "authority"
    PRIVATE = "private"


KIND_LABELS = {
    PlanItemKind.QUESTION: "Fråga att besvara",
    PlanItemKind.CONTACT: "Kontakt att ta",
    PlanItemKind.CHILD_TALK: "Planerat samtal med barnet",
}
PARTY_LABELS = {
    ContactParty.AUTHORITY: "Myndighet eller yrkesperson (skola, BVC, vård, polis)",
    ContactParty.PRIVATE: "Privatperson (släkting, granne, annan)",
}


class PlanItem(Base):
    """Utredningsplanens punkt: changed and removed only while the investigation is open."""

    __tablename__ = "plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[PlanItemKind] = mapped_column(enum_by_value(PlanItemKind))
    text: Mapped[str] = mapped_column(
        Text, comment="personal data: the question, whom to contact and why, the talk's aim"
    )
    party: Mapped[ContactParty | None] = mapped_column(
        enum_by_value(ContactParty), comment="a contact's kind of party"
    )
    consent: Mapped[bool | None] = mapped_column(
        comment="a contact with a private person: the guardians consented (null: not asked)"
    )
    planned_on: Mapped[dt.date | None] = mapped_column(comment="a talk's or a contact's date")
    child_alone: Mapped[bool | None] = mapped_column(comment="a talk: with the child alone")
    author: Mapped[str] = mapped_column(String(60), comment="username of the writer")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
