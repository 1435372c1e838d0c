"""The case chain's records: report, assessments, investigation, interventions, follow-ups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.cases.codes import (
    BbicSide,
    CaseStatus,
    Channel,
    Concern,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.core.db import Base, enum_by_value, utcnow
from barnskydd.people.models import Child
from barnskydd.staff.models import StaffMember, Unit


class Case(Base):
    """One chain (ärende), from the report of concern that opened it to its closing."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_by_value(CaseStatus), index=True)
    law: Mapped[str] = mapped_column(String(40), comment="id of the rule set the deadlines follow")
    opened_at: Mapped[dt.datetime]
    closed_on: Mapped[dt.date | None]
    linked_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case.id"), comment="the ongoing investigation a report was joined to"
    )
    report_group: Mapped[int | None] = mapped_column(
        index=True, comment="id of the first case opened by a report about siblings"
    )

    child: Mapped[Child] = relationship()
    unit: Mapped[Unit] = relationship()
    assigned_to: Mapped[StaffMember | None] = relationship()
    report: Mapped[Report] = relationship(back_populates="case")
    protection_assessment: Mapped[ProtectionAssessment | None] = relationship()
    preliminary_assessment: Mapped[PreliminaryAssessment | None] = relationship()
    preliminary_extensions: Mapped[list[PreliminaryExtension]] = relationship(
        order_by="PreliminaryExtension.id"
    )
    investigation: Mapped[Investigation | None] = relationship()
    interventions: Mapped[list[Intervention]] = relationship(order_by="Intervention.id")
    follow_ups: Mapped[list[FollowUp]] = relationship(order_by="FollowUp.id")


class Report(Base):
    """A report of concern (orosanmälan) as received."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(index=True)
    channel: Mapped[Channel] = mapped_column(enum_by_value(Channel))
    reporter_category: Mapped[ReporterCategory] = mapped_column(enum_by_value(ReporterCategory))
    mandatory_reporter: Mapped[bool] = mapped_column(comment="reporter under the duty to report")
    reporter_name: Mapped[str | None] = mapped_column(String(120), comment="personal data")
    reporter_organisation: Mapped[str | None] = mapped_column(String(160))
    reporter_contact: Mapped[str | None] = mapped_column(String(160), comment="personal data")
    feedback_requested: Mapped[bool | None] = mapped_column(
        comment="the reporter asked for feedback (19 kap. 6 § SoL); null: not recorded"
    )
    feedback_requested_on: Mapped[dt.date | None] = mapped_column(
        comment="the day the request came in"
    )
    free_text: Mapped[str] = mapped_column(Text, comment="personal data about the child")
    protection_due: Mapped[dt.date] = mapped_column(comment="skyddsbedömning: genast")
    preliminary_due: Mapped[dt.date] = mapped_column(index=True, comment="förhandsbedömning")
    protection_reference: Mapped[str] = mapped_column(String(120))
    preliminary_reference: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(60))

    case: Mapped[Case] = relationship(back_populates="report")
    concerns: Mapped[list[ReportConcern]] = relationship(
        cascade="all, delete-orphan", order_by="ReportConcern.concern"
    )


class ReportConcern(Base):
    """One concern category named in a report."""

    __tablename__ = "report_concern"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    concern: Mapped[Concern] = mapped_column(enum_by_value(Concern), primary_key=True)


class PreliminaryExtension(Base):
    """A decision to extend the preliminary assessment beyond 14 days (synnerliga skäl)."""

    __tablename__ = "preliminary_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    decided_on: Mapped[dt.date]
    previous_due: Mapped[dt.date]
    new_due: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text, comment="the synnerliga skäl")
    decided_by: Mapped[str] = mapped_column(String(60))


class ProtectionAssessment(Base):
    """Skyddsbedömning: is the child in need of immediate protection?"""

    __tablename__ = "protection_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    assessed_at: Mapped[dt.datetime]
    immediate_protection_needed: Mapped[bool]
    notes: Mapped[str] = mapped_column(Text, default="", comment="personal data about the child")
    decided_by: Mapped[str] = mapped_column(String(60))


class PreliminaryAssessment(Base):
    """Förhandsbedömning, ending in the decision to open an investigation or not."""

    __tablename__ = "preliminary_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    decided_on: Mapped[dt.date]
    outcome: Mapped[PreliminaryOutcome] = mapped_column(enum_by_value(PreliminaryOutcome))
    on_time: Mapped[bool] = mapped_column(comment="decided by the legal deadline")
    transferred_to: Mapped[str | None] = mapped_column(String(4), comment="kommunkod")
    notes: Mapped[str] = mapped_column(Text, default="", comment="personal data about the child")
    decided_by: Mapped[str] = mapped_column(String(60))


class Investigation(Base):
    """Barnavårdsutredning, documented along BBIC's three sides."""

    __tablename__ = "investigation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    started_on: Mapped[dt.date]
    original_due: Mapped[dt.date]
    due: Mapped[dt.date] = mapped_column(index=True, comment="current deadline incl. extensions")
    reference: Mapped[str] = mapped_column(String(120))
    completed_on: Mapped[dt.date | None]
    outcome: Mapped[InvestigationOutcome | None] = mapped_column(
        enum_by_value(InvestigationOutcome)
    )
    on_time: Mapped[bool | None]
    transferred_to: Mapped[str | None] = mapped_column(String(4), comment="kommunkod")

    extensions: Mapped[list[InvestigationExtension]] = relationship(
        order_by="InvestigationExtension.id"
    )
    bbic_notes: Mapped[list[BbicNote]] = relationship(order_by="BbicNote.id")


class InvestigationExtension(Base):
    """A decision to extend the investigation for särskilda skäl."""

    __tablename__ = "investigation_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigation.id"), index=True)
    decided_on: Mapped[dt.date]
    previous_due: Mapped[dt.date]
    new_due: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text, comment="the särskilda skäl")
    decided_by: Mapped[str] = mapped_column(String(60))


class BbicNote(Base):
    """The investigation's text for one BBIC area (one row per area, saved as drafted)."""

    __tablename__ = "bbic_note"
    __table_args__ = (UniqueConstraint("investigation_id", "side", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigation.id"))
    side: Mapped[BbicSide] = mapped_column(enum_by_value(BbicSide))
    area: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, comment="personal data about the child")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60))


class Intervention(Base):
    """A decided intervention (insats), in Socialstyrelsen's register categories."""

    __tablename__ = "intervention"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    category: Mapped[InterventionCategory] = mapped_column(enum_by_value(InterventionCategory))
    legal_basis: Mapped[LegalBasis] = mapped_column(enum_by_value(LegalBasis))
    decided_on: Mapped[dt.date]
    start_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str] = mapped_column(String(60))
    judgment_final_on: Mapped[dt.date | None] = mapped_column(
        comment="ungdomstjänst: the day the judgment gained legal force"
    )

    reviews: Mapped[list[PlacementReview]] = relationship(
        order_by="(PlacementReview.reviewed_on, PlacementReview.id)"
    )


class PlacementReview(Base):
    """Övervägande of care in another home (SoL or LVU), perhaps with the vårdplan revised."""

    __tablename__ = "placement_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    reviewed_on: Mapped[dt.date]
    care_plan_revised: Mapped[bool] = mapped_column(comment="the vårdplan was revised too")
    notes: Mapped[str] = mapped_column(Text, default="", comment="personal data about the child")
    decided_by: Mapped[str] = mapped_column(String(60))


class FollowUp(Base):
    """Uppföljning of the interventions; where the child's survey is offered."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    followed_up_on: Mapped[dt.date]
    notes: Mapped[str] = mapped_column(Text, default="", comment="personal data about the child")
    recorded_by: Mapped[str] = mapped_column(String(60))


class ReporterFeedback(Base):
    """Återkoppling: a mandatory reporter was told whether an investigation was opened."""

    __tablename__ = "reporter_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    outcome: Mapped[PreliminaryOutcome] = mapped_column(
        enum_by_value(PreliminaryOutcome), comment="what the reporter was told"
    )
    given_at: Mapped[dt.datetime]
    given_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    given_by: Mapped[str] = mapped_column(String(60))
