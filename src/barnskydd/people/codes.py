"""Protected identity: the levels the population register sets for a child, in their order.

Swedish labels are what the UI shows; the glossary (docs/glossary.md) explains each term.
"""

from __future__ import annotations

from enum import StrEnum


class ProtectedIdentity(StrEnum):
    NONE = "none"
    CONFIDENTIALITY_MARKING = "confidentiality_marking"
    PROTECTED_REGISTRATION = "protected_registration"
    FICTITIOUS_IDENTITY = "fictitious_identity"


PROTECTED_LABELS: dict[ProtectedIdentity, str] = {
    ProtectedIdentity.NONE: "Ingen",
    ProtectedIdentity.CONFIDENTIALITY_MARKING: "Sekretessmarkering",
    ProtectedIdentity.PROTECTED_REGISTRATION: "Skyddad folkbokföring",
    ProtectedIdentity.FICTITIOUS_IDENTITY: "Fingerade personuppgifter",
}

# From the least to the most protection. The values are strings, whose own order ("none" >
# "fictitious_identity") means nothing: compare levels by this rank alone.
PROTECTION_RANK: dict[ProtectedIdentity, int] = {
    ProtectedIdentity.NONE: 0,
    ProtectedIdentity.CONFIDENTIALITY_MARKING: 1,
    ProtectedIdentity.PROTECTED_REGISTRATION: 2,
    ProtectedIdentity.FICTITIOUS_IDENTITY: 3,
}


def strongest(*levels: ProtectedIdentity) -> ProtectedIdentity:
    """Return the level that protects the most."""
    return max(levels, key=PROTECTION_RANK.__getitem__)


def is_lower(level: ProtectedIdentity, than: ProtectedIdentity) -> bool:
    """Return whether a level protects less than another."""
    return PROTECTION_RANK[level] < PROTECTION_RANK[than]


class ProtectionChange(StrEnum):
    """Why a child's level is changed by decision (a registration can only raise it)."""

    REGISTER_DECISION = "register_decision"
    REGISTERED_IN_ERROR = "registered_in_error"


CHANGE_LABELS: dict[ProtectionChange, str] = {
    ProtectionChange.REGISTER_DECISION: "Skatteverkets beslut",
    ProtectionChange.REGISTERED_IN_ERROR: "Felaktigt registrerad nivå",
}
