"""The case chain through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import (
    BbicSide,
    CaseStatus,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.cases.models import Case, ProtectionAssessment
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.people.models import Child
from tests.factories import CHILD_PNR, registered_case, report_data, take, unit_and_worker

RECEIVED = dt.datetime(2025, 6, 19, 10, 0, tzinfo=SWEDEN)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _open_investigation(session: Session, case: Case, actor: Actor, on: dt.date) -> None:
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
        decided_on=on,
        outcome=PreliminaryOutcome.INVESTIGATION_OPENED,
    )


def test_registering_a_report_sets_deadlines_from_the_law_in_force_at_receipt(
    session: Session,
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    assert case.status is CaseStatus.AWAITING_PROTECTION_ASSESSMENT
    assert case.law == "sol_2001_453"
    assert case.case_number == f"BU-2025-{case.id:06d}"
    assert case.report.protection_due == dt.date(2025, 6, 19)
    assert case.report.preliminary_due == dt.date(2025, 7, 3)
    assert "2001:453" in case.report.preliminary_reference


def test_a_report_received_on_the_first_day_of_the_new_act_follows_sol_2025_400(
    session: Session,
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(
        session, unit_id, actor, received_at=dt.datetime(2025, 7, 1, 0, 30, tzinfo=SWEDEN)
    )
    assert case.law == "sol_2025_400"
    assert "2025:400" in case.report.preliminary_reference


def test_receipt_late_in_the_evening_counts_from_the_swedish_date(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    # 23:30 in Stockholm on 30 June is 21:30 UTC the same day; 00:30 on 1 July is 22:30 UTC
    # on 30 June: the Swedish date decides the law and the deadlines.
    case = registered_case(
        session, unit_id, actor, received_at=dt.datetime(2025, 6, 30, 22, 30, tzinfo=dt.UTC)
    )
    assert case.law == "sol_2025_400"
    assert case.report.protection_due == dt.date(2025, 7, 1)


def test_a_second_report_about_the_same_child_reuses_the_child(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    first = registered_case(session, unit_id, actor)
    second = registered_case(session, unit_id, actor, reporter_category=ReporterCategory.POLICE)
    assert first.child_id == second.child_id
    assert _count(session, Child) == 1


def test_an_invalid_identity_number_is_refused_and_nothing_is_written(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    with pytest.raises(ValidationError) as caught:
        registered_case(session, unit_id, actor, child_identity="20150916-9875")
    assert [e["loc"] for e in caught.value.errors()] == [("child_identity",)]
    assert "20150916" not in str(caught.value)  # an error that reaches a log names no number
    assert _count(session, Child) == 0
    assert _count(session, Case) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"reporter_category": ReporterCategory.ANONYMOUS, "reporter_organisation": None},
            "anmälningsskyldig anmälare kan inte vara anonym",
        ),
        ({"reporter_category": ReporterCategory.RELATIVE}, "kan inte vara anmälningsskyldig"),
        ({"concerns": []}, "at least 1 item"),
        ({"received_at": dt.datetime(2025, 6, 19, 10, 0)}, "tidszon"),
        ({"received_at": dt.datetime.now(dt.UTC) + dt.timedelta(days=1)}, "framtiden"),
    ],
)
def test_bad_report_data_is_refused_with_a_message(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        report_data(1, **overrides)


def test_a_forbidden_move_is_refused_and_nothing_is_written(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    with pytest.raises(ForbiddenTransition):
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 20),
            outcome=PreliminaryOutcome.NOT_OPENED,
        )
    assert case.status is CaseStatus.AWAITING_PROTECTION_ASSESSMENT
    assert case.preliminary_assessment is None


def test_the_whole_chain_from_report_to_closing(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _open_investigation(session, case, actor, dt.date(2025, 7, 3))
    assert case.status is CaseStatus.INVESTIGATION
    assert case.preliminary_assessment is not None
    assert case.preliminary_assessment.on_time
    investigation = case.investigation
    assert investigation is not None
    assert investigation.started_on == dt.date(2025, 7, 3)
    assert investigation.due == dt.date(2025, 11, 3)  # 3 Nov 2025 is a Monday
    take(
        session,
        Step.RECORD_BBIC,
        actor=actor,
        case_id=case.id,
        side=BbicSide.CHILD_DEVELOPMENT,
        area="health",
        text="Första utkast",
    )
    note = take(
        session,
        Step.RECORD_BBIC,
        actor=actor,
        case_id=case.id,
        side=BbicSide.CHILD_DEVELOPMENT,
        area="health",
        text="Andra",
    )
    assert note.text == "Andra"
    assert len(investigation.bbic_notes) == 1
    take(
        session,
        Step.EXTEND_INVESTIGATION,
        actor=actor,
        case_id=case.id,
        decided_on=dt.date(2025, 10, 20),
        new_due=dt.date(2025, 12, 19),
        reason="Inväntar utlåtande från BUP",
    )
    intervention = take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=actor,
        case_id=case.id,
        category=InterventionCategory.OPEN_CARE,
        legal_basis=LegalBasis.SOL,
        decided_on=dt.date(2025, 12, 1),
    )
    completed = take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=actor,
        case_id=case.id,
        completed_on=dt.date(2025, 12, 10),
        outcome=InvestigationOutcome.INTERVENTIONS,
    )
    assert completed.on_time  # after the first deadline, within the extension
    assert case.status is CaseStatus.INTERVENTIONS
    take(
        session,
        Step.FOLLOW_UP,
        actor=actor,
        case_id=case.id,
        followed_up_on=dt.date(2026, 3, 1),
        voice_status="declined_by_child",
    )
    with pytest.raises(ForbiddenTransition, match="pågår fortfarande"):
        take(session, Step.CLOSE, actor=actor, case_id=case.id, closed_on=dt.date(2026, 3, 2))
    take(
        session,
        Step.END_INTERVENTION,
        actor=actor,
        case_id=case.id,
        intervention_id=intervention.id,
        ended_on=dt.date(2026, 3, 2),
        reason="Målen uppnådda",
    )
    take(session, Step.CLOSE, actor=actor, case_id=case.id, closed_on=dt.date(2026, 3, 2))
    assert case.status is CaseStatus.CLOSED
    assert case.closed_on == dt.date(2026, 3, 2)


def test_a_late_preliminary_decision_is_recorded_as_late(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _open_investigation(session, case, actor, dt.date(2025, 7, 4))
    assert case.preliminary_assessment is not None
    assert not case.preliminary_assessment.on_time


def test_an_extension_needs_a_reason_and_a_later_deadline(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _open_investigation(session, case, actor, dt.date(2025, 7, 3))
    with pytest.raises(ValidationError) as no_reason:
        take(
            session,
            Step.EXTEND_INVESTIGATION,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 10, 1),
            new_due=dt.date(2025, 12, 1),
            reason="  ",
        )
    assert no_reason.value.errors()[0]["loc"] == ("reason",)
    with pytest.raises(InvalidInput) as earlier:
        take(
            session,
            Step.EXTEND_INVESTIGATION,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 10, 1),
            new_due=dt.date(2025, 11, 3),
            reason="Skäl",
        )
    assert earlier.value.field == "new_due"
    assert case.investigation is not None
    assert case.investigation.extensions == []


def test_completing_with_interventions_before_any_is_decided_is_refused(
    session: Session,
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _open_investigation(session, case, actor, dt.date(2025, 7, 3))
    with pytest.raises(ForbiddenTransition, match="minst en insats"):
        take(
            session,
            Step.COMPLETE_INVESTIGATION,
            actor=actor,
            case_id=case.id,
            completed_on=dt.date(2025, 10, 1),
            outcome=InvestigationOutcome.INTERVENTIONS,
        )
    assert case.status is CaseStatus.INVESTIGATION


def test_a_secure_youth_home_needs_an_lvu_decision(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _open_investigation(session, case, actor, dt.date(2025, 7, 3))
    with pytest.raises(InvalidInput, match="LVU"):
        take(
            session,
            Step.DECIDE_INTERVENTION,
            actor=actor,
            case_id=case.id,
            category=InterventionCategory.SIS_SECURE,
            legal_basis=LegalBasis.SOL,
            decided_on=dt.date(2025, 8, 1),
        )
    placed = take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=actor,
        case_id=case.id,
        category=InterventionCategory.SIS_SECURE,
        legal_basis=LegalBasis.LVU,
        decided_on=dt.date(2025, 8, 1),
    )
    assert placed.legal_basis is LegalBasis.LVU


def test_a_report_about_a_child_under_investigation_joins_it(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    ongoing = registered_case(session, unit_id, actor)
    _open_investigation(session, ongoing, actor, dt.date(2025, 7, 3))
    new = registered_case(
        session, unit_id, actor, received_at=dt.datetime(2025, 8, 5, 9, 0, tzinfo=SWEDEN)
    )
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=new.id,
        assessed_at=dt.datetime(2025, 8, 5, 11, 0, tzinfo=SWEDEN),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=new.id,
        decided_on=dt.date(2025, 8, 6),
        outcome=PreliminaryOutcome.ALREADY_ONGOING,
    )
    assert new.linked_case_id == ongoing.id
    assert new.status is CaseStatus.CLOSED


def test_already_ongoing_without_an_ongoing_investigation_is_refused(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    with pytest.raises(InvalidInput, match="ingen pågående"):
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 20),
            outcome=PreliminaryOutcome.ALREADY_ONGOING,
        )
    assert case.status is CaseStatus.PRELIMINARY_ASSESSMENT


@pytest.mark.parametrize(
    ("code", "message"),
    [(None, "Ange vilken kommun"), ("9999", "Okänd kommunkod"), ("1480", "egna kommunen")],
)
def test_a_transfer_needs_another_real_municipality(
    session: Session, code: str | None, message: str
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    # An unknown code is refused by the input model, the others by the step's check.
    with pytest.raises((InvalidInput, ValidationError), match=message):
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 20),
            outcome=PreliminaryOutcome.TRANSFERRED,
            transferred_to=code,
        )


def test_a_decision_dated_in_the_future_or_before_receipt_is_refused(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    for day in (dt.date(2025, 6, 18), dt.date.today() + dt.timedelta(days=2)):
        with pytest.raises(InvalidInput) as caught:
            take(
                session,
                Step.DECIDE_PRELIMINARY,
                actor=actor,
                case_id=case.id,
                decided_on=day,
                outcome=PreliminaryOutcome.NOT_OPENED,
            )
        assert caught.value.field == "decided_on"


def test_a_protection_assessment_before_receipt_is_refused(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    with pytest.raises(InvalidInput):
        take(
            session,
            Step.ASSESS_PROTECTION,
            actor=actor,
            case_id=case.id,
            assessed_at=RECEIVED - dt.timedelta(hours=1),
            immediate_protection_needed=True,
        )
    assert _count(session, ProtectionAssessment) == 0


def test_only_the_cases_unit_and_never_an_analyst_may_read_a_case(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    _, outsider = unit_and_worker(session, name="Barn och unga Norr", username="bert")
    with pytest.raises(NotFound):  # another unit's case does not reveal that it exists
        cases.get(session, actor=outsider, case_id=case.id, purpose="nyfikenhet")
    analyst = Actor(username="ada", role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        cases.get(session, actor=analyst, case_id=case.id, purpose="nyfikenhet")
    assert cases.get(session, actor=actor, case_id=case.id, purpose="handläggning") is case


def test_every_read_is_audited_with_its_purpose_and_never_the_identity_number(
    session: Session,
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    cases.get(session, actor=actor, case_id=case.id, purpose="handläggning")
    audit.append_pending(session)  # entries are chained and written at commit
    reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
    assert [(e.actor, e.case_id, e.purpose) for e in reads] == [("anna", case.id, "handläggning")]
    digits = CHILD_PNR.replace("-", "")
    for entry in session.scalars(select(AuditEntry)):
        values = [str(getattr(entry, c.key)) for c in AuditEntry.__table__.columns]
        assert not any(digits in v or digits[2:] in v for v in values)


def test_open_items_list_the_most_urgent_first_and_mark_overdue(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    early = registered_case(session, unit_id, actor)
    late = registered_case(
        session,
        unit_id,
        actor,
        child_identity="20120512-9271",
        received_at=dt.datetime(2025, 8, 4, 9, 0, tzinfo=SWEDEN),
    )
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=late.id,
        assessed_at=dt.datetime(2025, 8, 4, 10, 0, tzinfo=SWEDEN),
        immediate_protection_needed=False,
    )
    items = cases.open_items(session, actor=actor, today=dt.date(2025, 8, 10))
    assert [(i.case_id, i.due) for i in items] == [
        (early.id, dt.date(2025, 6, 19)),
        (late.id, dt.date(2025, 8, 18)),
    ]
    assert items[0].overdue
    assert not items[1].overdue
    assert items[1].days_left == 8


def test_a_team_lead_reassigns_within_the_unit_only(session: Session) -> None:
    from barnskydd.staff import service as staff

    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    lead = staff.actor_for(
        staff.create(
            session, username="lena", display_name="Lena", role=Role.TEAM_LEAD, unit_id=unit_id
        )
    )
    colleague = staff.create(
        session, username="carl", display_name="Carl", role=Role.CASE_WORKER, unit_id=unit_id
    )
    with pytest.raises(PermissionDenied):
        cases.reassign(session, actor=actor, case_id=case.id, staff_id=colleague.id)
    cases.reassign(session, actor=lead, case_id=case.id, staff_id=colleague.id)
    assert case.assigned_to_id == colleague.id
    other_unit, outsider = unit_and_worker(session, name="Norr", username="bert")
    assert other_unit != unit_id
    with pytest.raises(InvalidInput):
        cases.reassign(session, actor=lead, case_id=case.id, staff_id=outsider.staff_id or 0)


def test_a_report_about_an_adult_or_before_birth_is_refused(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    with pytest.raises(InvalidInput, match="över 20 år"):
        registered_case(session, unit_id, actor, child_identity="19821105-9954")
    with pytest.raises(InvalidInput, match="före barnets födelse"):
        registered_case(
            session, unit_id, actor, received_at=dt.datetime(2015, 9, 1, 10, 0, tzinfo=SWEDEN)
        )
    assert _count(session, Case) == 0


def test_an_extended_preliminary_assessment_is_judged_against_the_new_deadline(
    session: Session,
) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    with pytest.raises(ValidationError) as no_reason:
        take(
            session,
            Step.EXTEND_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 7, 1),
            new_due=dt.date(2025, 7, 10),
            reason="",
        )
    assert no_reason.value.errors()[0]["loc"] == ("reason",)
    extension = take(
        session,
        Step.EXTEND_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=dt.date(2025, 7, 1),
        new_due=dt.date(2025, 7, 10),
        reason="Barnet vistas utomlands; samtal kan ske först den 8 juli",
    )
    assert extension.previous_due == dt.date(2025, 7, 3)
    assert case.report.preliminary_due == dt.date(2025, 7, 10)
    decision = take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=case.id,
        decided_on=dt.date(2025, 7, 9),
        outcome=PreliminaryOutcome.NOT_OPENED,
    )
    assert decision.on_time


def test_a_preliminary_extension_must_move_the_deadline_later(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    case = registered_case(session, unit_id, actor)
    with pytest.raises(ForbiddenTransition):  # not before the protection assessment
        take(
            session,
            Step.EXTEND_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 20),
            new_due=dt.date(2025, 7, 10),
            reason="Skäl",
        )
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    with pytest.raises(InvalidInput) as earlier:
        take(
            session,
            Step.EXTEND_PRELIMINARY,
            actor=actor,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 20),
            new_due=dt.date(2025, 7, 3),
            reason="Skäl",
        )
    assert earlier.value.field == "new_due"
    assert case.preliminary_extensions == []
