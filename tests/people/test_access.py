"""Protected identity: named staff only, enforced in cases.service.authorize for every path."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.people import access
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR, registered_case, take, unit_and_worker

RECEIVED = dt.datetime(2025, 9, 1, 10, 0, tzinfo=SWEDEN)
PURPOSE = "handläggning"


def _member(session: Session, username: str, role: Role, unit_id: int | None) -> Actor:
    member = staff.create(
        session, username=username, display_name=username.title(), role=role, unit_id=unit_id
    )
    return staff.actor_for(member)


def _protected_case(
    session: Session, level: ProtectedIdentity = ProtectedIdentity.PROTECTED_REGISTRATION
) -> tuple[Case, Actor, Actor, Actor]:
    """Return a protected child's case (unassigned), its unit's worker, team lead and a peer."""
    unit_id, worker = unit_and_worker(session)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    peer = _member(session, "per", Role.CASE_WORKER, unit_id)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED, protected_identity=level)
    case.child.address = "Storgatan 1"
    return case, worker, lead, peer


@pytest.mark.parametrize(
    ("level", "restricted"),
    [
        (ProtectedIdentity.NONE, False),
        (ProtectedIdentity.CONFIDENTIALITY_MARKING, False),
        (ProtectedIdentity.PROTECTED_REGISTRATION, True),
        (ProtectedIdentity.FICTITIOUS_IDENTITY, True),
    ],
)
def test_only_protected_registration_and_fictitious_identity_restrict(
    level: ProtectedIdentity, restricted: bool
) -> None:
    child = Child(protected_identity=level, address="Storgatan 1")
    assert access.is_restricted(level) is restricted
    assert access.visible_address(child) == (None if restricted else "Storgatan 1")


@pytest.mark.parametrize(
    "level", [ProtectedIdentity.PROTECTED_REGISTRATION, ProtectedIdentity.FICTITIOUS_IDENTITY]
)
def test_an_unnamed_case_worker_cannot_see_a_protected_childs_case(
    session: Session, level: ProtectedIdentity
) -> None:
    case, worker, lead, _ = _protected_case(session, level)
    with pytest.raises(NotFound):
        cases.get(session, actor=worker, case_id=case.id, purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="namngiven personal"):
        take(session, Step.CLOSE, actor=worker, case_id=case.id, closed_on=RECEIVED.date())
    assert cases.get_for_child(session, actor=worker, child_id=case.child_id, purpose=PURPOSE) == []
    assert cases.get(session, actor=lead, case_id=case.id, purpose=PURPOSE) is case
    admin = Actor(username="admin", role=Role.ADMIN)
    assert cases.get(session, actor=admin, case_id=case.id, purpose=PURPOSE) is case


def test_a_confidentiality_marking_restricts_nothing(session: Session) -> None:
    case, worker, _, _ = _protected_case(session, ProtectedIdentity.CONFIDENTIALITY_MARKING)
    assert cases.get(session, actor=worker, case_id=case.id, purpose=PURPOSE) is case


def test_the_assigned_worker_and_named_workers_see_the_case(session: Session) -> None:
    case, worker, lead, peer = _protected_case(session)
    cases.reassign(session, actor=lead, case_id=case.id, staff_id=peer.staff_id or 0)
    assert cases.get(session, actor=peer, case_id=case.id, purpose=PURPOSE) is case
    with pytest.raises(NotFound):
        cases.get(session, actor=worker, case_id=case.id, purpose=PURPOSE)
    cases.grant_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    assert cases.get(session, actor=worker, case_id=case.id, purpose=PURPOSE) is case
    assert [m.username for m in access.get_all(session, child_id=case.child_id)] == ["anna"]
    cases.revoke_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    with pytest.raises(NotFound):
        cases.get(session, actor=worker, case_id=case.id, purpose=PURPOSE)


def test_naming_and_unnaming_are_audited(session: Session) -> None:
    case, worker, lead, _ = _protected_case(session)
    cases.grant_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    cases.revoke_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    audit.append_pending(session)  # entries are chained and written at commit
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "child_access").order_by(AuditEntry.seq)
    )
    assert [(e.action, e.actor, e.entity_id, e.child_id, e.case_id) for e in entries] == [
        ("grant", "lisa", worker.staff_id, case.child_id, case.id),
        ("revoke", "lisa", worker.staff_id, case.child_id, case.id),
    ]


def test_only_a_team_lead_of_the_unit_or_admin_names_staff(session: Session) -> None:
    case, worker, _, peer = _protected_case(session)
    _, other = unit_and_worker(session, name="Barn och unga Väster", username="bertil")
    other_lead = _member(session, "olle", Role.TEAM_LEAD, other.unit_id)
    with pytest.raises(PermissionDenied):
        cases.grant_access(session, actor=peer, case_id=case.id, staff_id=worker.staff_id or 0)
    with pytest.raises(PermissionDenied):
        cases.grant_access(
            session, actor=other_lead, case_id=case.id, staff_id=worker.staff_id or 0
        )
    admin = Actor(username="admin", role=Role.ADMIN)
    cases.grant_access(session, actor=admin, case_id=case.id, staff_id=worker.staff_id or 0)


def test_naming_is_refused_for_the_wrong_person_or_child(session: Session) -> None:
    case, worker, lead, _ = _protected_case(session)
    _, other = unit_and_worker(session, name="Barn och unga Väster", username="bertil")
    for staff_id in (other.staff_id or 0, 999_999):
        with pytest.raises(InvalidInput, match="Välj en handläggare i ärendets enhet"):
            cases.grant_access(session, actor=lead, case_id=case.id, staff_id=staff_id)
    cases.grant_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    with pytest.raises(InvalidInput, match="redan åtkomst"):
        cases.grant_access(session, actor=lead, case_id=case.id, staff_id=worker.staff_id or 0)
    with pytest.raises(InvalidInput, match="ingen namngiven åtkomst"):
        cases.revoke_access(session, actor=lead, case_id=case.id, staff_id=lead.staff_id or 0)
    plain = registered_case(
        session, case.unit_id, worker, received_at=RECEIVED, child_identity=OTHER_CHILD_PNR
    )
    with pytest.raises(InvalidInput, match="enheten har redan åtkomst"):
        cases.grant_access(session, actor=lead, case_id=plain.id, staff_id=worker.staff_id or 0)
