"""A journal entry: one dated contact or piece of work in a case, signed once, never changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.cases.codes import JournalKind
from barnskydd.core.db import Base, enum_by_value, utcnow

MIN_MINUTES, MAX_MINUTES = 1, 600


class JournalEntry(Base):
    """Journalanteckning: a draft until signed; a signed entry is only corrected by a new one."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        CheckConstraint(f"minutes BETWEEN {MIN_MINUTES} AND {MAX_MINUTES}", name="minutes"),
        CheckConstraint("(signed_at IS NULL) = (signed_by IS NULL)", name="signed_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[JournalKind] = mapped_column(enum_by_value(JournalKind))
    at: Mapped[dt.datetime] = mapped_column(comment="when the contact or work took place")
    participants: Mapped[str] = mapped_column(
        String(500), default="", comment="personal data: who took part (names, roles)"
    )
    child_alone: Mapped[bool] = mapped_column(comment="the child was spoken to alone")
    minutes: Mapped[int] = mapped_column(comment="time spent, 1 to 600 minutes")
    text: Mapped[str] = mapped_column(Text, comment="personal data about the child")
    author: Mapped[str] = mapped_column(String(60), comment="username of the writer")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[dt.datetime | None] = mapped_column(comment="null until signed")
    signed_by: Mapped[str | None] = mapped_column(String(60))
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id"), index=True, comment="the signed entry this one corrects"
    )
