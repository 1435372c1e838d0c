"""The weeding log (gallringslogg): what a retention run removed, by class and rule.

No personal data: no identity number, name, id of a child or case, or free text.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base


class WeedingLog(Base):
    """One line of a weeding run: how many records of one class one rule removed, and when."""

    __tablename__ = "weeding_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    run: Mapped[int] = mapped_column(
        index=True, comment="the run's number; lines of a run share it"
    )
    as_of: Mapped[dt.date] = mapped_column(comment="the day the plan was drawn for")
    performed_at: Mapped[dt.datetime]
    document_class: Mapped[str] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(String(60))
    reference: Mapped[str] = mapped_column(String(200))
    count: Mapped[int]
