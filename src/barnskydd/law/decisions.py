"""The law of a decision on an intervention: its legal basis, who may appeal it, and by when.

Pure data and date functions, no database. Each reference carries `confirmed`: true only where
the paragraph was read in the statute's own text (SoL 2025:400 in the consolidated text through
SFS 2025:1501, the same text the rule sets were read in); false where only secondary sources
(municipal guidance, commentary) were read, shown as "(ej bekräftad)" in the desk and docs.

The appeal period is three weeks from the day the party was told of the decision
(förvaltningslagen 44 §), counted as lag (1930:173) counts weeks (1 §: to the day with the same
name) and moved to the next vardag when it ends on a Sunday, holiday, Saturday, midsommarafton,
julafton or nyårsafton (2 §): `law.calendar.period_end`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.law.calendar import check_covered, period_end
from barnskydd.people.rules import age_in_years

APPEAL_DAYS = 21  # three weeks
CHILD_OWN_VOICE_AGE = 15


@dataclass(frozen=True, slots=True)
class Reference:
    """One paragraph (or a few) a decision or a letter rests on."""

    text: str
    confirmed: bool
    note: str = ""

    @property
    def shown(self) -> str:
        """The reference as the desk and the letter show it."""
        return self.text if self.confirmed else f"{self.text} (ej bekräftad)"


SOL = "socialtjänstlagen (2025:400)"
LVU = "lagen (1990:52) med särskilda bestämmelser om vård av unga"

# 11 kap. 1 §: the right to insatser for personal needs (the old bistånd, 4 kap. 1 § SoL 2001).
SOL_RIGHT = f"11 kap. 1 § {SOL}"
SOL_BASIS: dict[InterventionCategory, Reference] = {
    InterventionCategory.OPEN_CARE: Reference(
        SOL_RIGHT, True, "Insatser för personliga behov efter behovsprövning."
    ),
    InterventionCategory.CONTACT_PERSON_OR_FAMILY: Reference(
        f"11 kap. 1 § och 13 kap. 7 § {SOL}",
        True,
        "13 kap. 7 §: kontaktperson eller kontaktfamilj; 11 kap. 5 § andra stycket 1: "
        "alltid efter individuell behovsprövning.",
    ),
    InterventionCategory.FAMILY_HOME: Reference(
        f"11 kap. 1 §, 9 kap. 1 och 2 §§ och 22 kap. 2 § {SOL}",
        True,
        "9 kap. 2 §: familjehem; 22 kap. 2 §: stadigvarande vård i familjehem kräver beslut "
        "om vård.",
    ),
    InterventionCategory.RESIDENTIAL_HVB: Reference(
        f"11 kap. 1 § och 9 kap. 1 och 4 §§ {SOL}", True, "9 kap. 4 §: hem för vård eller boende."
    ),
    InterventionCategory.SUPPORTED_HOUSING: Reference(
        f"11 kap. 1 § och 9 kap. 1 och 3 §§ {SOL}",
        True,
        "9 kap. 3 §: stödboende, 16–20 år; 16 och 17 år bara om det finns särskilda skäl.",
    ),
    InterventionCategory.EMERGENCY_HOME: Reference(
        f"11 kap. 1 § och 9 kap. 1 § {SOL}",
        False,
        "Jourhem: tillfällig vård i ett enskilt hem i väntan på utredning eller annan placering.",
    ),
    # Not an insats the nämnd grants on application: the court sentences, the nämnd arranges.
    InterventionCategory.YOUTH_SERVICE: Reference(
        f"18 kap. 8 § första stycket {SOL}",
        True,
        "Ungdomstjänst som domstolen har dömt ut; nämnden anordnar den.",
    ),
    InterventionCategory.OTHER: Reference(SOL_RIGHT, True, "Annan insats efter behovsprövning."),
}
# Care under LVU is decided by the förvaltningsrätt on the nämnd's application; the nämnd
# decides how the care is arranged and where the young person stays (LVU 11 §), and an SiS
# home is for those who need particularly close supervision (LVU 12 §). Not read in the
# statute's text here.
LVU_PLACEMENT = Reference(f"11 § {LVU}", False, "Var och hur vården ges (placeringsbeslut).")
LVU_BASIS: dict[InterventionCategory, Reference] = {
    InterventionCategory.SIS_SECURE: Reference(
        f"11 och 12 §§ {LVU}", False, "Placering i särskilt ungdomshem."
    ),
}

APPEALABLE_SOL = Reference(
    f"35 kap. 1 § första stycket 1 {SOL}",
    True,
    "'Socialnämndens beslut får överklagas till allmän förvaltningsdomstol i fråga om "
    "1. insatser enligt 11 kap. 1 § eller 12 kap. 1 §'. Read in the text of SFS 2025:400.",
)
APPEALABLE_LVU = Reference(
    f"41 § första stycket 1 {LVU}",
    False,
    "The nämnd's decision on where the young person is placed (11 § första stycket) may be "
    "appealed to the förvaltningsrätt; read in secondary sources only.",
)
APPEAL_PERIOD = Reference(
    "44 § förvaltningslagen (2017:900)",
    False,
    "Three weeks from the day the party got to know of the decision; read in municipal "
    "guidance and commentary, not in the statute's text.",
)
APPEAL_TO_AUTHORITY = Reference(
    "43 § förvaltningslagen (2017:900)",
    False,
    "The appeal is written and given in to the authority that made the decision.",
)
WHO_MAY_APPEAL = Reference(
    "42 § förvaltningslagen (2017:900)",
    False,
    "Whom the decision concerns, if it has gone against them.",
)
CHILD_OWN_VOICE = Reference(
    f"3 kap. 4 § {SOL}",
    True,
    "'Ett barn som har fyllt 15 år har rätt att föra sin egen talan i mål och ärenden "
    "enligt denna lag.' Read in the text of SFS 2025:400.",
)
COMMUNICATION_OF_DECISION = Reference(
    "33 § förvaltningslagen (2017:900)",
    False,
    "The party is told of the decision's content and, when it may be appealed, how.",
)


def legal_basis(category: InterventionCategory, basis: LegalBasis) -> Reference:
    """Return the paragraphs a decision on this intervention rests on."""
    if basis is LegalBasis.LVU:
        return LVU_BASIS.get(category, LVU_PLACEMENT)
    return SOL_BASIS[category]


def appealable_under(basis: LegalBasis) -> Reference:
    """Return the paragraph that makes the decision appealable by förvaltningsbesvär."""
    return APPEALABLE_LVU if basis is LegalBasis.LVU else APPEALABLE_SOL


def appeal_due(told_on: dt.date) -> dt.date:
    """Return the last day to appeal: three weeks from the day told, moved to a vardag."""
    return period_end(check_covered(told_on), days=APPEAL_DAYS)


def child_is_party(born: dt.date, decided_on: dt.date) -> bool:
    """Tell whether the child had turned 15 on the decision day (3 kap. 4 § SoL 2025:400)."""
    return decided_on >= born and age_in_years(born, decided_on) >= CHILD_OWN_VOICE_AGE
