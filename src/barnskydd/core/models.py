"""Import every feature's models so that metadata (Alembic, create_all) sees all tables."""

from barnskydd.audit.models import AuditEntry, AuditHead
from barnskydd.cases.models import (
    BbicNote,
    Case,
    FollowUp,
    Intervention,
    Investigation,
    InvestigationExtension,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
    Report,
    ReportConcern,
    ReporterFeedback,
)
from barnskydd.core.db import Base
from barnskydd.drafts.models import Draft
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.people.access import ChildAccess
from barnskydd.people.models import Child
from barnskydd.staff.models import LoginAttempt, StaffMember, Unit

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "BbicNote",
    "Case",
    "Child",
    "ChildAccess",
    "Draft",
    "FollowUp",
    "Intervention",
    "Investigation",
    "InvestigationExtension",
    "LoginAttempt",
    "LookupNotice",
    "LookupPublication",
    "PreliminaryAssessment",
    "PreliminaryExtension",
    "ProtectionAssessment",
    "Report",
    "ReportConcern",
    "ReporterFeedback",
    "StaffMember",
    "Unit",
]
