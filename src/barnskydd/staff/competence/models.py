"""The competence records of staff members and the chain's co-signatures and warnings.

A staff member without a `staff_competence` row has competence "not recorded" (every member
who existed before this table did). Experience is kept as periods, the current one open, so
a break between employers is counted honestly; the introduction and its items, and the
co-signers named for a worker, are rows of their own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value, utcnow
from barnskydd.staff.competence.codes import Degree, Shortfall


class StaffCompetence(Base):
    """A staff member's degree and sign-off as independent (SoL 2025:400 25 kap. 1 §)."""

    __tablename__ = "staff_competence"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    degree: Mapped[Degree] = mapped_column(
        enum_by_value(Degree), comment="the degree that qualifies, or none"
    )
    degree_on: Mapped[dt.date | None] = mapped_column(comment="the day the degree was awarded")
    degree_kind: Mapped[str | None] = mapped_column(
        String(200), comment="what the other relevant degree is (HSLF-FS 2017:79)"
    )
    certificate_ref: Mapped[str | None] = mapped_column(
        String(60), comment="Socialstyrelsen's bevis om behörighet, for foreign education"
    )
    independent_from: Mapped[dt.date | None] = mapped_column(
        comment="signed off as working independently (25 kap. 1 § andra stycket)"
    )
    supervision_minutes_per_week: Mapped[int | None] = mapped_column(
        comment="supervision (handledning) a week, for the Öppna jämförelser indicator"
    )
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60))


class ExperiencePeriod(Base):
    """A period of work with child investigations; the current one has no end."""

    __tablename__ = "experience_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]


class Introduction(Base):
    """A worker's structured introduction: the programme (id and version), dates, mentor."""

    __tablename__ = "introduction"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    programme: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    started_on: Mapped[dt.date]
    planned_end: Mapped[dt.date | None]
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))


class IntroductionItem(Base):
    """One item of the programme a worker has completed, and when."""

    __tablename__ = "introduction_item"

    staff_id: Mapped[int] = mapped_column(ForeignKey("introduction.staff_id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(60), primary_key=True)
    completed_on: Mapped[dt.date]


class CoSigner(Base):
    """Who may co-sign the reserved steps of a worker not yet signed off as independent."""

    __tablename__ = "co_signer"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    co_signer_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)


class StepCoSignature(Base):
    """A reserved step that needs a co-signer's signature, and whether they have given it.

    Written when the step is taken, naming the co-signer the worker asked; `confirmed_at`
    stays empty (the step awaits co-signature) until the co-signer, logged in as themselves,
    confirms it (barnskydd.staff.competence.cosign).
    """

    __tablename__ = "step_co_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(comment="the row the step wrote")
    actor: Mapped[str] = mapped_column(String(60))
    co_signer: Mapped[str] = mapped_column(String(60))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(
        comment="when the co-signer confirmed it themselves; none: awaiting co-signature"
    )


class QualificationWarning(Base):
    """A reserved step taken by a worker who did not qualify, in the municipality's warn mode."""

    __tablename__ = "qualification_warning"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(comment="the row the step wrote")
    actor: Mapped[str] = mapped_column(String(60))
    shortfall: Mapped[Shortfall] = mapped_column(enum_by_value(Shortfall))
    reference: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
