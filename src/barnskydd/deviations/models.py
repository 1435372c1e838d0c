"""Deviations, their Lex Sarah investigation and IVO report, actions, and the 34 kap. reasons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.core.db import Base, enum_by_value
from barnskydd.deviations.codes import (
    Assessment,
    DeviationKind,
    DeviationStatus,
    Factor,
    IvoChannel,
)


class Deviation(Base):
    """Something that went or could have gone wrong (avvikelse), reported by anyone or the scan."""

    __tablename__ = "deviation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DeviationKind] = mapped_column(enum_by_value(DeviationKind), index=True)
    status: Mapped[DeviationStatus] = mapped_column(enum_by_value(DeviationStatus), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    reported_at: Mapped[dt.datetime] = mapped_column(index=True)
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id"),
        comment="the reporter: known to the owner, never shown to the unit; none for auto",
    )
    occurred_on: Mapped[dt.date] = mapped_column(comment="when it happened")
    what_happened: Mapped[str] = mapped_column(
        Text, comment="free text; may hold personal data about a child"
    )
    immediate_measures: Mapped[str | None] = mapped_column(
        Text, comment="what was done at once to protect the child (27 kap. 5 § SoL)"
    )
    immediate_measures_at: Mapped[dt.datetime | None]
    rule: Mapped[str | None] = mapped_column(String(60), comment="auto: the missed deadline rule")
    due: Mapped[dt.date | None] = mapped_column(comment="auto: the missed deadline's last day")
    auto_key: Mapped[str | None] = mapped_column(
        String(80),
        unique=True,
        comment="auto: case, rule, last day (and intervention): one per missed occurrence",
    )
    triaged_at: Mapped[dt.datetime | None] = mapped_column(comment="first assessed by the owner")
    triaged_by: Mapped[str | None] = mapped_column(String(60))
    closed_at: Mapped[dt.datetime | None]

    factors: Mapped[list[DeviationFactor]] = relationship(
        cascade="all, delete-orphan", order_by="DeviationFactor.factor"
    )
    investigation: Mapped[LexSarahInvestigation | None] = relationship()
    ivo_report: Mapped[IvoReport | None] = relationship()
    actions: Mapped[list[DeviationAction]] = relationship(order_by="DeviationAction.id")


class DeviationFactor(Base):
    """One contributing condition picked for a deviation."""

    __tablename__ = "deviation_factor"

    deviation_id: Mapped[int] = mapped_column(ForeignKey("deviation.id"), primary_key=True)
    factor: Mapped[Factor] = mapped_column(enum_by_value(Factor), primary_key=True)


class LexSarahInvestigation(Base):
    """The investigation of a missförhållande or a risk of one (27 kap. 5 § SoL)."""

    __tablename__ = "lex_sarah_investigation"

    id: Mapped[int] = mapped_column(primary_key=True)
    deviation_id: Mapped[int] = mapped_column(ForeignKey("deviation.id"), unique=True)
    opened_at: Mapped[dt.datetime]
    opened_by: Mapped[str] = mapped_column(String(60))
    what_happened: Mapped[str] = mapped_column(Text, default="", comment="may hold personal data")
    why: Mapped[str] = mapped_column(Text, default="", comment="causes at system level")
    prevention: Mapped[str] = mapped_column(Text, default="", comment="how to prevent it")
    assessment: Mapped[Assessment | None] = mapped_column(enum_by_value(Assessment))
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(60))


class IvoReport(Base):
    """The report of a serious case to IVO (27 kap. 6 § SoL), recorded when it was sent."""

    __tablename__ = "ivo_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    deviation_id: Mapped[int] = mapped_column(ForeignKey("deviation.id"), unique=True)
    created_at: Mapped[dt.datetime]
    sender_diary_no: Mapped[str] = mapped_column(String(40), default="")
    activity: Mapped[str] = mapped_column(String(200), default="", comment="the activity concerned")
    contact_person: Mapped[str] = mapped_column(
        String(200), default="", comment="personal data: the nämnd's contact person"
    )
    sent_at: Mapped[dt.datetime | None]
    channel: Mapped[IvoChannel | None] = mapped_column(enum_by_value(IvoChannel))
    ivo_diary_no: Mapped[str | None] = mapped_column(String(40))
    recorded_by: Mapped[str | None] = mapped_column(String(60))


class DeviationAction(Base):
    """A measure decided after a deviation, with an owner, a due date and an effect check."""

    __tablename__ = "deviation_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    deviation_id: Mapped[int] = mapped_column(ForeignKey("deviation.id"), index=True)
    description: Mapped[str] = mapped_column(Text, comment="what is to be done; no child data")
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    due_on: Mapped[dt.date]
    done_on: Mapped[dt.date | None]
    effect_check_on: Mapped[dt.date | None] = mapped_column(comment="when to check the effect")
    effect_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(60))


class NonExecutionReason(Base):
    """Why a decided intervention was not carried out within three months (34 kap. SoL)."""

    __tablename__ = "non_execution_reason"
    __table_args__ = (UniqueConstraint("intervention_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7), comment="the report's quarter, e.g. 2026-Q1")
    reason: Mapped[str] = mapped_column(Text, comment="the reason for the delay; no child data")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[dt.datetime]


class DeviationScanRun(Base):
    """One run of the automatic scan per day: the row that lets one worker of many run it."""

    __tablename__ = "deviation_scan_run"

    as_of: Mapped[dt.date] = mapped_column(primary_key=True)
    ran_at: Mapped[dt.datetime]
    created: Mapped[int]
