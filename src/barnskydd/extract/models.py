"""A request for a register extract and the secrecy review of each item found for it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.core.db import Base, enum_by_value, utcnow
from barnskydd.extract.codes import Ground, Requester


class ExtractRequest(Base):
    """A person's request for an extract of what is held about them (GDPR art. 15)."""

    __tablename__ = "extract_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_number: Mapped[str] = mapped_column(
        String(12),
        index=True,
        comment="personal data: normalised personnummer, samordningsnummer or reserve number",
    )
    requester: Mapped[Requester] = mapped_column(enum_by_value(Requester))
    custody_checked: Mapped[bool] = mapped_column(
        comment="the requester's custody of the child was checked (a guardian's request)"
    )
    received_on: Mapped[dt.date] = mapped_column(comment="when the request reached the nämnd")
    due: Mapped[dt.date] = mapped_column(index=True, comment="GDPR art. 12.3: one month")
    extended_due: Mapped[dt.date | None] = mapped_column(
        comment="GDPR art. 12.3: the deadline extended by two further months, or null"
    )
    extension_reason: Mapped[str | None] = mapped_column(
        Text, comment="personal data possible: why the extension was necessary (art. 12.3)"
    )
    extension_told_on: Mapped[dt.date | None] = mapped_column(
        comment="when the person was told of the extension and its reason (art. 12.3)"
    )
    extended_by: Mapped[str | None] = mapped_column(String(60), comment="username")
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id"), index=True, comment="the registering team lead's unit"
    )
    registered_by: Mapped[str] = mapped_column(String(60), comment="username")
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    produced_at: Mapped[dt.datetime | None] = mapped_column(comment="when the PDF was made")
    produced_by: Mapped[str | None] = mapped_column(String(60))

    @property
    def deadline(self) -> dt.date:
        """Return the day the request must be answered by (the extended one, if extended)."""
        return self.extended_due or self.due

    decisions: Mapped[list[ExtractDecision]] = relationship(
        cascade="all, delete-orphan", order_by="ExtractDecision.id"
    )


class ExtractDecision(Base):
    """The review of one item: released, or withheld under a secrecy ground."""

    __tablename__ = "extract_decision"
    __table_args__ = (UniqueConstraint("request_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("extract_request.id"))
    item_key: Mapped[str] = mapped_column(String(80), comment="table:row id[:part], no content")
    ground: Mapped[Ground | None] = mapped_column(
        enum_by_value(Ground), comment="the OSL ground it is withheld under; null: released"
    )
    decided_by: Mapped[str] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
