"""A decision on an intervention, and when each party was told of it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.cases.decisions.codes import DecisionOutcome, NoticeWay
from barnskydd.cases.models import Intervention
from barnskydd.core.db import Base, enum_by_value, utcnow


class Decision(Base):
    """Beslut om insats: granted (with its intervention) or refused (avslag)."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_by_value(DecisionOutcome))
    category: Mapped[InterventionCategory] = mapped_column(enum_by_value(InterventionCategory))
    legal_basis: Mapped[LegalBasis] = mapped_column(enum_by_value(LegalBasis))
    decided_on: Mapped[dt.date]
    applied_on: Mapped[dt.date | None] = mapped_column(comment="when the application came in")
    reason: Mapped[str] = mapped_column(
        Text, default="", comment="personal data: the grounds of a refusal"
    )
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey("intervention.id"), unique=True, comment="the granted intervention"
    )
    decided_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    intervention: Mapped[Intervention | None] = relationship()


class DecisionNotice(Base):
    """When and how one party (a guardian, the child of 15 or more) was told of a decision."""

    __tablename__ = "decision_notice"
    __table_args__ = (UniqueConstraint("decision_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    party: Mapped[str] = mapped_column(
        String(30), comment="'child' or 'guardian:<id>' (no personal data)"
    )
    told_on: Mapped[dt.date] = mapped_column(comment="the day the party got to know")
    way: Mapped[NoticeWay] = mapped_column(enum_by_value(NoticeWay))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
