"""The model registry: import every feature's models so that metadata (Alembic) sees all tables.

It sits above the features, not in core, so that core imports none of them.
"""

from barnskydd.audit.models import AuditEntry, AuditHead
from barnskydd.cases.communication.models import Communication
from barnskydd.cases.decisions.models import Decision, DecisionNotice
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import (
    BbicNote,
    Case,
    FollowUp,
    Intervention,
    Investigation,
    InvestigationExtension,
    PlacementReview,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
    Report,
    ReportConcern,
    ReporterFeedback,
)
from barnskydd.cases.plan.models import PlanItem
from barnskydd.core.db import Base
from barnskydd.deviations.models import (
    Deviation,
    DeviationAction,
    DeviationFactor,
    DeviationScanRun,
    IvoReport,
    LexSarahInvestigation,
    NonExecutionReason,
)
from barnskydd.documents.models import Document
from barnskydd.drafts.models import Draft
from barnskydd.extract.models import ExtractDecision, ExtractRequest
from barnskydd.importer.models import ImportedRecord
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.people.models import Child, ChildAccess, Guardian
from barnskydd.retention.models import WeedingLog
from barnskydd.staff.deployment import Deployment
from barnskydd.staff.models import LoginAttempt, StaffMember, Unit
from barnskydd.voice.models import ChildVoiceAnswer, ChildVoiceRecord, VoiceResponse

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "BbicNote",
    "Case",
    "Child",
    "ChildAccess",
    "ChildVoiceAnswer",
    "ChildVoiceRecord",
    "Communication",
    "Decision",
    "DecisionNotice",
    "Deployment",
    "Deviation",
    "DeviationAction",
    "DeviationFactor",
    "DeviationScanRun",
    "Document",
    "Draft",
    "ExtractDecision",
    "ExtractRequest",
    "FollowUp",
    "Guardian",
    "ImportedRecord",
    "Intervention",
    "Investigation",
    "InvestigationExtension",
    "IvoReport",
    "JournalEntry",
    "LexSarahInvestigation",
    "LoginAttempt",
    "LookupNotice",
    "LookupPublication",
    "NonExecutionReason",
    "PlacementReview",
    "PlanItem",
    "PreliminaryAssessment",
    "PreliminaryExtension",
    "ProtectionAssessment",
    "Report",
    "ReportConcern",
    "ReporterFeedback",
    "StaffMember",
    "Unit",
    "VoiceResponse",
    "WeedingLog",
]
