"""What workload stores: the worker's own monthly load rating and the measurement weeks.

The weighted caseload itself is never stored: it is computed from the chain on the day asked.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value, utcnow

MIN_RATING, MAX_RATING = 1, 5
BLOCK_MINUTES = 15
MAX_DAY_MINUTES = 16 * 60


class TimeCategory(StrEnum):
    """The measurement week's categories, after the national coordinator's time study."""

    CHILD = "child"
    PARENTS = "parents"
    NETWORK = "network"
    DOCUMENTATION = "documentation"
    TRAVEL = "travel"
    ADMINISTRATION = "administration"


class LoadRating(Base):
    """A worker's own rating of their load for one month (1 low to 5 very high), optional."""

    __tablename__ = "load_rating"
    __table_args__ = (
        UniqueConstraint("staff_id", "month"),
        CheckConstraint(f"rating BETWEEN {MIN_RATING} AND {MAX_RATING}", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    month: Mapped[dt.date] = mapped_column(comment="the first day of the month rated")
    rating: Mapped[int] = mapped_column(comment="1 low to 5 very high, as the worker feels it")
    flex_hours: Mapped[int | None] = mapped_column(comment="flex balance, if the worker gives it")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MeasurementWeek(Base):
    """A time-boxed week in which a unit's workers record their time per category."""

    __tablename__ = "measurement_week"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date] = mapped_column(comment="the last day; closes itself after it")
    opened_by: Mapped[str] = mapped_column(String(60))
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="null while entries are taken")
    participants: Mapped[int | None] = mapped_column(comment="workers who recorded, at closing")
    kept: Mapped[bool | None] = mapped_column(
        comment="the totals were kept (at least the minimum of participants)"
    )


class MeasurementEntry(Base):
    """One worker's minutes in one category on one day, kept only while the week is open."""

    __tablename__ = "measurement_entry"
    __table_args__ = (
        UniqueConstraint("week_id", "staff_id", "day", "category"),
        # Whole 15-minute blocks are checked by the service (a % in DDL trips some drivers).
        CheckConstraint(f"minutes > 0 AND minutes <= {MAX_DAY_MINUTES}", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("measurement_week.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    day: Mapped[dt.date]
    category: Mapped[TimeCategory] = mapped_column(enum_by_value(TimeCategory))
    minutes: Mapped[int] = mapped_column(comment="in 15-minute blocks")


class MeasurementTotal(Base):
    """A closed week's unit total per category (no person, kept only with enough participants)."""

    __tablename__ = "measurement_total"

    week_id: Mapped[int] = mapped_column(ForeignKey("measurement_week.id"), primary_key=True)
    category: Mapped[TimeCategory] = mapped_column(enum_by_value(TimeCategory), primary_key=True)
    minutes: Mapped[int]
