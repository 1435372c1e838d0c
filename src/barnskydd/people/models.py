"""The child, as the municipality knows it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from barnskydd.cases.codes import ProtectedIdentity
from barnskydd.core.db import Base, enum_by_value, utcnow
from barnskydd.people.rules import name_key

# Name search compares key ranges (people.rules.prefix_range), which an index serves only under
# code-point order: SQLite's default BINARY collation is that; PostgreSQL needs "C".
NAME_KEY = String(100).with_variant(String(100, collation="C"), "postgresql")


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
    first_name_key: Mapped[str] = mapped_column(
        NAME_KEY, index=True, comment="personal data: casefolded name for prefix search"
    )
    last_name_key: Mapped[str] = mapped_column(
        NAME_KEY, index=True, comment="personal data: casefolded name for prefix search"
    )
    protected_identity: Mapped[ProtectedIdentity] = mapped_column(
        enum_by_value(ProtectedIdentity),
        default=ProtectedIdentity.NONE,
        comment="sekretessmarkering / skyddad folkbokföring / fingerade personuppgifter",
    )
    address: Mapped[str | None] = mapped_column(
        String(200), comment="personal data; hidden under skyddad folkbokföring"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("first_name", "last_name")
    def _keep_name_key(self, attribute: str, name: str) -> str:
        # Every ORM path that sets a name passes here, so its search key never lags behind.
        setattr(self, f"{attribute}_key", name_key(name))
        return name
