"""Early help (SoL 2025:400 11 kap. 5 §): the catalogue, the consent, the screened-out report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus, PreliminaryOutcome
from barnskydd.cases.models import Case, PreliminaryAssessment
from barnskydd.core.actor import SYSTEM, Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, PermissionDenied
from barnskydd.early_help import service as early_help
from barnskydd.early_help.codes import EXCLUDED
from barnskydd.early_help.models import EarlyHelp, EarlyHelpService
from barnskydd.stats import extract
from barnskydd.stats.schema import read_extract
from tests.factories import registered_case, take, unit_and_worker

AGED_15 = "20100601-9986"  # 15 on 2025-09-03
AGED_14 = "20101001-9980"  # 14 on 2025-09-03
RECEIVED = dt.datetime(2025, 9, 1, 10, 0, tzinfo=SWEDEN)
DECIDED = dt.date(2025, 9, 3)


def _service(session: Session, **overrides: Any) -> EarlyHelpService:
    fields: dict[str, Any] = {
        "code": "samtalsstod",
        "name": "Samtalsstöd för barn och unga",
        "kind": "conversation_support",
        "decided_by": "Socialnämnden",
        "decided_on": dt.date(2025, 5, 20),
        "decision_ref": "SN 2025/238",
        "valid_from": dt.date(2025, 7, 1),
        "min_age": 6,
        "max_age": 17,
    }
    fields.update(overrides)
    return early_help.add_service(session, actor=SYSTEM, new=early_help.NewService(**fields))


def _assessed(session: Session, **overrides: Any) -> tuple[Case, Actor]:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED, **overrides)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    return case, worker


def _offer(session: Session, worker: Actor, case: Case, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "decided_on": DECIDED,
        "service": "samtalsstod",
        "guardian_consent": True,
        "informed_of_assessed_route": True,
    }
    values.update(fields)
    return take(session, Step.OFFER_EARLY_HELP, actor=worker, case_id=case.id, **values)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(("code", "point"), [(c, e.point) for c, e in EXCLUDED.items()])
def test_every_intervention_the_law_excludes_is_refused_naming_its_point(
    session: Session, code: str, point: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _service(session, kind=code)
    assert refused.value.field == "kind"
    assert (
        f"11 kap. 5 § första stycket {point} socialtjänstlagen (2025:400)" in refused.value.message
    )
    assert _count(session, EarlyHelpService) == 0


def test_a_catalogue_entry_needs_the_decision_that_established_it(session: Session) -> None:
    for field in ("decided_by", "decision_ref"):
        with pytest.raises(InvalidInput) as refused:
            _service(session, **{field: "  "})
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as before:
        _service(session, decided_on=dt.date(2025, 8, 1))
    assert before.value.field == "valid_from"
    with pytest.raises(InvalidInput) as not_in_force:
        _service(session, valid_from=dt.date(2025, 6, 30))
    assert "2025-07-01" in not_in_force.value.message
    worker = Actor("handlaggare", Role.CASE_WORKER, unit_id=1, staff_id=1)
    with pytest.raises(PermissionDenied):
        early_help.add_service(
            session,
            actor=worker,
            new=early_help.NewService("x1", "X", "group_activity", "SN", DECIDED, "SN 1"),
        )
    assert _count(session, EarlyHelpService) == 0
    service = _service(session)
    assert (service.decided_by, service.decision_ref) == ("Socialnämnden", "SN 2025/238")
    assert [code for code, _ in early_help.choices(session, on=DECIDED)] == ["samtalsstod"]
    assert early_help.choices(session, on=dt.date(2025, 6, 30)) == []


def test_a_report_screened_out_with_early_help_closes_the_case_and_records_the_offer(
    session: Session,
) -> None:
    _service(session)
    case, worker = _assessed(session)
    _offer(session, worker, case, notes="Familjen tackar ja till samtal.")
    assert case.status is CaseStatus.CLOSED
    assert case.closed_on == DECIDED
    assessment = session.scalars(select(PreliminaryAssessment)).one()
    assert assessment.outcome is PreliminaryOutcome.EARLY_HELP_OFFERED
    assert assessment.on_time is True
    (given,) = early_help.given(session, case.id)
    assert given.service.code == "samtalsstod"
    assert given.guardian_consent is True
    assert given.informed_of_assessed_route is True
    assert given.started_on == DECIDED


def test_a_child_under_15_gets_no_early_help_without_the_guardians_consent(
    session: Session,
) -> None:
    _service(session)
    case, worker = _assessed(session, child_identity=AGED_14)
    with pytest.raises(InvalidInput) as refused:
        _offer(
            session,
            worker,
            case,
            guardian_consent=False,
            child_alone_suitable=True,
            suitability_note="Vill själv.",
        )
    assert refused.value.field == "guardian_consent"
    assert "21 kap. 2 §" in refused.value.message
    assert case.status is CaseStatus.PRELIMINARY_ASSESSMENT
    assert _count(session, EarlyHelp) == 0
    assert _count(session, PreliminaryAssessment) == 0


def test_a_child_of_15_may_get_it_without_the_guardian_when_suitable_and_explained(
    session: Session,
) -> None:
    _service(session)
    case, worker = _assessed(session, child_identity=AGED_15)
    with pytest.raises(InvalidInput) as not_suitable:
        _offer(session, worker, case, guardian_consent=False)
    assert not_suitable.value.field == "child_alone_suitable"
    with pytest.raises(InvalidInput) as unexplained:
        _offer(session, worker, case, guardian_consent=False, child_alone_suitable=True)
    assert unexplained.value.field == "suitability_note"
    assert _count(session, EarlyHelp) == 0
    _offer(
        session,
        worker,
        case,
        guardian_consent=False,
        child_alone_suitable=True,
        suitability_note="Den unga vill ha samtal utan att föräldrarna vet (syntetiskt).",
    )
    (given,) = early_help.given(session, case.id)
    assert (given.guardian_consent, given.child_alone_suitable) == (False, True)


def test_an_unknown_expired_or_wrong_age_intervention_is_refused_by_field(
    session: Session,
) -> None:
    _service(session, valid_to=dt.date(2025, 9, 2))
    _service(session, code="tonar", name="Tonårsgrupp", kind="group_activity", min_age=13)
    case, worker = _assessed(session)  # 9 years old
    for code, text in (("okand", "finns inte"), ("samtalsstod", "erbjuds inte"), ("tonar", "13–")):
        with pytest.raises(InvalidInput) as refused:
            _offer(session, worker, case, service=code)
        assert refused.value.field == "service"
        assert text in refused.value.message
    assert case.status is CaseStatus.PRELIMINARY_ASSESSMENT
    assert _count(session, EarlyHelp) == 0


def test_the_ordinary_decision_cannot_pick_the_early_help_outcome(session: Session) -> None:
    case, worker = _assessed(session)
    with pytest.raises(ForbiddenTransition):
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=worker,
            case_id=case.id,
            decided_on=DECIDED,
            outcome="early_help_offered",
        )


def test_the_statistics_extract_counts_it_as_its_own_outcome(
    session: Session, tmp_path: Path
) -> None:
    _service(session)
    case, worker = _assessed(session)
    _offer(session, worker, case)
    extract.create(session, actor=SYSTEM, out=tmp_path / "x.parquet", key=b"k" * 32)
    (row,) = read_extract(tmp_path / "x.parquet", municipality_codes=["1480"]).to_pylist()
    assert row["preliminary_outcome"] == "early_help_offered"
    assert row["preliminary_on_time"] is True
    assert row["investigation_outcome"] is None
