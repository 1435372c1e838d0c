"""The family: guardians (audited, their address hidden with a protected child's) and siblings."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import family
from barnskydd.cases import service as cases
from barnskydd.cases.family import GuardianChange, GuardianInput
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput
from barnskydd.people import access
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR, registered_case, report_data, unit_and_worker

MOTHER_PNR = "19850412-4564"  # synthetic, valid check digit
FATHER_PNR = "19830101-0156"


def _queued(session: Session, action: str, entity: str) -> int:
    """Count the audit entries of an action on an entity (chained and written first)."""
    audit.append_pending(session)  # what commit does
    written = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.entity == entity)
    )
    return written or 0


def _mother(**overrides: Any) -> GuardianInput:
    fields = {
        "identity": MOTHER_PNR,
        "first_name": "Lena",
        "last_name": "Lind",
        "relation": "mother",
        "phone": "070-123 45 67",
        "address": "Storgatan 1, 451 30 Uddevalla",
        "shares_child_address": "ja",
        "interpreter": "ar",
    }
    fields.update(overrides)
    return GuardianInput.from_text(fields)


def _lead(session: Session, unit_id: int) -> Actor:
    lead = staff.create(
        session, username="lisa", display_name="Lisa", role=Role.TEAM_LEAD, unit_id=unit_id
    )
    return staff.actor_for(lead)


def test_a_guardian_is_recorded_with_custody_from_the_relation_and_audited(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    guardian = family.add_guardian(session, actor=worker, case=case, data=_mother())
    assert guardian.custody is True
    listed = family.list_guardians(session, actor=worker, case=case, purpose="handläggning")
    assert [(g.first_name, g.relation_label, g.interpreter_label) for g in listed] == [
        ("Lena", "Mamma", "arabiska")
    ]
    assert _queued(session, "create", "guardian") == 1
    assert _queued(session, "read", "guardian") == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"identity": "19850412-4563"}, "identity"),
        ({"first_name": "<b>Lena</b>"}, "first_name"),
        ({"phone": "ring mig"}, "phone"),
        ({"email": "lena.exempel.se"}, "email"),
        ({"relation": "aunt"}, "relation"),
        ({"interpreter": "klingon"}, "interpreter"),
    ],
)
def test_bad_guardian_input_is_refused_on_its_field(fields: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _mother(**fields)
    assert [e["loc"][0] for e in caught.value.errors()] == [field]


def test_custody_is_for_parents_and_guardians_and_at_most_two(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    with pytest.raises(InvalidInput) as caught:
        family.add_guardian(
            session, actor=worker, case=case, data=_mother(relation="step_parent", custody="ja")
        )
    assert caught.value.field == "custody"
    family.add_guardian(session, actor=worker, case=case, data=_mother())
    family.add_guardian(
        session,
        actor=worker,
        case=case,
        data=_mother(identity=FATHER_PNR, first_name="Per", relation="father"),
    )
    with pytest.raises(InvalidInput, match="högst två"):
        family.add_guardian(
            session,
            actor=worker,
            case=case,
            data=_mother(identity="", first_name="Eva", relation="appointed_guardian"),
        )
    with pytest.raises(InvalidInput) as caught:
        family.add_guardian(session, actor=worker, case=case, data=_mother(custody="nej"))
    assert caught.value.field == "identity"  # the same person twice


def _protected_case(session: Session) -> tuple[Case, Actor, Actor]:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(
        session,
        unit_id,
        worker,
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
        assigned_to_id=worker.staff_id,
    )
    return case, worker, _lead(session, unit_id)


def test_a_protected_childs_address_hides_the_guardians_who_share_it(session: Session) -> None:
    case, worker, lead = _protected_case(session)
    sharing = family.add_guardian(session, actor=worker, case=case, data=_mother())
    apart = family.add_guardian(
        session,
        actor=worker,
        case=case,
        data=_mother(
            identity=FATHER_PNR,
            first_name="Per",
            relation="father",
            shares_child_address="nej",
            address="Lillgatan 2, Göteborg",
        ),
    )
    # The lead sees the case, but is not named for the child: the shared address is hidden.
    seen = {g.id: g for g in family.list_guardians(session, actor=lead, case=case, purpose="x y")}
    assert seen[sharing.id].contact_hidden
    assert (seen[sharing.id].address, seen[sharing.id].phone) == (None, None)
    assert seen[apart.id].address == "Lillgatan 2, Göteborg"
    assert (
        family.letter_recipients(session, actor=lead, case=case, purpose="beslut")[0].address
        is None
    )
    # The assigned worker is named: sees it.
    mine = family.list_guardians(session, actor=worker, case=case, purpose="handläggning")
    assert {g.id: g.address for g in mine}[sharing.id] == "Storgatan 1, 451 30 Uddevalla"
    # The lead cannot overwrite what is hidden from them.
    with pytest.raises(InvalidInput):
        family.update_guardian(
            session, actor=lead, case=case, guardian_id=sharing.id, changes={"address": "Ny 1"}
        )


def test_the_same_address_as_the_child_is_hidden_without_the_flag(session: Session) -> None:
    case, worker, lead = _protected_case(session)
    case.child.address = "Storgatan 1, 451 30 Uddevalla"
    family.add_guardian(session, actor=worker, case=case, data=_mother(shares_child_address="nej"))
    (seen,) = family.list_guardians(session, actor=lead, case=case, purpose="handläggning")
    assert seen.contact_hidden
    assert seen.address is None
    assert access.visible_address(case.child) is None


def test_a_guardian_is_changed_and_removed_with_audit(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    guardian = family.add_guardian(session, actor=worker, case=case, data=_mother())
    changes = GuardianChange.model_validate({"phone": None, "custody": False}).changes()
    family.update_guardian(
        session, actor=worker, case=case, guardian_id=guardian.id, changes=changes
    )
    assert (guardian.phone, guardian.custody) == (None, False)
    family.remove_guardian(session, actor=worker, case=case, guardian_id=guardian.id)
    assert family.list_guardians(session, actor=worker, case=case, purpose="handläggning") == []
    assert _queued(session, "update", "guardian") == 1
    assert _queued(session, "delete", "guardian") == 1
    with pytest.raises(ValidationError):
        GuardianChange.model_validate({"first_name": None})


def test_a_report_about_siblings_opens_one_linked_case_per_child(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    sibling = {"identity": OTHER_CHILD_PNR, "first_name": "Elis", "last_name": "Lind"}
    case = cases.register_report(
        session, actor=worker, data=report_data(unit_id, siblings=[sibling])
    )
    (other_number,) = family.group_cases(session, case=case)
    other = session.scalars(select(Case).where(Case.case_number == other_number)).one()
    assert other.report_group == case.report_group == case.id
    assert other.report.free_text == case.report.free_text
    assert [s.case_number for s in family.sibling_cases(session, actor=worker, case=other)] == [
        case.case_number
    ]


def test_a_protected_siblings_case_is_not_listed_to_one_not_named(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    sibling = {
        "identity": OTHER_CHILD_PNR,
        "first_name": "Elis",
        "last_name": "Lind",
        "protected_identity": "protected_registration",
    }
    case = cases.register_report(
        session, actor=worker, data=report_data(unit_id, siblings=[sibling])
    )
    assert family.sibling_cases(session, actor=worker, case=case) == []
    lead = _lead(session, unit_id)
    assert len(family.sibling_cases(session, actor=lead, case=case)) == 1


def test_the_same_child_twice_among_the_siblings_is_refused() -> None:
    twin = {"identity": "20150916-9874", "first_name": "Saga", "last_name": "Lind"}
    with pytest.raises(ValidationError, match="två gånger"):
        report_data(1, siblings=[twin])


def test_a_sibling_too_old_undoes_the_whole_registration(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    old = {"identity": "19900101-0017", "first_name": "Åke", "last_name": "Lind"}
    savepoint = session.begin_nested()
    with pytest.raises(InvalidInput) as caught:
        cases.register_report(session, actor=worker, data=report_data(unit_id, siblings=[old]))
    assert caught.value.field == "siblings.0.identity"
    savepoint.rollback()
    assert session.scalar(select(func.count()).select_from(Child)) == 0
