"""The municipality's side of the lookup: a durable outbox of entries and received notices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value
from barnskydd.lookup.rules import StatusClass


class LookupPublication(Base):
    """What the index should hold for one child, and what it was last told (the outbox).

    A change of the wanted entry bumps `revision`; the sender publishes until
    `published_revision` catches up, so a restart or an outage only delays it.
    """

    __tablename__ = "lookup_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), unique=True)
    withdrawn: Mapped[bool] = mapped_column(comment="the index should hold no entry")
    status_class: Mapped[StatusClass | None] = mapped_column(enum_by_value(StatusClass))
    latest_report_month: Mapped[str | None] = mapped_column(String(7))
    contact_unit: Mapped[str | None] = mapped_column(String(200))
    expires_on: Mapped[dt.date | None]
    revision: Mapped[int]
    published_revision: Mapped[int | None] = mapped_column(index=True)
    published_key_version: Mapped[int | None]
    published_pseudonym: Mapped[str | None] = mapped_column(
        String(128), index=True, comment="the child's pseudonym in the index (OPRF output, hex)"
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime]


class LookupNotice(Base):
    """Another municipality looked up one of our children and matched our entry."""

    __tablename__ = "lookup_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(unique=True, comment="the index's id")
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    asking_municipality: Mapped[str] = mapped_column(String(4))
    asked_by: Mapped[str] = mapped_column(String(200), comment="case worker who asked")
    contact: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(200))
    asked_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]
    read_at: Mapped[dt.datetime | None] = mapped_column(
        index=True, comment="first opened in the desk by a team lead or admin"
    )
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
