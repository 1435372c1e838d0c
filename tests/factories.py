"""Factories for the case chain's tests: a unit, its staff and valid report data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases import chain
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import Channel, Concern, ReporterCategory
from barnskydd.cases.models import Case
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.staff import service as staff

# Synthetic identity numbers with a valid check digit (made up for the tests).
CHILD_PNR = "20150916-9874"
OTHER_CHILD_PNR = "20120512-9271"


def unit_and_worker(
    session: Session, name: str = "Barn och unga Centrum", username: str = "anna"
) -> tuple[int, Actor]:
    """Create a unit with one case worker and return the unit id and the worker as actor."""
    unit = staff.create_unit(session, name=name, municipality_code="1480")
    worker = staff.create(
        session,
        username=username,
        display_name="Anna Andersson",
        role=Role.CASE_WORKER,
        unit_id=unit.id,
    )
    return unit.id, staff.actor_for(worker)


def report_data(unit_id: int, **overrides: Any) -> ReportCreate:
    """Return valid report data, with any field overridden."""
    fields: dict[str, Any] = {
        "child_identity": CHILD_PNR,
        "child_first_name": "Saga",
        "child_last_name": "Lind",
        "received_at": dt.datetime(2025, 6, 19, 10, 0, tzinfo=SWEDEN),
        "channel": Channel.PHONE,
        "reporter_category": ReporterCategory.SCHOOL,
        "mandatory_reporter": True,
        "reporter_organisation": "Testskolan",
        "concerns": [Concern.NEGLECT, Concern.SCHOOL_ABSENCE],
        "free_text": "Syntetisk anmälan för test.",
        "unit_id": unit_id,
    }
    fields.update(overrides)
    return ReportCreate(**fields)


def registered_case(session: Session, unit_id: int, actor: Actor, **overrides: Any) -> Case:
    """Register a report and return its case."""
    return cases.register_report(session, actor=actor, data=report_data(unit_id, **overrides))


def take(session: Session, step: Step, *, actor: Actor, case_id: int, **fields: Any) -> Any:
    """Take one step as the edges do (authorize, input model, chain.take); return the record."""
    case = cases.load(session, case_id, whole_chain=False)
    cases.authorize(actor, case)
    data = chain.STEPS[step].input.model_validate(fields)
    return chain.take(session, actor=actor, case=case, data=data).record


def opened_investigation(
    session: Session,
    unit_id: int,
    actor: Actor,
    *,
    received: dt.datetime,
    decided: dt.date,
    **overrides: Any,
) -> Case:
    """Register a report, assess protection an hour later and open an investigation."""
    case = registered_case(session, unit_id, actor, received_at=received, **overrides)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=received + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=decided,
        outcome="investigation_opened",
    )
    return case
