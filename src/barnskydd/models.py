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
from barnskydd.dictation.models import DictationJob
from barnskydd.documents.models import Document
from barnskydd.drafts.models import Draft
from barnskydd.early_help.models import EarlyHelp, EarlyHelpService
from barnskydd.extract.models import ExtractDecision, ExtractRequest
from barnskydd.importer.models import ImportedRecord
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.people.models import Child, ChildAccess, Guardian
from barnskydd.retention.models import WeedingLog
from barnskydd.staff.competence.models import (
    CoSigner,
    ExperiencePeriod,
    Introduction,
    IntroductionItem,
    QualificationWarning,
    StaffCompetence,
    StepCoSignature,
)
from barnskydd.staff.deployment import Deployment
from barnskydd.staff.models import Employment, LoginAttempt, StaffMember, Unit
from barnskydd.voice.models import ChildVoiceAnswer, ChildVoiceRecord, VoiceResponse
from barnskydd.workload.records import (
    LoadRating,
    MeasurementEntry,
    MeasurementTotal,
    MeasurementWeek,
)

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
    "CoSigner",
    "Communication",
    "Decision",
    "DecisionNotice",
    "Deployment",
    "Deviation",
    "DeviationAction",
    "DeviationFactor",
    "DeviationScanRun",
    "DictationJob",
    "Document",
    "Draft",
    "EarlyHelp",
    "EarlyHelpService",
    "Employment",
    "ExperiencePeriod",
    "ExtractDecision",
    "ExtractRequest",
    "FollowUp",
    "Guardian",
    "ImportedRecord",
    "Intervention",
    "Introduction",
    "IntroductionItem",
    "Investigation",
    "InvestigationExtension",
    "IvoReport",
    "JournalEntry",
    "LexSarahInvestigation",
    "LoadRating",
    "LoginAttempt",
    "LookupNotice",
    "LookupPublication",
    "MeasurementEntry",
    "MeasurementTotal",
    "MeasurementWeek",
    "NonExecutionReason",
    "PlacementReview",
    "PlanItem",
    "PreliminaryAssessment",
    "PreliminaryExtension",
    "ProtectionAssessment",
    "QualificationWarning",
    "Report",
    "ReportConcern",
    "ReporterFeedback",
    "StaffCompetence",
    "StaffMember",
    "StepCoSignature",
    "Unit",
    "VoiceResponse",
    "WeedingLog",
]
