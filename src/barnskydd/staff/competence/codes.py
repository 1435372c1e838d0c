"""Code lists of the competence records and their Swedish labels."""

from __future__ import annotations

from enum import StrEnum


class Degree(StrEnum):
    """The degree a worker holds, as SoL 2025:400 25 kap. 1-3 §§ read it."""

    SOCIONOM = "socionom"
    OTHER_RELEVANT = "other_relevant"  # another degree meeting HSLF-FS 2017:79
    EEA_RECOGNISED = "eea_recognised"  # recognised under lag (2016:145)
    FOREIGN_CERTIFICATE = "foreign_certificate"  # Socialstyrelsen's bevis om behörighet
    NONE = "none"


DEGREE_LABELS: dict[Degree, str] = {
    Degree.SOCIONOM: "Socionomexamen",
    Degree.OTHER_RELEVANT: "Annan relevant examen",
    Degree.EEA_RECOGNISED: "Erkänd utbildning från EES/Schweiz",
    Degree.FOREIGN_CERTIFICATE: "Utländsk utbildning med bevis från Socialstyrelsen",
    Degree.NONE: "Ingen examen som ger behörighet",
}
NOT_RECORDED_LABEL = "Inte registrerad"

# The degrees that qualify for the reserved steps; NONE does not, and neither does a worker
# whose competence is not recorded (the check cannot show the nämnd that they qualify).
QUALIFYING = frozenset(
    {Degree.SOCIONOM, Degree.OTHER_RELEVANT, Degree.EEA_RECOGNISED, Degree.FOREIGN_CERTIFICATE}
)
# What must be said about a degree besides its date: its kind for another relevant degree,
# the certificate for foreign education.
NEEDS_KIND = frozenset({Degree.OTHER_RELEVANT, Degree.EEA_RECOGNISED})
NEEDS_CERTIFICATE = frozenset({Degree.FOREIGN_CERTIFICATE})


class QualificationMode(StrEnum):
    """What the chain does with a reserved step by a worker who does not qualify."""

    WARN = "warn"  # take the step, record a warning and show it
    REFUSE = "refuse"  # refuse the step, naming the paragraph


class Shortfall(StrEnum):
    """Why a worker does not qualify for a reserved step."""

    NOT_RECORDED = "not_recorded"
    NO_DEGREE = "no_degree"
    NEEDS_CO_SIGNER = "needs_co_signer"
    CO_SIGNER_NOT_ALLOWED = "co_signer_not_allowed"
