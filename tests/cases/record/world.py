"""A case with an open investigation, for the plan's and the communications' tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from tests.factories import opened_investigation, unit_and_worker

RECEIVED = dt.datetime(2025, 6, 19, 10, 0, tzinfo=SWEDEN)  # the factories' report
OPENED = dt.date(2025, 6, 25)


def investigated(session: Session) -> tuple[Case, Actor]:
    """Register a report and open its investigation on OPENED; return the case, its worker."""
    unit_id, worker = unit_and_worker(session)
    case = opened_investigation(session, unit_id, worker, received=RECEIVED, decided=OPENED)
    session.expire_all()
    return cases.load(session, case.id), worker
