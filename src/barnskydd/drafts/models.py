"""A worker's unsaved form input, kept so that nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base


class Draft(Base):
    """One form's input as last autosaved by one staff member; only that person reads it."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("staff_id", "form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id"), comment="the only person who may read the draft"
    )
    form_key: Mapped[str] = mapped_column(String(80), comment="report_new or case:{case_id}:{step}")
    data: Mapped[dict[str, Any]] = mapped_column(
        comment="personal data: unsaved form input (identity numbers, names, free text)"
    )
    updated_at: Mapped[dt.datetime] = mapped_column(index=True, comment="expires 30 days after")
