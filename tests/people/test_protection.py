"""A registration raises a child's protected identity or keeps it, never lowers it.

Lowering (or any other change) is a team lead's or an administrator's decision, audited with
who, when and why; a case worker is refused and another unit's lead finds no case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import service as cases
from barnskydd.cases.codes import ReporterCategory
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.people.codes import (
    PROTECTION_RANK,
    ProtectedIdentity,
    ProtectionChange,
    is_lower,
    strongest,
)
from barnskydd.reference.municipalities import get as municipality
from barnskydd.staff import service as staff
from barnskydd.synth.identities import SynthChild
from barnskydd.synth.reports import report_data as synthetic_report
from tests.factories import CHILD_PNR, registered_case, unit_and_worker

RECEIVED = dt.datetime(2025, 9, 1, 10, 0, tzinfo=SWEDEN)
PURPOSE = "handläggning"
P = ProtectedIdentity
# (stored, asked for by a later registration): every pair where the later one protects less.
LOWER = [
    (P.PROTECTED_REGISTRATION, P.CONFIDENTIALITY_MARKING),
    (P.PROTECTED_REGISTRATION, P.NONE),
    (P.FICTITIOUS_IDENTITY, P.PROTECTED_REGISTRATION),
    (P.FICTITIOUS_IDENTITY, P.CONFIDENTIALITY_MARKING),
    (P.CONFIDENTIALITY_MARKING, P.NONE),
]


def _member(session: Session, username: str, role: Role, unit_id: int | None) -> Actor:
    member = staff.create(
        session, username=username, display_name=username.title(), role=role, unit_id=unit_id
    )
    return staff.actor_for(member)


def _level(session: Session, case: Case) -> ProtectedIdentity:
    session.expire(case.child)
    return case.child.protected_identity


def _protection_entries(session: Session) -> list[tuple[str, str, str | None]]:
    audit.append_pending(session)  # entries are chained and written at commit
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "protected_identity").order_by(AuditEntry.seq)
    )
    return [(e.actor, e.role, e.purpose) for e in entries]


def test_the_levels_are_ordered_from_none_to_fictitious_identity() -> None:
    assert sorted(ProtectedIdentity, key=PROTECTION_RANK.__getitem__) == [
        P.NONE,
        P.CONFIDENTIALITY_MARKING,
        P.PROTECTED_REGISTRATION,
        P.FICTITIOUS_IDENTITY,
    ]
    assert set(PROTECTION_RANK) == set(ProtectedIdentity)
    # Not the order of the values as strings, where "none" would be the strongest.
    assert strongest(P.NONE, P.FICTITIOUS_IDENTITY) is P.FICTITIOUS_IDENTITY
    assert is_lower(P.CONFIDENTIALITY_MARKING, P.PROTECTED_REGISTRATION)
    assert not is_lower(P.PROTECTED_REGISTRATION, P.PROTECTED_REGISTRATION)


@pytest.mark.parametrize(("stored", "asked"), LOWER)
def test_a_registration_never_lowers_a_childs_protection(
    session: Session, stored: ProtectedIdentity, asked: ProtectedIdentity
) -> None:
    unit_id, anna = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id)
    earlier = registered_case(
        session,
        unit_id,
        anna,
        received_at=RECEIVED,
        protected_identity=stored,
        assigned_to_id=anna.staff_id,
    )
    later = registered_case(
        session,
        unit_id,
        bo,
        received_at=RECEIVED + dt.timedelta(days=1),
        protected_identity=asked,
        assigned_to_id=bo.staff_id,
    )
    assert later.child_id == earlier.child_id
    assert _level(session, earlier) is stored
    if stored in (P.PROTECTED_REGISTRATION, P.FICTITIOUS_IDENTITY):
        with pytest.raises(NotFound):
            cases.get(session, actor=bo, case_id=earlier.id, purpose=PURPOSE)
        seen = cases.get_for_child(session, actor=bo, child_id=earlier.child_id, purpose=PURPOSE)
        assert [c.id for c in seen] == [later.id]
    assert _protection_entries(session) == []  # nothing changed, so no change is recorded


def test_a_registration_raises_a_childs_protection_and_the_trail_says_so(
    session: Session,
) -> None:
    unit_id, anna = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id)
    earlier = registered_case(session, unit_id, anna, received_at=RECEIVED)
    registered_case(
        session,
        unit_id,
        bo,
        received_at=RECEIVED + dt.timedelta(days=1),
        protected_identity=P.PROTECTED_REGISTRATION,
        assigned_to_id=bo.staff_id,
    )
    assert _level(session, earlier) is P.PROTECTED_REGISTRATION
    with pytest.raises(NotFound):
        cases.get(session, actor=anna, case_id=earlier.id, purpose=PURPOSE)
    assert _protection_entries(session) == [
        ("bo", "case_worker", "höjd vid ny anmälan: Ingen till Skyddad folkbokföring")
    ]


def test_only_a_named_decision_lowers_it_and_the_trail_says_who_and_why(
    session: Session,
) -> None:
    unit_id, anna = unit_and_worker(session)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    case = registered_case(
        session, unit_id, lead, received_at=RECEIVED, protected_identity=P.PROTECTED_REGISTRATION
    )
    with pytest.raises(NotFound):
        cases.get(session, actor=anna, case_id=case.id, purpose=PURPOSE)
    cases.change_protection(
        session,
        actor=lead,
        case_number=case.case_number,
        level=P.CONFIDENTIALITY_MARKING,
        reason=ProtectionChange.REGISTER_DECISION,
    )
    assert _level(session, case) is P.CONFIDENTIALITY_MARKING
    assert cases.get(session, actor=anna, case_id=case.id, purpose=PURPOSE) is case
    assert _protection_entries(session) == [
        (
            "lisa",
            "team_lead",
            "Skatteverkets beslut: Skyddad folkbokföring till Sekretessmarkering",
        )
    ]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "protected_identity")
    ).one()
    assert (entry.child_id, entry.case_id, entry.action) == (case.child_id, case.id, "update")


def test_a_decision_is_refused_to_others_as_the_app_refuses_them(session: Session) -> None:
    unit_id, anna = unit_and_worker(session)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    other_unit, _ = unit_and_worker(session, name="Barn och unga Väster", username="bertil")
    other_lead = _member(session, "olle", Role.TEAM_LEAD, other_unit)
    analyst = _member(session, "alva", Role.ANALYST, None)
    case = registered_case(
        session,
        unit_id,
        anna,
        received_at=RECEIVED,
        protected_identity=P.PROTECTED_REGISTRATION,
        assigned_to_id=anna.staff_id,
    )
    number = case.case_number
    lower = {"level": P.NONE, "reason": ProtectionChange.REGISTERED_IN_ERROR}
    for refused in (anna, analyst):  # even the assigned worker; refused before any look-up
        with pytest.raises(PermissionDenied, match="Bara arbetsledare och administratörer"):
            cases.change_protection(session, actor=refused, case_number=number, **lower)
    with pytest.raises(NotFound) as hidden:
        cases.change_protection(session, actor=other_lead, case_number=number, **lower)
    unknown = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(NotFound) as missing:
        cases.change_protection(session, actor=other_lead, case_number=unknown, **lower)
    assert hidden.value.message == missing.value.message.replace(unknown, number)
    with pytest.raises(InvalidInput, match="redan den nivån"):
        cases.change_protection(
            session,
            actor=lead,
            case_number=number,
            level=P.PROTECTED_REGISTRATION,
            reason=ProtectionChange.REGISTER_DECISION,
        )
    assert _level(session, case) is P.PROTECTED_REGISTRATION
    assert _protection_entries(session) == []
    admin = Actor(username="admin", role=Role.ADMIN)
    cases.change_protection(session, actor=admin, case_number=number, **lower)
    assert _level(session, case) is P.NONE


def test_the_generators_registration_never_lowers_a_childs_protection(session: Session) -> None:
    unit_id, anna = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id)
    child = SynthChild(CHILD_PNR, "Saga", "Lind", dt.date(2015, 9, 16), P.PROTECTED_REGISTRATION)
    rng = random.Random(1)

    def register(actor: Actor, level: ProtectedIdentity, day: int) -> Case:
        data = synthetic_report(
            rng,
            child=dataclasses.replace(child, protected=level),
            team_unit_id=unit_id,
            actor=actor,
            received_at=RECEIVED + dt.timedelta(days=day),
            reporter=ReporterCategory.SCHOOL,
            municipality=municipality("1480"),
        )
        return cases.register_report(session, actor=actor, data=data)

    earlier = register(anna, P.PROTECTED_REGISTRATION, 0)
    register(bo, P.CONFIDENTIALITY_MARKING, 1)
    register(bo, P.NONE, 2)
    assert _level(session, earlier) is P.PROTECTED_REGISTRATION
    with pytest.raises(NotFound):
        cases.get(session, actor=bo, case_id=earlier.id, purpose=PURPOSE)
