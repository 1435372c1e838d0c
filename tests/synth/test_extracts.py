"""The synthetic municipality's register extract requests: a few, registered by team leads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Role
from barnskydd.extract.models import ExtractRequest
from barnskydd.extract.rules import due
from barnskydd.people.models import Child
from barnskydd.staff.models import StaffMember
from tests.synth.test_generator import END, _small


def test_a_few_requests_of_generated_children_are_open_at_the_end(session: Session) -> None:
    _small(session)
    requests = list(session.scalars(select(ExtractRequest)))
    assert 1 <= len(requests) <= 6
    leads = set(
        session.scalars(select(StaffMember.username).where(StaffMember.role == Role.TEAM_LEAD))
    )
    children = set(session.scalars(select(Child.identity_number)))
    for r in requests:
        assert r.registered_by in leads
        assert r.identity_number in children
        assert END - dt.timedelta(days=42) < r.received_on <= END
        assert r.due == due(r.received_on)
        assert r.produced_at is None
