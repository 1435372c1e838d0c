"""The child, as the municipality knows it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.cases.codes import ProtectedIdentity
from barnskydd.core.db import Base, enum_by_value, utcnow


class Child(Base):
    """A child the social services hold data about."""

    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_number: Mapped[str] = mapped_column(
        String(12),
        unique=True,
        comment="personal data: normalised personnummer, samordningsnummer or reserve number",
    )
    identity_kind: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[dt.date] = mapped_column(comment="personal data")
    gender: Mapped[str] = mapped_column(String(10), comment="girl, boy or unknown")
    first_name: Mapped[str] = mapped_column(String(100), comment="personal data")
    last_name: Mapped[str] = mapped_column(String(100), comment="personal data")
    protected_identity: Mapped[ProtectedIdentity] = mapped_column(
        enum_by_value(ProtectedIdentity),
        default=ProtectedIdentity.NONE,
        comment="sekretessmarkering / skyddad folkbokföring / fingerade personuppgifter",
    )
    address: Mapped[str | None] = mapped_column(
        String(200), comment="personal data; hidden under skyddad folkbokföring"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
