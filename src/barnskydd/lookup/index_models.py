"""The index's own tables, in their own metadata: pseudonymous entries, lookups, notifications.

Separate from the municipality's schema on purpose: the index is a national service with its
own database and holds nothing that identifies a child.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Index, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from barnskydd.core.db import NAMING_CONVENTION, UTCDateTime, enum_by_value
from barnskydd.lookup.rules import StatusClass


class IndexBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime()}


class Entry(IndexBase):
    """One municipality's entry for one pseudonym under one key version."""

    __tablename__ = "lookup_entry"
    __table_args__ = (UniqueConstraint("pseudonym", "key_version", "municipality_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(128), comment="OPRF output, hex")
    key_version: Mapped[int]
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    latest_report_month: Mapped[str] = mapped_column(String(7))
    status_class: Mapped[StatusClass] = mapped_column(enum_by_value(StatusClass))
    contact_unit: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[dt.date] = mapped_column(index=True)
    updated_at: Mapped[dt.datetime]


class LookupLog(IndexBase):
    """Every lookup the index answered: who asked, why, when and how many matched."""

    __tablename__ = "lookup_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(index=True)
    municipality_code: Mapped[str] = mapped_column(String(4))
    asked_by: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(200))
    pseudonym: Mapped[str] = mapped_column(String(128), comment="current-version pseudonym asked")
    matches: Mapped[int]


class Notification(IndexBase):
    """A matched entry's owner is told who asked about it, when and why."""

    __tablename__ = "lookup_notification"
    __table_args__ = (Index("ix_lookup_notification_recipient_id", "recipient", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(4))
    key_version: Mapped[int]
    pseudonym: Mapped[str] = mapped_column(String(128))
    asking_municipality: Mapped[str] = mapped_column(String(4))
    asked_by: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(200))
    asked_at: Mapped[dt.datetime] = mapped_column(index=True)
