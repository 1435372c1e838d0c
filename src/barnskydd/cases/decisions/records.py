"""The decision rows the chain's handlers add: one per decided or refused intervention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barnskydd.cases.codes import LegalBasis
from barnskydd.cases.decisions.codes import DecisionOutcome
from barnskydd.cases.decisions.models import Decision
from barnskydd.cases.models import Case, Intervention

if TYPE_CHECKING:
    from barnskydd.cases.chain.inputs import RefuseIntervention


def granted(case: Case, intervention: Intervention) -> Decision:
    """Return the decision that granted an intervention."""
    return Decision(
        case_id=case.id,
        outcome=DecisionOutcome.GRANTED,
        category=intervention.category,
        legal_basis=intervention.legal_basis,
        decided_on=intervention.decided_on,
        intervention=intervention,
        decided_by=intervention.decided_by,
    )


def refused(case: Case, data: RefuseIntervention, *, decided_by: str) -> Decision:
    """Return the decision that refused an applied-for intervention (always under SoL)."""
    return Decision(
        case_id=case.id,
        outcome=DecisionOutcome.REFUSED,
        category=data.category,
        legal_basis=LegalBasis.SOL,
        decided_on=data.decided_on,
        applied_on=data.applied_on,
        reason=data.reason,
        decided_by=decided_by,
    )
