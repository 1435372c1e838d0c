"""Which rows came from which source record: what an import wrote, so a rerun adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, utcnow


class ImportedRecord(Base):
    """One source system's record (a child, a report, a guardian) and the row it became."""

    __tablename__ = "imported_record"

    system: Mapped[str] = mapped_column(
        String(60), primary_key=True, comment="the source system, as its manifest names it"
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True, comment="child, report, ...")
    source_id: Mapped[str] = mapped_column(
        String(100), primary_key=True, comment="the source system's own id, never an identity"
    )
    target_id: Mapped[int] = mapped_column(comment="id of the child, case or guardian row")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
