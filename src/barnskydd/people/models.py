"""The child, as the municipality knows it, and the staff named for a protected child."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from barnskydd.core.db import Base, enum_by_value, utcnow
from barnskydd.people.codes import Language, ProtectedIdentity, Relation
from barnskydd.people.rules import formatted, name_key

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

    @property
    def display_identity(self) -> str:
        """Return the identity number as shown: "YYYYMMDD-NNNC" (or "YYYYMMDD-R001")."""
        return formatted(self.identity_number)

    @validates("first_name", "last_name")
    def _keep_name_key(self, attribute: str, name: str) -> str:
        # Every ORM path that sets a name passes here, so its search key never lags behind.
        setattr(self, f"{attribute}_key", name_key(name))
        return name


class ChildAccess(Base):
    """A staff member named to see the cases of a child with protected identity."""

    __tablename__ = "child_access"

    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    granted_by: Mapped[str] = mapped_column(
        String(60), comment="username of the team lead or admin who named them"
    )
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Guardian(Base):
    """A guardian (vårdnadshavare) of a child, or another adult of the child's household."""

    __tablename__ = "guardian"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    identity_number: Mapped[str | None] = mapped_column(
        String(12), comment="personal data: normalised personnummer, samordningsnummer or reserve"
    )
    first_name: Mapped[str] = mapped_column(String(100), comment="personal data")
    last_name: Mapped[str] = mapped_column(String(100), comment="personal data")
    relation: Mapped[Relation] = mapped_column(enum_by_value(Relation))
    custody: Mapped[bool] = mapped_column(comment="has custody (vårdnad) of the child")
    phone: Mapped[str | None] = mapped_column(String(30), comment="personal data")
    email: Mapped[str | None] = mapped_column(String(120), comment="personal data")
    address: Mapped[str | None] = mapped_column(String(200), comment="personal data")
    shares_child_address: Mapped[bool] = mapped_column(
        default=False, comment="lives at the child's address: hidden with the child's"
    )
    interpreter: Mapped[Language | None] = mapped_column(
        enum_by_value(Language), comment="interpreter language, ISO 639"
    )
    updated_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def display_identity(self) -> str | None:
        """Return the identity number as shown, or None when there is none."""
        return formatted(self.identity_number) if self.identity_number else None
