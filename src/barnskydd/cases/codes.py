"""Code lists of the case chain. The values are the statistics extract's codes (schema v1).

Swedish labels are what the UI shows; the glossary (docs/glossary.md) explains each term.
"""

from __future__ import annotations

from enum import StrEnum

# Protected identity is the child's, not the case's: it lives in people.codes. Re-exported
# for the views that still import it from here.
from barnskydd.people.codes import PROTECTED_LABELS as PROTECTED_LABELS
from barnskydd.people.codes import ProtectedIdentity as ProtectedIdentity


class CaseStatus(StrEnum):
    AWAITING_PROTECTION_ASSESSMENT = "awaiting_protection_assessment"
    PRELIMINARY_ASSESSMENT = "preliminary_assessment"
    INVESTIGATION = "investigation"
    INTERVENTIONS = "interventions"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.AWAITING_PROTECTION_ASSESSMENT: "Skyddsbedömning",
    CaseStatus.PRELIMINARY_ASSESSMENT: "Förhandsbedömning",
    CaseStatus.INVESTIGATION: "Utredning",
    CaseStatus.INTERVENTIONS: "Insatser",
    CaseStatus.FOLLOW_UP: "Uppföljning",
    CaseStatus.CLOSED: "Avslutat",
}


class ReporterCategory(StrEnum):
    POLICE = "police"
    SCHOOL = "school"
    PRESCHOOL = "preschool"
    HEALTH_CARE = "health_care"
    DENTAL_CARE = "dental_care"
    CHILD_PSYCHIATRY = "child_psychiatry"
    SOCIAL_SERVICES = "social_services"
    OTHER_AUTHORITY = "other_authority"
    PRIVATE_PERSON = "private_person"
    RELATIVE = "relative"
    CHILD_SELF = "child_self"
    ANONYMOUS = "anonymous"
    OTHER = "other"


REPORTER_LABELS: dict[ReporterCategory, str] = {
    ReporterCategory.POLICE: "Polis",
    ReporterCategory.SCHOOL: "Skola",
    ReporterCategory.PRESCHOOL: "Förskola",
    ReporterCategory.HEALTH_CARE: "Hälso- och sjukvård",
    ReporterCategory.DENTAL_CARE: "Tandvård",
    ReporterCategory.CHILD_PSYCHIATRY: "Barn- och ungdomspsykiatri",
    ReporterCategory.SOCIAL_SERVICES: "Socialtjänst",
    ReporterCategory.OTHER_AUTHORITY: "Annan myndighet",
    ReporterCategory.PRIVATE_PERSON: "Privatperson",
    ReporterCategory.RELATIVE: "Anhörig",
    ReporterCategory.CHILD_SELF: "Barnet självt",
    ReporterCategory.ANONYMOUS: "Anonym",
    ReporterCategory.OTHER: "Övrig",
}

# Reporters who are professionals under the duty to report (SoL 2001:453 14 kap. 1 §,
# SoL 2025:400 19 kap. 1–3 §§); a private person, relative, the child or an anonymous
# reporter is never a mandatory reporter.
NEVER_MANDATORY = frozenset(
    {
        ReporterCategory.PRIVATE_PERSON,
        ReporterCategory.RELATIVE,
        ReporterCategory.CHILD_SELF,
        ReporterCategory.ANONYMOUS,
    }
)


class Channel(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    DIGITAL_FORM = "digital_form"
    IN_PERSON = "in_person"
    OTHER = "other"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PHONE: "Telefon",
    Channel.LETTER: "Brev",
    Channel.EMAIL: "E-post",
    Channel.DIGITAL_FORM: "E-tjänst",
    Channel.IN_PERSON: "Personligt besök",
    Channel.OTHER: "Annat",
}


class Concern(StrEnum):
    PHYSICAL_VIOLENCE = "physical_violence"
    SEXUAL_ABUSE = "sexual_abuse"
    PSYCHOLOGICAL_VIOLENCE = "psychological_violence"
    NEGLECT = "neglect"
    WITNESSED_DOMESTIC_VIOLENCE = "witnessed_domestic_violence"
    PARENTAL_SUBSTANCE_ABUSE = "parental_substance_abuse"
    PARENTAL_MENTAL_ILLNESS = "parental_mental_illness"
    HONOUR_RELATED = "honour_related"
    CHILD_SUBSTANCE_USE = "child_substance_use"
    CHILD_CRIMINALITY = "child_criminality"
    CHILD_MENTAL_HEALTH = "child_mental_health"
    SCHOOL_ABSENCE = "school_absence"
    FAMILY_CONFLICT = "family_conflict"
    OTHER = "other"


CONCERN_LABELS: dict[Concern, str] = {
    Concern.PHYSICAL_VIOLENCE: "Fysiskt våld",
    Concern.SEXUAL_ABUSE: "Sexuella övergrepp",
    Concern.PSYCHOLOGICAL_VIOLENCE: "Psykiskt våld",
    Concern.NEGLECT: "Försummelse",
    Concern.WITNESSED_DOMESTIC_VIOLENCE: "Bevittnat våld i nära relation",
    Concern.PARENTAL_SUBSTANCE_ABUSE: "Förälders missbruk",
    Concern.PARENTAL_MENTAL_ILLNESS: "Förälders psykiska ohälsa",
    Concern.HONOUR_RELATED: "Hedersrelaterat våld och förtryck",
    Concern.CHILD_SUBSTANCE_USE: "Barnets missbruk",
    Concern.CHILD_CRIMINALITY: "Barnets kriminalitet",
    Concern.CHILD_MENTAL_HEALTH: "Barnets psykiska ohälsa",
    Concern.SCHOOL_ABSENCE: "Skolfrånvaro",
    Concern.FAMILY_CONFLICT: "Konflikter i familjen",
    Concern.OTHER: "Övrigt",
}


class PreliminaryOutcome(StrEnum):
    INVESTIGATION_OPENED = "investigation_opened"
    NOT_OPENED = "not_opened"
    ALREADY_ONGOING = "already_ongoing"
    TRANSFERRED = "transferred"
    # Not opened, with early help offered without an investigation (SoL 2025:400 11 kap. 5 §):
    # decided by its own step (offer_early_help), which names the intervention and the consent.
    EARLY_HELP_OFFERED = "early_help_offered"


PRELIMINARY_LABELS: dict[PreliminaryOutcome, str] = {
    PreliminaryOutcome.INVESTIGATION_OPENED: "Utredning inleds",
    PreliminaryOutcome.NOT_OPENED: "Utredning inleds inte",
    PreliminaryOutcome.ALREADY_ONGOING: "Pågående utredning",
    PreliminaryOutcome.TRANSFERRED: "Överflyttas till annan kommun",
    PreliminaryOutcome.EARLY_HELP_OFFERED: "Utredning inleds inte, tidigt stöd erbjuds",
}


class InvestigationOutcome(StrEnum):
    INTERVENTIONS = "interventions"
    NO_INTERVENTION = "no_intervention"
    # Ended without an intervention, and the nämnd follows up the child's situation for at
    # most six months (SoL 2025:400 23 kap. 1 and 5 §§): the case stays open in follow-up.
    NO_INTERVENTION_FOLLOW_UP = "no_intervention_follow_up"
    DISCONTINUED = "discontinued"
    TRANSFERRED = "transferred"


INVESTIGATION_LABELS: dict[InvestigationOutcome, str] = {
    InvestigationOutcome.INTERVENTIONS: "Insats beviljas",
    InvestigationOutcome.NO_INTERVENTION: "Ingen insats",
    InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP: "Ingen insats, barnets situation följs upp",
    InvestigationOutcome.DISCONTINUED: "Utredningen läggs ned",
    InvestigationOutcome.TRANSFERRED: "Överflyttas till annan kommun",
}


class InterventionCategory(StrEnum):
    OPEN_CARE = "open_care"
    CONTACT_PERSON_OR_FAMILY = "contact_person_or_family"
    FAMILY_HOME = "family_home"
    RESIDENTIAL_HVB = "residential_hvb"
    SIS_SECURE = "sis_secure"
    SUPPORTED_HOUSING = "supported_housing"
    EMERGENCY_HOME = "emergency_home"
    YOUTH_SERVICE = "youth_service"
    OTHER = "other"


INTERVENTION_LABELS: dict[InterventionCategory, str] = {
    InterventionCategory.OPEN_CARE: "Öppenvård",
    InterventionCategory.CONTACT_PERSON_OR_FAMILY: "Kontaktperson/kontaktfamilj",
    InterventionCategory.FAMILY_HOME: "Familjehem",
    InterventionCategory.RESIDENTIAL_HVB: "HVB (hem för vård eller boende)",
    InterventionCategory.SIS_SECURE: "Särskilt ungdomshem (SiS)",
    InterventionCategory.SUPPORTED_HOUSING: "Stödboende",
    InterventionCategory.EMERGENCY_HOME: "Jourhem",
    InterventionCategory.YOUTH_SERVICE: "Ungdomstjänst (verkställighet av dom)",
    InterventionCategory.OTHER: "Annan insats",
}

# Care in another home than the child's own: reviewed every six months, a vårdplan revised
# within two years (SoL 2025:400 22 kap. 13 §, 9 kap. 13 §; LVU 13 §).
PLACEMENTS = frozenset(
    {
        InterventionCategory.FAMILY_HOME,
        InterventionCategory.RESIDENTIAL_HVB,
        InterventionCategory.SUPPORTED_HOUSING,
        InterventionCategory.EMERGENCY_HOME,
        InterventionCategory.SIS_SECURE,
    }
)


class LegalBasis(StrEnum):
    SOL = "sol"
    LVU = "lvu"


# SiS special youth homes take children only under LVU (or LSU); a SoL placement there is refused.
LVU_ONLY = frozenset({InterventionCategory.SIS_SECURE})


class BbicSide(StrEnum):
    CHILD_DEVELOPMENT = "child_development"
    PARENTING_CAPACITY = "parenting_capacity"
    FAMILY_AND_ENVIRONMENT = "family_and_environment"


BBIC_LABELS: dict[BbicSide, str] = {
    BbicSide.CHILD_DEVELOPMENT: "Barnets utveckling",
    BbicSide.PARENTING_CAPACITY: "Föräldrarnas förmåga",
    BbicSide.FAMILY_AND_ENVIRONMENT: "Familj och miljö",
}

# BBIC's areas per side (Socialstyrelsen, Grundbok i BBIC, 2018 edition).
BBIC_AREAS: dict[BbicSide, dict[str, str]] = {
    BbicSide.CHILD_DEVELOPMENT: {
        "health": "Hälsa",
        "education": "Utbildning",
        "emotional_behavioural": "Känslor och beteende",
        "identity": "Identitet",
        "family_social_relations": "Familj och sociala relationer",
        "social_presentation": "Socialt uppträdande",
        "self_care": "Förmåga att klara sig själv",
    },
    BbicSide.PARENTING_CAPACITY: {
        "basic_care": "Grundläggande omsorg",
        "safety": "Säkerhet",
        "emotional_warmth": "Känslomässig tillgänglighet",
        "stimulation": "Stimulans",
        "guidance_boundaries": "Vägledning, regler och gränser",
        "stability": "Stabilitet",
    },
    BbicSide.FAMILY_AND_ENVIRONMENT: {
        "family_history": "Familjens bakgrund och funktion",
        "wider_family": "Släkt och nätverk",
        "housing": "Boende",
        "employment": "Arbete",
        "income": "Ekonomi",
        "social_integration": "Social integrering",
        "community_resources": "Lokalsamhällets resurser",
    },
}


class JournalKind(StrEnum):
    """What a journal entry (journalanteckning) records."""

    CHILD_TALK = "child_talk"
    GUARDIAN_TALK = "guardian_talk"
    HOME_VISIT = "home_visit"
    NETWORK_MEETING = "network_meeting"
    PHONE_CALL = "phone_call"
    REPORTER_CONTACT = "reporter_contact"
    CONSULTATION = "consultation"
    OTHER = "other"


JOURNAL_KIND_LABELS: dict[JournalKind, str] = {
    JournalKind.CHILD_TALK: "Samtal med barnet",
    JournalKind.GUARDIAN_TALK: "Samtal med vårdnadshavare",
    JournalKind.HOME_VISIT: "Hembesök",
    JournalKind.NETWORK_MEETING: "Nätverksmöte",
    JournalKind.PHONE_CALL: "Telefonsamtal",
    JournalKind.REPORTER_CONTACT: "Kontakt med anmälaren",
    JournalKind.CONSULTATION: "Konsultation",
    JournalKind.OTHER: "Övrigt",
}
