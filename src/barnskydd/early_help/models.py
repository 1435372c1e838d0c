"""The early-help catalogue (with the decision behind each entry) and who received one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.cases.codes import CaseStatus
from barnskydd.core.db import Base, enum_by_value
from barnskydd.early_help.codes import EarlyHelpKind


class EarlyHelpService(Base):
    """An intervention the nämnd decided to offer without a needs assessment (11 kap. 5 §)."""

    __tablename__ = "early_help_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, comment="short name for the CLI")
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EarlyHelpKind] = mapped_column(enum_by_value(EarlyHelpKind))
    target_group: Mapped[str] = mapped_column(String(200), default="")
    provider: Mapped[str] = mapped_column(String(200), default="", comment="own unit or contractor")
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    decided_by: Mapped[str] = mapped_column(String(200), comment="the body that decided the list")
    decided_on: Mapped[dt.date] = mapped_column(comment="the day of the decision")
    decision_ref: Mapped[str] = mapped_column(String(60), comment="the decision's diary number")
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date | None]
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime]


class EarlyHelp(Base):
    """A child (and family) given an early-help intervention, recorded in the child's case."""

    __tablename__ = "early_help"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("early_help_service.id"), index=True)
    started_on: Mapped[dt.date]
    guardian_consent: Mapped[bool] = mapped_column(comment="21 kap. 2 § SoL 2025:400")
    child_alone_suitable: Mapped[bool] = mapped_column(
        default=False, comment="15 or older, given without the guardian as suitable"
    )
    suitability_note: Mapped[str | None] = mapped_column(
        Text, comment="why that is suitable; may hold personal data"
    )
    informed_of_assessed_route: Mapped[bool] = mapped_column(comment="11 kap. 6 § SoL 2025:400")
    given_during: Mapped[CaseStatus] = mapped_column(
        enum_by_value(CaseStatus),
        server_default=CaseStatus.PRELIMINARY_ASSESSMENT.value,
        comment="the case's status when recorded: preliminary_assessment is the screen-out",
    )
    requested_by_family: Mapped[bool] = mapped_column(
        default=False, server_default=false(), comment="the child or family asked for it"
    )
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[dt.datetime]

    service: Mapped[EarlyHelpService] = relationship()
