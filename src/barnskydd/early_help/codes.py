"""Codes of early help: the kinds of intervention, and those the law never lets it be.

11 kap. 5 § socialtjänstlagen (2025:400), read in the text of SFS 2025:400 as consolidated
with SFS 2025:1501 (the se-lex/sfs-processor copy of the official text): "Socialnämnden får
tillhandahålla insatser för att tillgodose personliga behov utan individuell
behovsprövning. Följande insatser kräver dock alltid en individuell behovsprövning:" and
seven points, listed in `EXCLUDED` with their numbers. The allowed kinds are the project's
own grouping of what municipalities list (open-care support); the statute has no such list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from barnskydd.cases.codes import CaseStatus

REFERENCE = "11 kap. 5 § socialtjänstlagen (2025:400)"
CONSENT_REFERENCE = "21 kap. 2 § socialtjänstlagen (2025:400)"
INFORM_REFERENCE = "11 kap. 6 § socialtjänstlagen (2025:400)"
CONFIRMED = True  # 5 §, 6 § and 21 kap. 2 § read in the consolidated text (SFS 2025:1501)
CHILD_ALONE_FROM = 15  # 21 kap. 2 §: from 15, without the guardian when suitable
IN_FORCE_FROM = dt.date(2025, 7, 1)  # SoL 2025:400 (övergångsbestämmelse 1)


class EarlyHelpKind(StrEnum):
    """What kind of intervention a catalogue entry is (open care the nämnd may offer freely)."""

    CONVERSATION_SUPPORT = "conversation_support"
    PARENTING_SUPPORT = "parenting_support"
    GROUP_ACTIVITY = "group_activity"
    FAMILY_SUPPORT = "family_support"
    OPEN_MEETING_PLACE = "open_meeting_place"
    OTHER_OPEN_CARE = "other_open_care"


KIND_LABELS: dict[EarlyHelpKind, str] = {
    EarlyHelpKind.CONVERSATION_SUPPORT: "Samtalsstöd",
    EarlyHelpKind.PARENTING_SUPPORT: "Föräldrastöd",
    EarlyHelpKind.GROUP_ACTIVITY: "Gruppverksamhet",
    EarlyHelpKind.FAMILY_SUPPORT: "Familjestöd i öppen form",
    EarlyHelpKind.OPEN_MEETING_PLACE: "Öppen mötesplats",
    EarlyHelpKind.OTHER_OPEN_CARE: "Annat stöd i öppen form",
}


# When the early help was given, by the case's status then: the screen-out is the decision
# after the preliminary assessment (`offer_early_help`), the rest the step `give_early_help`.
GIVEN_DURING: dict[CaseStatus, str] = {
    CaseStatus.PRELIMINARY_ASSESSMENT: "i stället för utredning (förhandsbedömningen)",
    CaseStatus.INVESTIGATION: "under utredningen",
    CaseStatus.INTERVENTIONS: "vid sidan av insatser",
    CaseStatus.FOLLOW_UP: "under uppföljningen",
}


@dataclass(frozen=True, slots=True)
class Excluded:
    """One intervention 11 kap. 5 § always requires a needs assessment for."""

    point: int
    label: str

    @property
    def reference(self) -> str:
        """The point of the paragraph, as a message names it."""
        return f"11 kap. 5 § första stycket {self.point} socialtjänstlagen (2025:400)"

    def message(self) -> str:
        """Why it is refused, in Swedish, naming the paragraph."""
        return (
            f"{self.label} kräver alltid individuell behovsprövning ({self.reference}) "
            "och kan inte erbjudas som tidigt stöd."
        )


# code -> the point of 11 kap. 5 § that excludes it (the statute's seven points, in order).
EXCLUDED: dict[str, Excluded] = {
    "contact_person": Excluded(1, "Kontaktperson, kontaktfamilj eller kvalificerad kontaktperson"),
    "family_home": Excluded(2, "Vård i familjehem"),
    "lvm_home": Excluded(3, "Vård i LVM-hem"),
    "special_youth_home": Excluded(4, "Vård i särskilda ungdomshem"),
    "residential_18_20": Excluded(
        5,
        "Vård av barn eller unga mellan 18 och 20 år i jourhem, stödboende, skyddat boende "
        "och andra hem för vård eller boende",
    ),
    "special_housing": Excluded(
        6, "Bostad i ett boende för äldre eller för personer med funktionsnedsättning"
    ),
    "other_24h_care": Excluded(7, "Vård i hem för viss annan heldygnsvård"),
}
