"""The case chain's steps: read this package to see, or add, a step.

A step is a row in `transitions.TRANSITIONS` (with its member of `Step` and its verb), an input
model in `inputs.py`, a pure check in `checks.py`, a handler in `handlers.py` and an entry in
`spec.SPECS`. The desk's form, the API route, the CLI command and the synthetic generator are
all made from the spec; `take` is the one way any of them takes a step.

The edge loads the case and authorizes it once (with the audited read); `take` does not load
or authorize it again. A refused step raises before anything is added to the session.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from barnskydd.cases import hooks
from barnskydd.cases.chain import signatures
from barnskydd.cases.chain.checks import CaseFacts, qualification
from barnskydd.cases.chain.inputs import StepInput
from barnskydd.cases.chain.spec import BY_INPUT, STEPS, Record, StepSpec
from barnskydd.cases.chain.transitions import Step, next_status
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case
from barnskydd.cases.service import audit_case
from barnskydd.core.actor import Actor
from barnskydd.core.errors import DomainError
from barnskydd.staff.competence.rules import Judgement

__all__ = ["STEPS", "StepSpec", "Taken", "take"]


@dataclass(frozen=True, slots=True)
class Taken:
    """A step taken: the row it wrote (or changed), the case's status after it, and the
    warning of the qualification check (25 kap. 1 §) when the municipality warns."""

    record: Record
    status: CaseStatus
    warning: Judgement | None = None


def take(session: Session, *, actor: Actor, case: Case, data: StepInput) -> Taken:
    """Take one step: the transition, the step's checks, its write, the audit entry, the hooks."""
    spec = BY_INPUT[type(data)]
    status = next_status(case.status, spec.step, getattr(data, "outcome", None))
    co_signed_by: str | None = getattr(data, "co_signed_by", None)
    facts = CaseFacts.of(case, actor=actor, step=spec.step.value, co_signed_by=co_signed_by)
    spec.check(facts, data)
    warning = qualification(facts, spec.step.value, spec.verb, co_signed_by)
    before, case.status = case.status, status  # the handler sees where the step leads
    try:
        record = spec.handler(session, actor, case, data)
    except DomainError:
        case.status = before
        raise
    session.flush()
    signed = co_signed_by is not None and facts.standing is not None and warning is None
    audit_case(
        session,
        actor,
        case,
        action=spec.action,
        entity=spec.entity,
        entity_id=record.id,
        purpose=signatures.purpose(spec.purpose, co_signed_by if signed else None),
    )
    if signed and co_signed_by is not None:
        signatures.co_signed(session, case, spec.step.value, record.id, actor, co_signed_by)
    if warning is not None:
        signatures.warned(session, actor, case, spec.step.value, record.id, warning)
    if spec.refreshes_lookup:
        hooks.child_changed(session, case.child_id)
    return Taken(record, status, warning)


def spec_of(step: Step) -> StepSpec:
    """Return the spec of a step."""
    return STEPS[step]
