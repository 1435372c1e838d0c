"""What `take` writes beside a reserved step: its co-signature, or the qualification warning.

Both are rows of their own (barnskydd.staff.competence.models), removed with the case, and
each is named in the audit trail: the co-signer in the step's own entry, the warning in an
entry of its own.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from barnskydd.cases.models import Case
from barnskydd.cases.service import audit_case
from barnskydd.core.actor import Actor
from barnskydd.staff.competence.models import QualificationWarning, StepCoSignature
from barnskydd.staff.competence.rules import Judgement


def purpose(step_purpose: str | None, co_signer: str | None) -> str | None:
    """Return the step's audit purpose, naming its co-signer when it has one."""
    signed = f"medundertecknat av {co_signer}" if co_signer else None
    return "; ".join(p for p in (step_purpose, signed) if p) or None


def co_signed(
    session: Session, case: Case, step: str, record_id: int, actor: Actor, co_signer: str
) -> StepCoSignature:
    """Record that a co-signer signed the step with the worker who took it."""
    signature = StepCoSignature(
        case_id=case.id, step=step, record_id=record_id, actor=actor.username, co_signer=co_signer
    )
    session.add(signature)
    session.flush()
    return signature


def warned(
    session: Session, actor: Actor, case: Case, step: str, record_id: int, judgement: Judgement
) -> QualificationWarning:
    """Record the warning of a reserved step taken by a worker who falls short, and audit it."""
    warning = QualificationWarning(
        case_id=case.id,
        step=step,
        record_id=record_id,
        actor=actor.username,
        shortfall=judgement.shortfall,
        reference=judgement.reference,
    )
    session.add(warning)
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="warn",
        entity="qualification_warning",
        entity_id=warning.id,
        purpose=f"behörighet: {judgement.shortfall.value}",
    )
    return warning
