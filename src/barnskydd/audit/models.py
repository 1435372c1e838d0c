"""Append-only audit trail, hash-chained, with a one-row head that serialises appends."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base


class AuditEntry(Base):
    """Who did what to which child or case, when and why. Never holds identity numbers or text."""

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(120), comment="username of the acting person or job")
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40), comment="create, update, read, search, ...")
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    child_id: Mapped[int | None] = mapped_column(index=True, comment="internal id, not identity")
    case_id: Mapped[int | None] = mapped_column(index=True)
    purpose: Mapped[str | None] = mapped_column(String(200), comment="why the data was touched")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last sequence number and hash; locked while an entry is appended."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
