"""What `take` writes beside a reserved step: its co-signature, or the qualification warning.

Both are rows of their own (barnskydd.staff.competence.models), removed with the case, and
each is named in the audit trail: the co-signer asked for in the step's own entry, the
warning in an entry of its own.

A co-signature is not the worker's word: the step is taken and its `step_co_signature` row
awaits the co-signer, who confirms it themselves, logged in as themselves (the desk's
/medundertecknande, `barnskydd staff competence co-sign ID --as USER`, the API's
POST /api/v1/co-signatures/{id}/confirm). Only the co-signer named in the row can confirm,
only while they may still co-sign for the worker and may see the case; the confirmation is
audited against the case under the co-signer's own name. Until then the case page shows the
step as awaiting co-signature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.chain.spec import STEPS
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Case
from barnskydd.cases.service import audit_case
from barnskydd.core.actor import Actor
from barnskydd.core.db import utcnow
from barnskydd.core.errors import NotFound, PermissionDenied
from barnskydd.staff.competence.models import QualificationWarning, StepCoSignature
from barnskydd.staff.competence.rules import Judgement, reserved
from barnskydd.staff.competence.standing import co_signers
from barnskydd.staff.models import StaffMember

MSG_NO_SIGNATURE = "Ingen sådan medundertecknande väntar på dig."


def purpose(step_purpose: str | None, co_signer: str | None) -> str | None:
    """Return the step's audit purpose, naming the co-signer it awaits when it has one."""
    signed = f"väntar på medundertecknande av {co_signer}" if co_signer else None
    return "; ".join(p for p in (step_purpose, signed) if p) or None


def co_signed(
    session: Session, case: Case, step: str, record_id: int, actor: Actor, co_signer: str
) -> StepCoSignature:
    """Record the co-signature a step awaits from the co-signer the worker named."""
    signature = StepCoSignature(
        case_id=case.id, step=step, record_id=record_id, actor=actor.username, co_signer=co_signer
    )
    session.add(signature)
    session.flush()
    return signature


@dataclass(frozen=True, slots=True)
class Signature:
    """A step's co-signature as shown: who took the step, who is to co-sign, and whether done."""

    id: int
    case_id: int
    case_number: str
    step: str
    step_title: str
    actor: str
    co_signer: str
    at: dt.datetime
    confirmed_at: dt.datetime | None

    @property
    def awaiting(self) -> bool:
        """Whether the step still awaits its co-signer's confirmation."""
        return self.confirmed_at is None

    def as_json(self) -> dict[str, object]:
        """Return the co-signature as the API and the CLI's JSON print it."""
        return {
            "id": self.id,
            "case_number": self.case_number,
            "step": self.step,
            "actor": self.actor,
            "co_signer": self.co_signer,
            "at": self.at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
        }


def _title(step: str) -> str:
    try:
        return STEPS[Step(step)].title
    except ValueError:
        return step


def _shown(row: StepCoSignature, case_number: str) -> Signature:
    return Signature(
        id=row.id,
        case_id=row.case_id,
        case_number=case_number,
        step=row.step,
        step_title=_title(row.step),
        actor=row.actor,
        co_signer=row.co_signer,
        at=row.at,
        confirmed_at=row.confirmed_at,
    )


def of_case(session: Session, case: Case) -> list[Signature]:
    """Return a case's co-signatures, the earliest first (the case page's read covers it)."""
    rows = session.scalars(
        select(StepCoSignature)
        .where(StepCoSignature.case_id == case.id)
        .order_by(StepCoSignature.at, StepCoSignature.id)
    )
    return [_shown(r, case.case_number) for r in rows]


def awaiting_me(session: Session, *, actor: Actor) -> list[Signature]:
    """Return the co-signatures that await the actor, the earliest first (case numbers only)."""
    rows = session.execute(
        select(StepCoSignature, Case.case_number)
        .join(Case, Case.id == StepCoSignature.case_id)
        .where(StepCoSignature.co_signer == actor.username, StepCoSignature.confirmed_at.is_(None))
        .order_by(StepCoSignature.at, StepCoSignature.id)
    )
    return [_shown(row, number) for row, number in rows]


def confirm(session: Session, *, actor: Actor, signature_id: int, today: dt.date) -> Signature:
    """Confirm, as the co-signer named, a step that awaits the actor's co-signature.

    Anyone else, and a co-signature already confirmed or that does not exist, get the same
    NotFound. The co-signer must still be allowed to co-sign for the worker (qualified,
    independent, mentor, team lead of the unit or named) and may see the case; the case's
    read and the confirmation are audited under the co-signer's name.
    """
    row = session.get(StepCoSignature, signature_id)
    if row is None or row.co_signer != actor.username or row.confirmed_at is not None:
        raise NotFound(MSG_NO_SIGNATURE)
    case = cases.get(session, actor=actor, case_id=row.case_id, purpose="medundertecknande")
    worker = session.scalars(
        select(StaffMember.id).where(StaffMember.username == row.actor)
    ).first()
    if worker is None or actor.username not in co_signers(session, worker, today):
        raise PermissionDenied(
            f"{actor.username} får inte längre medunderteckna för {row.actor}: "
            f"medundertecknaren ska vara behörig, arbeta självständigt och vara utsedd för "
            f"{row.actor}, {reserved().experience_reference}.",
            field="signature",
        )
    row.confirmed_at = utcnow()
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="co_sign",
        entity="step_co_signature",
        entity_id=row.id,
        purpose=f"medundertecknat {row.step} för {row.actor}",
    )
    return _shown(row, case.case_number)


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
