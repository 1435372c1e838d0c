"""Code lists of deviations, with the Swedish labels the desk shows (docs/deviations.md)."""

from __future__ import annotations

from enum import StrEnum


class DeviationKind(StrEnum):
    DEVIATION = "deviation"
    LEX_SARAH_REPORT = "lex_sarah_report"
    AUTO = "auto"


KIND_LABELS: dict[DeviationKind, str] = {
    DeviationKind.DEVIATION: "Avvikelse",
    DeviationKind.LEX_SARAH_REPORT: "Lex Sarah-rapport",
    DeviationKind.AUTO: "Automatisk (missad tidsfrist)",
}


class DeviationStatus(StrEnum):
    TO_ASSESS = "to_assess"
    INVESTIGATING = "investigating"
    ASSESSED = "assessed"
    CLOSED = "closed"


STATUS_LABELS: dict[DeviationStatus, str] = {
    DeviationStatus.TO_ASSESS: "Att bedöma",
    DeviationStatus.INVESTIGATING: "Utreds (lex Sarah)",
    DeviationStatus.ASSESSED: "Bedömd",
    DeviationStatus.CLOSED: "Avslutad",
}


class Assessment(StrEnum):
    NO_MISSFORHALLANDE = "no_missforhallande"
    MISSFORHALLANDE = "missforhallande"
    RISK = "risk"
    SERIOUS = "serious"
    SERIOUS_RISK = "serious_risk"


ASSESSMENT_LABELS: dict[Assessment, str] = {
    Assessment.NO_MISSFORHALLANDE: "Inget missförhållande",
    Assessment.MISSFORHALLANDE: "Missförhållande",
    Assessment.RISK: "Påtaglig risk för missförhållande",
    Assessment.SERIOUS: "Allvarligt missförhållande",
    Assessment.SERIOUS_RISK: "Påtaglig risk för allvarligt missförhållande",
}
SERIOUS = frozenset({Assessment.SERIOUS, Assessment.SERIOUS_RISK})


class Factor(StrEnum):
    """Contributing conditions (several per deviation, after Synergi's taxonomy), not causes."""

    TASK = "task"
    CHILD_SITUATION = "child_situation"
    TEAM_SUPERVISION = "team_supervision"
    ORGANISATION_WORKLOAD = "organisation_workload"
    IT_DOCUMENTATION = "it_documentation"
    COLLABORATION = "collaboration"
    ENVIRONMENT = "environment"


FACTOR_LABELS: dict[Factor, str] = {
    Factor.TASK: "Uppgiften",
    Factor.CHILD_SITUATION: "Barnets situation",
    Factor.TEAM_SUPERVISION: "Arbetsgrupp och arbetsledning",
    Factor.ORGANISATION_WORKLOAD: "Organisation och arbetsbelastning",
    Factor.IT_DOCUMENTATION: "IT och dokumentation",
    Factor.COLLABORATION: "Samverkan med andra",
    Factor.ENVIRONMENT: "Miljön",
}


class IvoChannel(StrEnum):
    E_SERVICE = "e_service"
    POST = "post"


CHANNEL_LABELS: dict[IvoChannel, str] = {
    IvoChannel.E_SERVICE: "IVO:s e-tjänst",
    IvoChannel.POST: "Post",
}

RULE_LABELS: dict[str, str] = {
    "protection_assessment": "Skyddsbedömning inte gjord i tid",
    "preliminary_assessment": "Förhandsbedömning inte klar i tid",
    "investigation": "Utredning inte klar i tid",
}


def rule_label(rule: str) -> str:
    """Return the Swedish label of a deadline rule; a rule added later shows by its name."""
    return RULE_LABELS.get(rule, f"Tidsfrist missad: {rule}")
