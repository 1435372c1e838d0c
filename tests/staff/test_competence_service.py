"""Competence records through the service layer, and the chain's qualification check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import chain
from barnskydd.cases import service as cases
from barnskydd.cases.chain import signatures
from barnskydd.cases.chain.checks import reassignment_warning
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus, PreliminaryOutcome
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.core.settings import get_settings
from barnskydd.staff import employment
from barnskydd.staff import service as staff
from barnskydd.staff.competence import report
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.codes import Degree, Shortfall
from barnskydd.staff.competence.inputs import (
    CompetenceSet,
    EarlierPeriod,
    IntroductionStart,
    ItemDone,
)
from barnskydd.staff.competence.models import (
    QualificationWarning,
    StaffCompetence,
    StepCoSignature,
)
from barnskydd.staff.models import StaffMember
from tests.factories import registered_case, unit_and_worker

D = dt.date


@pytest.fixture
def refuse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BARNSKYDD_QUALIFICATION_CHECK", "refuse")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _member(
    session: Session, username: str, role: Role, unit_id: int | None, *, socionom: bool = True
) -> Actor:
    member = staff.create(
        session,
        username=username,
        display_name=username.title(),
        role=role,
        unit_id=unit_id,
        socionom=socionom,
        years_experience=6 if socionom else 0,
    )
    return staff.actor_for(member)


def test_a_socionom_created_the_old_way_is_recorded_and_anyone_else_is_not(
    session: Session,
) -> None:
    unit_id, anna = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    assert session.get(StaffCompetence, anna.staff_id) is not None
    assert session.get(StaffCompetence, bo.staff_id) is None
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    shown = competence.get(session, actor=lead, username="bo", on=today())
    assert (shown.recorded, shown.degree) == (False, None)


def test_the_team_lead_records_a_degree_and_periods_and_every_edit_and_read_is_audited(
    session: Session,
) -> None:
    unit_id, _ = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    shown = competence.update(
        session,
        actor=lead,
        username="bo",
        data=CompetenceSet.from_text(
            {
                "degree": "other_relevant",
                "degree_on": "2018-06-01",
                "degree_kind": "Beteendevetare med socialrätt och förvaltningsrätt",
                "experience_from": "2022-01-01",
            }
        ),
        earlier=[EarlierPeriod.from_text({"start_on": "2018-09-01", "end_on": "2019-08-31"})],
        today=D(2025, 1, 1),
    )
    assert shown.degree is Degree.OTHER_RELEVANT
    assert [(p.start_on, p.end_on) for p in shown.periods] == [
        (D(2018, 9, 1), D(2019, 8, 31)),
        (D(2022, 1, 1), None),
    ]
    assert shown.years == 4.0
    member = session.get(StaffMember, bo.staff_id)
    assert member is not None
    assert (member.socionom, member.years_experience) == (False, 4)
    mine = competence.get(session, actor=bo, username="bo", on=D(2025, 1, 1))
    assert mine.degree_kind == "Beteendevetare med socialrätt och förvaltningsrätt"
    audit.append_pending(session)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "staff_competence")
    ).all()
    assert [(e.actor, e.action, e.entity_id) for e in entries] == [
        ("lisa", "update", bo.staff_id),
        ("bo", "read", bo.staff_id),
    ]


def test_what_the_record_refuses_is_named_by_field_and_nothing_is_written(
    session: Session,
) -> None:
    unit_id, _ = unit_and_worker(session)
    _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    cases_ = [
        ({"degree": "other_relevant"}, "degree_kind"),
        ({"degree": "foreign_certificate"}, "certificate_ref"),
        ({"degree": "socionom", "degree_on": "2999-01-01"}, "degree_on"),
        ({"experience_from": "2020-01-01"}, "degree"),
    ]
    for values, field in cases_:
        with session.begin_nested() as savepoint:
            with pytest.raises(InvalidInput) as refused:
                competence.update(
                    session,
                    actor=lead,
                    username="bo",
                    data=CompetenceSet.from_text(values),
                    today=D(2025, 1, 1),
                )
            savepoint.rollback()
        assert refused.value.field == field, values
    assert competence.get(session, actor=lead, username="bo", on=today()).recorded is False


def test_a_worker_sees_only_their_own_and_a_team_lead_only_their_unit(session: Session) -> None:
    unit_id, anna = unit_and_worker(session)
    other_unit, _ = unit_and_worker(session, name="Barn och unga Norr", username="olle")
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id)
    far_lead = _member(session, "frida", Role.TEAM_LEAD, other_unit)
    admin = _member(session, "admin", Role.ADMIN, None)
    assert competence.get(session, actor=anna, username="anna", on=today()).recorded
    for who, whom in ((anna, "bo"), (far_lead, "bo"), (anna, "nobody")):
        with pytest.raises(NotFound) as hidden:
            competence.get(session, actor=who, username=whom, on=today())
        assert hidden.value.message == competence.MSG_NOT_FOUND
    with pytest.raises(NotFound):
        competence.update(
            session,
            actor=bo,
            username="bo",
            data=CompetenceSet.from_text({"degree": "none"}),
            today=today(),
        )
    assert competence.get(session, actor=admin, username="bo", on=today()).recorded


def test_the_introduction_keeps_progress_per_item_and_refuses_an_unknown_item(
    session: Session,
) -> None:
    unit_id, _ = unit_and_worker(session)
    _member(session, "ny", Role.CASE_WORKER, unit_id)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    competence.start_introduction(
        session,
        actor=lead,
        username="ny",
        data=IntroductionStart.from_text({"started_on": "2025-09-01", "mentor": "anna"}),
        today=D(2025, 10, 1),
    )
    shown = competence.complete_item(
        session,
        actor=lead,
        username="ny",
        data=ItemDone.from_text({"item": "bbic", "completed_on": "2025-09-20"}),
        today=D(2025, 10, 1),
    )
    assert shown.introduction is not None
    assert shown.introduction.done == 1
    assert shown.introduction.mentor == "anna"
    assert shown.independent is False
    assert "anna" in shown.may_co_sign_now
    assert "lisa" in shown.may_co_sign_now
    with pytest.raises(InvalidInput) as refused:
        competence.complete_item(
            session,
            actor=lead,
            username="ny",
            data=ItemDone.from_text({"item": "ingen", "completed_on": "2025-09-20"}),
            today=D(2025, 10, 1),
        )
    assert refused.value.field == "item"


def _decide(session: Session, actor: Actor, case_id: int, **extra: str) -> chain.Taken:
    case = cases.load(session, case_id, whole_chain=False)
    data = chain.STEPS[Step.DECIDE_PRELIMINARY].input.model_validate(
        {
            "decided_on": case.report.received_at.date().isoformat(),
            "outcome": PreliminaryOutcome.INVESTIGATION_OPENED.value,
            **extra,
        }
    )
    return chain.take(session, actor=actor, case=case, data=data)


def _protected(session: Session, actor: Actor, unit_id: int) -> int:
    case = registered_case(session, unit_id, actor)
    loaded = cases.load(session, case.id, whole_chain=False)
    data = chain.STEPS[Step.ASSESS_PROTECTION].input.model_validate(
        {"assessed_at": loaded.report.received_at.isoformat(), "immediate_protection_needed": False}
    )
    chain.take(session, actor=actor, case=loaded, data=data)
    return case.id


def test_warn_mode_takes_the_step_of_a_worker_without_a_degree_and_records_the_warning(
    session: Session,
) -> None:
    unit_id, _ = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    case_id = _protected(session, bo, unit_id)  # not reserved: no warning
    taken = _decide(session, bo, case_id)
    assert taken.warning is not None
    assert taken.warning.shortfall is Shortfall.NOT_RECORDED
    assert "25 kap. 1 § första stycket" in taken.warning.message
    (warning,) = session.scalars(select(QualificationWarning)).all()
    assert (warning.step, warning.actor, warning.record_id) == (
        "decide_preliminary",
        "bo",
        taken.record.id,
    )
    audit.append_pending(session)
    assert session.scalars(
        select(AuditEntry.purpose).where(AuditEntry.entity == "qualification_warning")
    ).all() == ["behörighet: not_recorded"]


@pytest.mark.usefixtures("refuse")
def test_refuse_mode_refuses_the_step_naming_the_paragraph_and_writes_nothing(
    session: Session,
) -> None:
    unit_id, _ = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    competence.update(
        session,
        actor=lead,
        username="bo",
        data=CompetenceSet.from_text({"degree": "none"}),
        today=today(),
    )
    case_id = _protected(session, bo, unit_id)
    with pytest.raises(ForbiddenTransition) as refused:
        _decide(session, bo, case_id)
    assert "saknar examen" in refused.value.message
    assert "25 kap. 1 § första stycket socialtjänstlagen (2025:400)" in refused.value.message
    assert session.scalars(select(QualificationWarning)).all() == []


@pytest.mark.usefixtures("refuse")
def test_a_new_worker_is_refused_without_a_co_signer_and_the_step_awaits_the_one_named(
    session: Session,
) -> None:
    unit_id, anna = unit_and_worker(session)
    ny = _member(session, "ny", Role.CASE_WORKER, unit_id)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    competence.start_introduction(
        session,
        actor=lead,
        username="ny",
        data=IntroductionStart.from_text({"started_on": today().isoformat(), "mentor": "anna"}),
        today=today(),
    )
    case_id = _protected(session, ny, unit_id)
    with pytest.raises(ForbiddenTransition) as refused:
        _decide(session, ny, case_id)
    assert refused.value.field == "co_signed_by"
    assert "andra stycket" in refused.value.message
    with pytest.raises(ForbiddenTransition) as wrong:
        _decide(session, ny, case_id, co_signed_by="ny")
    assert wrong.value.field == "co_signed_by"
    taken = _decide(session, ny, case_id, co_signed_by="anna")
    assert taken.warning is None
    (signature,) = session.scalars(select(StepCoSignature)).all()
    assert (signature.actor, signature.co_signer, signature.record_id) == (
        "ny",
        "anna",
        taken.record.id,
    )
    assert signature.confirmed_at is None  # the worker's word alone signs nothing
    case = cases.load(session, case_id)
    [shown] = signatures.of_case(session, case)
    assert shown.awaiting
    assert [s.id for s in signatures.awaiting_me(session, actor=anna)] == [signature.id]
    assert signatures.awaiting_me(session, actor=lead) == []
    for other in (ny, lead):  # neither the worker nor a team lead not named can confirm it
        with pytest.raises(NotFound):
            signatures.confirm(session, actor=other, signature_id=signature.id, today=today())
    assert signature.confirmed_at is None
    confirmed = signatures.confirm(session, actor=anna, signature_id=signature.id, today=today())
    assert not confirmed.awaiting
    assert signatures.awaiting_me(session, actor=anna) == []
    with pytest.raises(NotFound):  # once only
        signatures.confirm(session, actor=anna, signature_id=signature.id, today=today())
    audit.append_pending(session)
    purposes = session.scalars(
        select(AuditEntry.purpose).where(AuditEntry.entity == "preliminary_assessment")
    ).all()
    assert purposes == ["väntar på medundertecknande av anna"]
    assert session.execute(
        select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.entity == "step_co_signature")
    ).all() == [("anna", "co_sign")]


@pytest.mark.usefixtures("refuse")
def test_a_co_signer_no_longer_allowed_cannot_confirm(session: Session) -> None:
    unit_id, anna = unit_and_worker(session)
    ny = _member(session, "ny", Role.CASE_WORKER, unit_id)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    competence.start_introduction(
        session,
        actor=lead,
        username="ny",
        data=IntroductionStart.from_text({"started_on": today().isoformat(), "mentor": "anna"}),
        today=today(),
    )
    _decide(session, ny, _protected(session, ny, unit_id), co_signed_by="anna")
    (signature,) = session.scalars(select(StepCoSignature)).all()
    competence.start_introduction(  # a new mentor: anna is no longer one who may co-sign
        session,
        actor=lead,
        username="ny",
        data=IntroductionStart.from_text({"started_on": today().isoformat()}),
        today=today(),
    )
    with pytest.raises(PermissionDenied) as refused:
        signatures.confirm(session, actor=anna, signature_id=signature.id, today=today())
    assert "andra stycket" in refused.value.message
    assert signature.confirmed_at is None


def test_signed_off_as_independent_the_new_worker_needs_no_co_signer(session: Session) -> None:
    unit_id, _ = unit_and_worker(session)
    ny = _member(session, "ny", Role.CASE_WORKER, unit_id)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    competence.start_introduction(
        session,
        actor=lead,
        username="ny",
        data=IntroductionStart.from_text({"started_on": "2025-01-01"}),
        today=today(),
    )
    competence.update(
        session,
        actor=lead,
        username="ny",
        data=CompetenceSet.from_text({"independent_from": today().isoformat()}),
        today=today(),
    )
    assert _decide(session, ny, _protected(session, ny, unit_id)).warning is None


# The population of the Öppna jämförelser test, by hand: (username, role, employed from,
# last day, degree, degree date, current experience from, earlier period).
STAFF_TABLE = (
    ("c1", Role.CASE_WORKER, D(2020, 1, 1), None, "socionom", D(2019, 6, 1), D(2021, 1, 1), None),
    ("c2", Role.CASE_WORKER, D(2023, 3, 1), None, "socionom", D(2023, 1, 15), D(2023, 3, 1), None),
    ("c3", Role.CASE_WORKER, D(2022, 1, 1), None, "socionom", D(2015, 6, 1), D(2022, 1, 1),
     (D(2016, 1, 1), D(2018, 12, 31))),
    ("c4", Role.CASE_WORKER, D(2025, 9, 1), None, "socionom", D(2025, 6, 1), D(2025, 9, 1), None),
    ("c5", Role.CASE_WORKER, D(2026, 3, 1), None, "socionom", D(2025, 6, 1), D(2026, 3, 1), None),
    ("c6", Role.CASE_WORKER, D(2018, 1, 1), D(2025, 10, 31), "socionom", D(2017, 6, 1),
     D(2018, 1, 1), None),
    ("c7", Role.CASE_WORKER, D(2019, 1, 1), D(2026, 6, 30), "socionom", D(2010, 6, 1),
     D(2019, 1, 1), None),
    ("c8", Role.CASE_WORKER, D(2025, 8, 1), None, "socionom", D(2026, 1, 15), D(2025, 8, 1), None),
    ("c9", Role.CASE_WORKER, D(2024, 1, 1), None, None, None, None, None),
    ("c10", Role.CASE_WORKER, D(2021, 1, 1), None, "other_relevant", D(2012, 6, 1),
     D(2021, 1, 1), None),
    ("c11", Role.CASE_WORKER, D(2020, 1, 1), None, "socionom", D(2019, 6, 1), D(2026, 2, 1), None),
    ("lead", Role.TEAM_LEAD, D(2015, 1, 1), None, "socionom", D(2010, 6, 1), D(2015, 1, 1), None),
)  # fmt: skip


def test_the_indicators_on_a_reference_date_match_a_hand_computed_table(
    session: Session,
) -> None:
    unit = staff.create_unit(session, name="Barn och unga Väster", municipality_code="1480")
    admin = staff.actor_for(
        staff.create(session, username="adm", display_name="Adm", role=Role.ADMIN, unit_id=None)
    )
    now = D(2026, 12, 1)
    for name, role, start, end, degree, degree_on, experience, earlier in STAFF_TABLE:
        staff.create(
            session, username=name, display_name=name, role=role, unit_id=unit.id,
            socionom=False, employed_from=start,
        )  # fmt: skip
        if end is not None:
            employment.update(
                session, actor=admin, username=name, start_on=None, end_on=end, today=now
            )
        if degree is None:
            continue
        values = {"degree": degree, "degree_on": degree_on.isoformat()}
        if degree == "other_relevant":
            values["degree_kind"] = "Kandidatexamen i psykologi"
        if experience is not None:
            values["experience_from"] = experience.isoformat()
        competence.update(
            session,
            actor=admin,
            username=name,
            data=CompetenceSet.from_text(values),
            earlier=None if earlier is None else [EarlierPeriod(start_on=earlier[0],
                                                                end_on=earlier[1])],
            today=now,
        )  # fmt: skip
    found = report.compute(session, D(2026, 1, 1))
    # By hand, on 2026-01-01: c5 started after it, c6 left before it, c11 was employed but not
    # yet in child investigations, the team lead is no case worker: 8 counted. c7 left after
    # the date and is counted though inactive today. c8's degree came on 2026-01-15: no
    # degree on the date. c9 is not recorded. Socionomer on the date: c1 (exactly 5 years),
    # c2 (2 years 10 months), c3 (3 years earlier + 4 now = 7), c4 (4 months), c7 (7 years).
    assert (found.headcount, found.qualified, found.socionom, found.not_recorded) == (8, 6, 5, 1)
    assert found.socionom_3_years == 3  # c1, c3, c7
    assert found.socionom_over_5_years == 2  # c3, c7 (c1 has 5, not more)
    assert found.socionom_under_1_year == 1  # c4
    assert report.as_json(found)["indicators"]["socionom_3_years"] == {  # type: ignore[index]
        "count": 3,
        "share": 0.375,
    }
    # A year earlier: c4, c8 not yet employed; c1 4 years, c2 1 year 10 months, c3 6, c6 and
    # c7 in post, c9, c10 counted: 7, with other shares.
    before = report.compute(session, D(2025, 1, 1))
    assert (before.headcount, before.socionom, before.socionom_3_years) == (7, 5, 4)
    assert (before.socionom_over_5_years, before.socionom_under_1_year) == (3, 0)
    assert session.get(StaffMember, _id(session, "c6")).active is False  # type: ignore[union-attr]


def _id(session: Session, username: str) -> int:
    found = session.scalar(select(StaffMember.id).where(StaffMember.username == username))
    assert found is not None
    return found


def test_a_team_lead_reads_but_does_not_edit_their_own_record(session: Session) -> None:
    unit_id, _ = unit_and_worker(session)
    lead = _member(session, "lisa", Role.TEAM_LEAD, unit_id)
    assert competence.get(session, actor=lead, username="lisa", on=today()).recorded
    with pytest.raises(NotFound):
        competence.update(
            session,
            actor=lead,
            username="lisa",
            data=CompetenceSet.from_text({"independent_from": "2020-01-01"}),
            today=today(),
        )


def test_reassignment_warns_when_the_receiver_falls_short_for_the_open_step(
    session: Session,
) -> None:
    unit_id, anna = unit_and_worker(session)
    bo = _member(session, "bo", Role.CASE_WORKER, unit_id, socionom=False)
    status = CaseStatus.PRELIMINARY_ASSESSMENT
    note = reassignment_warning(session, bo, status, today())
    assert note is not None
    assert note.startswith("Observera: Kompetensen för bo är inte registrerad")
    assert reassignment_warning(session, anna, status, today()) is None
    waiting = CaseStatus.AWAITING_PROTECTION_ASSESSMENT  # its open step is not reserved
    assert reassignment_warning(session, bo, waiting, today()) is None
