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
from barnskydd.cases.chain.checks import CaseFacts
from barnskydd.cases.chain.inputs import StepInput
from barnskydd.cases.chain.spec import BY_INPUT, STEPS, Record, StepSpec
from barnskydd.cases.chain.transitions import Step, next_status
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case
from barnskydd.cases.service import audit_case
from barnskydd.core.actor import Actor
from barnskydd.core.errors import DomainError

__all__ = ["STEPS", "StepSpec", "Taken", "take"]


@dataclass(frozen=True, slots=True)
class Taken:
    """A step taken: the row it wrote (or changed) and the case's status after it."""

    record: Record
    status: CaseStatus


def take(session: Session, *, actor: Actor, case: Case, data: StepInput) -> Taken:
    """Take one step: the transition, the step's check, its write, the audit entry, the hooks."""
    spec = BY_INPUT[type(data)]
    status = next_status(case.status, spec.step, getattr(data, "outcome", None))
    spec.check(CaseFacts.of(case), data)
    before, case.status = case.status, status  # the handler sees where the step leads
    try:
        record = spec.handler(session, actor, case, data)
    except DomainError:
        case.status = before
        raise
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action=spec.action,
        entity=spec.entity,
        entity_id=record.id,
        purpose=spec.purpose,
    )
    if spec.refreshes_lookup:
        hooks.child_changed(session, case.child_id)
    return Taken(record, status)


def spec_of(step: Step) -> StepSpec:
    """Return the spec of a step."""
    return STEPS[step]
