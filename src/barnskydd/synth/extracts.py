"""A few register extract requests for the demo, registered by each unit's team lead.

Not calibrated: no national figure for extract requests to the social services was found.
About one request per 200 reports of the period, at least one and at most six, received in
the last six weeks before the end so that the inbox shows some with days left and some late.
Most come from a guardian (custody checked), some from the person themselves. Registered
through the extract service, like a request on the desk.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.models import Case
from barnskydd.core.actor import Role
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import Requester
from barnskydd.people.models import Child
from barnskydd.people.rules import parse_identity
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember

REPORTS_PER_REQUEST = 200
MAX_REQUESTS = 6
WINDOW_DAYS = 42
GUARDIAN_SHARE = 0.7


def add(session: Session, *, seed: int, end: dt.date) -> int:
    """Register the demo's requests; return how many."""
    rng = random.Random(seed + 15)  # a stream of its own: the rest of the run is unchanged
    leads = list(
        session.scalars(
            select(StaffMember).where(StaffMember.role == Role.TEAM_LEAD).order_by(StaffMember.id)
        )
    )
    if not leads:
        return 0
    reports = session.scalar(select(func.count(Case.id))) or 0
    wanted = max(1, min(MAX_REQUESTS, reports // REPORTS_PER_REQUEST))
    added = 0
    for n in range(wanted):
        lead = leads[n % len(leads)]
        numbers = list(
            session.scalars(
                select(Child.identity_number)
                .join(Case, Case.child_id == Child.id)
                .where(Case.unit_id == lead.unit_id)
                .distinct()
                .order_by(Child.identity_number)
            )
        )
        if not numbers:
            continue
        guardian = rng.random() < GUARDIAN_SHARE
        extracts.create(
            session,
            actor=staff.actor_for(lead),
            identity=parse_identity(rng.choice(numbers), today=end),
            received_on=end - dt.timedelta(days=rng.randrange(WINDOW_DAYS)),
            requester=Requester.GUARDIAN if guardian else Requester.SELF,
            custody_checked=guardian,
            today=end,
        )
        added += 1
    return added
