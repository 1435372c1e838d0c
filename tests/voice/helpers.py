"""A case at its follow-up, for the voice tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import InterventionCategory, InvestigationOutcome, PreliminaryOutcome
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from tests.factories import registered_case, take


def case_at_follow_up(session: Session, unit_id: int, actor: Actor, **overrides: Any) -> Case:
    """Register a report (received 2025-06-19) and take it to a running open-care intervention."""
    case = registered_case(session, unit_id, actor, **overrides)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=dt.datetime(2025, 6, 19, 11, 0, tzinfo=SWEDEN),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=dt.date(2025, 6, 20),
        outcome=PreliminaryOutcome.INVESTIGATION_OPENED,
    )
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=actor,
        case_id=case.id,
        category=InterventionCategory.OPEN_CARE,
        legal_basis="sol",
        decided_on=dt.date(2025, 7, 1),
    )
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=actor,
        case_id=case.id,
        completed_on=dt.date(2025, 7, 2),
        outcome=InvestigationOutcome.INTERVENTIONS,
    )
    return case


def follow_up(session: Session, actor: Actor, case: Case, **fields: Any) -> Any:
    """Take a follow-up step on 2025-10-01 with the given voice fields."""
    return take(
        session,
        Step.FOLLOW_UP,
        actor=actor,
        case_id=case.id,
        followed_up_on=dt.date(2025, 10, 1),
        **fields,
    )


def placed(session: Session, actor: Actor, case: Case) -> int:
    """Decide a family home placement from 2025-07-01 in the case; return its id."""
    placement = take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=actor,
        case_id=case.id,
        category=InterventionCategory.FAMILY_HOME,
        legal_basis="sol",
        decided_on=dt.date(2025, 7, 1),
    )
    return int(placement.id)


def review(session: Session, actor: Actor, case: Case, placement: int, **fields: Any) -> Any:
    """Take an övervägande of the placement on 2025-12-20 with the given voice fields."""
    return take(
        session,
        Step.REVIEW_PLACEMENT,
        actor=actor,
        case_id=case.id,
        intervention_id=placement,
        reviewed_on=dt.date(2025, 12, 20),
        **fields,
    )
