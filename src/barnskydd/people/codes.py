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


class Relation(StrEnum):
    """How a guardian or other adult of the household is related to the child."""

    MOTHER = "mother"
    FATHER = "father"
    OTHER_GUARDIAN = "other_guardian"
    APPOINTED_GUARDIAN = "appointed_guardian"
    STEP_PARENT = "step_parent"
    FOSTER_PARENT = "foster_parent"
    HOUSEHOLD_MEMBER = "household_member"


RELATION_LABELS: dict[Relation, str] = {
    Relation.MOTHER: "Mamma",
    Relation.FATHER: "Pappa",
    Relation.OTHER_GUARDIAN: "Annan vårdnadshavare",
    Relation.APPOINTED_GUARDIAN: "Särskilt förordnad vårdnadshavare",
    Relation.STEP_PARENT: "Bonusförälder",
    Relation.FOSTER_PARENT: "Familjehemsförälder",
    Relation.HOUSEHOLD_MEMBER: "Annan person i hushållet",
}


class Language(StrEnum):
    """An interpreter language: ISO 639-1 where there is a code, else ISO 639-3 (prs, ckb).

    The languages interpreted most in Swedish social services (assumption: from the
    interpreting agencies' published top lists); a language outside it is "other" and named
    in the journal.
    """

    ARABIC = "ar"
    SOMALI = "so"
    TIGRINYA = "ti"
    PERSIAN = "fa"
    DARI = "prs"
    PASHTO = "ps"
    KURMANJI = "ku"
    SORANI = "ckb"
    TURKISH = "tr"
    BOSNIAN = "bs"
    POLISH = "pl"
    RUSSIAN = "ru"
    UKRAINIAN = "uk"
    ROMANI = "rom"
    ENGLISH = "en"
    SPANISH = "es"
    THAI = "th"
    AMHARIC = "am"
    OTHER = "other"


LANGUAGE_LABELS: dict[Language, str] = {
    Language.ARABIC: "arabiska",
    Language.SOMALI: "somaliska",
    Language.TIGRINYA: "tigrinja",
    Language.PERSIAN: "persiska",
    Language.DARI: "dari",
    Language.PASHTO: "pashto",
    Language.KURMANJI: "kurmanji (nordkurdiska)",
    Language.SORANI: "sorani (centralkurdiska)",
    Language.TURKISH: "turkiska",
    Language.BOSNIAN: "bosniska/kroatiska/serbiska",
    Language.POLISH: "polska",
    Language.RUSSIAN: "ryska",
    Language.UKRAINIAN: "ukrainska",
    Language.ROMANI: "romani",
    Language.ENGLISH: "engelska",
    Language.SPANISH: "spanska",
    Language.THAI: "thailändska",
    Language.AMHARIC: "amhariska",
    Language.OTHER: "annat språk",
}
