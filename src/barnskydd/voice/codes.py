"""Codes of the child's voice: how the view was obtained, why not, how, and the age bands."""

from __future__ import annotations

from enum import StrEnum


class VoiceStatus(StrEnum):
    """How the child's view was obtained at this contact (IVO: the decision shows whether)."""

    ANSWERED = "answered"
    DECLINED = "declined_by_child"
    NOT_OFFERED = "not_offered"
    NOT_POSSIBLE = "not_possible"


class VoiceReason(StrEnum):
    """Why the questions were not offered, or could not be answered."""

    AGE_MATURITY = "age_maturity"
    NO_INTERPRETER = "no_interpreter"
    NO_ADAPTED_FORMAT = "no_adapted_format"
    SAFETY = "safety"
    NOT_REACHED = "not_reached"
    OTHER = "other"


class VoiceMode(StrEnum):
    """How the child answers."""

    CHILD_MODE = "self_on_worker_device"
    LINK = "self_remote_link"
    READ_ALOUD = "read_aloud_with_worker"
    INTERPRETER = "with_interpreter"


class VoiceContext(StrEnum):
    """The contact the answers were taken at: a follow-up, an övervägande of a placement."""

    INTERVENTION_FOLLOW_UP = "intervention_follow_up"
    PLACEMENT_REVIEW = "placement_review"
    # A follow-up of the child's situation after an investigation without an intervention
    # (SoL 2025:400 23 kap. 1 §).
    AFTER_INVESTIGATION = "after_investigation"


class ShownTo(StrEnum):
    """The child's own choice of who may see the answers (OSL and SoL decide in the end)."""

    WORKER = "worker_only"
    WORKER_AND_FAMILY = "worker_and_family"


AUTO_BAND = "auto"

STATUS_LABELS = {
    VoiceStatus.ANSWERED: "Barnet svarade",
    VoiceStatus.DECLINED: "Barnet ville inte svara",
    VoiceStatus.NOT_OFFERED: "Frågorna erbjöds inte",
    VoiceStatus.NOT_POSSIBLE: "Det gick inte att svara",
}
REASON_LABELS = {
    VoiceReason.AGE_MATURITY: "Ålder eller mognad",
    VoiceReason.NO_INTERPRETER: "Tolk saknades",
    VoiceReason.NO_ADAPTED_FORMAT: "Funktionsnedsättning utan anpassat format",
    VoiceReason.SAFETY: "Säkerhet (barnet kunde inte svara tryggt)",
    VoiceReason.NOT_REACHED: "Barnet nåddes inte",
    VoiceReason.OTHER: "Annat skäl",
}
MODE_LABELS = {
    VoiceMode.CHILD_MODE: "Barnet svarar själv på handläggarens enhet (barnläge)",
    VoiceMode.LINK: "Barnet svarar själv via engångslänk",
    VoiceMode.READ_ALOUD: "Handläggaren läser upp frågorna",
    VoiceMode.INTERPRETER: "Med tolk",
}
SHOWN_LABELS = {
    ShownTo.WORKER: "Bara min socialsekreterare",
    ShownTo.WORKER_AND_FAMILY: "Min socialsekreterare och de vuxna jag bor med",
}
CONTEXT_LABELS = {
    VoiceContext.INTERVENTION_FOLLOW_UP: "Uppföljning av insats",
    VoiceContext.PLACEMENT_REVIEW: "Övervägande av placering",
    VoiceContext.AFTER_INVESTIGATION: "Uppföljning efter utredning utan insats",
}
# Reasons asked for, per status; the other statuses take none.
NEEDS_REASON = frozenset({VoiceStatus.NOT_OFFERED, VoiceStatus.NOT_POSSIBLE})
