"""Factories for the decisions' tests: a case under investigation, with custodians."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases import family
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import InterventionCategory, LegalBasis, PreliminaryOutcome
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.people.models import Guardian
from barnskydd.people.rules import luhn_check_digit
from tests.factories import registered_case, take

RECEIVED = dt.datetime(2025, 6, 19, 10, 0, tzinfo=SWEDEN)
MOTHER_PNR = "19850412-4564"  # synthetic, valid check digit
FATHER_PNR = "19830101-0156"


def identity_born(born: dt.date, serial: str = "238") -> str:
    """Return a synthetic personnummer (valid check digit) of someone born on a day."""
    nine = f"{born:%y%m%d}{serial}"
    return f"{born:%Y%m%d}-{serial}{luhn_check_digit(nine)}"


def investigating(session: Session, unit_id: int, actor: Actor, **overrides: Any) -> Case:
    """Register a report and open its investigation; return the case."""
    case = registered_case(session, unit_id, actor, **overrides)
    case.assigned_to_id = actor.staff_id  # named for the child, should it be protected
    session.flush()
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=dt.date(2025, 6, 25),
        outcome=PreliminaryOutcome.INVESTIGATION_OPENED,
    )
    return case


def parents(
    session: Session, actor: Actor, case: Case, *, mother_lives_with_child: bool = True
) -> tuple[Guardian, Guardian]:
    """Record both parents as custodians; the mother shares the child's address."""
    mother = family.add_guardian(
        session,
        actor=actor,
        case=case,
        data=GuardianInput.from_text(
            {
                "identity": MOTHER_PNR,
                "first_name": "Lena",
                "last_name": "Lind",
                "relation": "mother",
                "address": "Storgatan 1, 451 30 Uddevalla",
                "shares_child_address": "ja" if mother_lives_with_child else "nej",
            }
        ),
    )
    father = family.add_guardian(
        session,
        actor=actor,
        case=case,
        data=GuardianInput.from_text(
            {
                "identity": FATHER_PNR,
                "first_name": "Per",
                "last_name": "Lind",
                "relation": "father",
                "address": "Kungsgatan 5, 411 19 Göteborg",
                "shares_child_address": "nej",
            }
        ),
    )
    return mother, father


def refuse(session: Session, actor: Actor, case: Case, on: dt.date, **fields: Any) -> Any:
    """Refuse an application for open care on a day; return the decision."""
    values: dict[str, Any] = {
        "category": InterventionCategory.OPEN_CARE,
        "applied_on": on - dt.timedelta(days=10),
        "decided_on": on,
        "reason": "Behovet tillgodoses på annat sätt.",
    }
    values.update(fields)
    return take(session, Step.REFUSE_INTERVENTION, actor=actor, case_id=case.id, **values)


def grant(session: Session, actor: Actor, case: Case, on: dt.date, **fields: Any) -> Any:
    """Grant an intervention (family home under SoL by default); return the intervention."""
    values: dict[str, Any] = {
        "category": InterventionCategory.FAMILY_HOME,
        "legal_basis": LegalBasis.SOL,
        "decided_on": on,
    }
    values.update(fields)
    return take(session, Step.DECIDE_INTERVENTION, actor=actor, case_id=case.id, **values)
