"""Pure rules of early help: which kinds the law excludes, and whose consent it takes."""

from __future__ import annotations

import datetime as dt

from barnskydd.core.errors import InvalidInput
from barnskydd.early_help.codes import (
    CHILD_ALONE_FROM,
    CONSENT_REFERENCE,
    EXCLUDED,
    IN_FORCE_FROM,
    REFERENCE,
    EarlyHelpKind,
)


def kind(code: str, *, field: str = "kind") -> EarlyHelpKind:
    """Return the kind a code names; an intervention 11 kap. 5 § excludes is refused by point."""
    excluded = EXCLUDED.get(code)
    if excluded is not None:
        raise InvalidInput(excluded.message(), field=field)
    try:
        return EarlyHelpKind(code)
    except ValueError:
        known = ", ".join(k.value for k in EarlyHelpKind)
        raise InvalidInput(
            f"Okänd sorts tidigt stöd '{code}'. Kända: {known}.", field=field
        ) from None


# The chain's intervention categories that 11 kap. 5 § names (a worker may type one as the
# early help's code in the CLI or the API): refused with the point, never "not in the list".
CATEGORY_POINTS: dict[str, str] = {
    "contact_person_or_family": "contact_person",
    "family_home": "family_home",
    "sis_secure": "special_youth_home",
}
# Care in a jourhem, stödboende or HVB is excluded for those 18 to 20 (5 § 5).
ADULT_RESIDENTIAL = frozenset({"emergency_home", "supported_housing", "residential_hvb"})
ADULT_FROM = 18


def refuse_excluded(code: str, age: int, *, field: str = "service") -> None:
    """Refuse an intervention that 11 kap. 5 § always requires a needs assessment for."""
    name = CATEGORY_POINTS.get(code, code)
    if code in ADULT_RESIDENTIAL and age >= ADULT_FROM:
        name = "residential_18_20"
    excluded = EXCLUDED.get(name)
    if excluded is not None:
        raise InvalidInput(excluded.message(), field=field)


def check_consent(
    age: int, *, guardian_consent: bool, child_alone_suitable: bool, suitability_note: str | None
) -> None:
    """Refuse early help without the guardian's consent unless 21 kap. 2 § allows it.

    "Socialnämnden får inte utan vårdnadshavarens samtycke tillhandahålla ett barn insatser
    som lämnas utan individuell behovsprövning. Nämnden får dock tillhandahålla ett barn
    sådana insatser, om barnet har fyllt 15 år och det är lämpligt att insatsen
    tillhandahålls på det sättet."
    """
    if guardian_consent:
        return
    if age < CHILD_ALONE_FROM:
        raise InvalidInput(
            f"Vårdnadshavarens samtycke krävs för tidigt stöd till ett barn under "
            f"{CHILD_ALONE_FROM} år ({CONSENT_REFERENCE}).",
            field="guardian_consent",
        )
    if not child_alone_suitable:
        raise InvalidInput(
            f"Utan vårdnadshavarens samtycke får stödet ges bara om det är lämpligt att barnet, "
            f"som fyllt {CHILD_ALONE_FROM} år, får det på det sättet ({CONSENT_REFERENCE}).",
            field="child_alone_suitable",
        )
    if not (suitability_note or "").strip():
        raise InvalidInput(
            "Skriv varför det är lämpligt att barnet får stödet utan vårdnadshavarens samtycke.",
            field="suitability_note",
        )


def check_dates(valid_from: dt.date, valid_to: dt.date | None, decided_on: dt.date) -> None:
    """Valid from its decision and from the law's first day on, and ends after it starts."""
    if valid_from < IN_FORCE_FROM:
        raise InvalidInput(
            f"Insatser utan individuell behovsprövning ({REFERENCE}) kan erbjudas från "
            f"{IN_FORCE_FROM.isoformat()}, när lagen trädde i kraft.",
            field="valid_from",
        )
    if valid_from < decided_on:
        raise InvalidInput("Insatsen kan inte gälla före nämndens beslut.", field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("Sista giltighetsdag ligger före första.", field="valid_to")
