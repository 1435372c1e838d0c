"""Early help in an open case (SoL 2025:400 11 kap. 5 §): the step `give_early_help`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case
from barnskydd.core.actor import SYSTEM, Actor
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.early_help import service as early_help
from barnskydd.early_help.models import EarlyHelp
from barnskydd.stats import extract
from barnskydd.stats.schema import read_extract
from tests.early_help.test_early_help import AGED_14, AGED_15, DECIDED, RECEIVED, _offer, _service
from tests.factories import opened_investigation, registered_case, take, unit_and_worker

AGED_18 = "20070601-9981"  # 18 on 2025-09-10
STARTED = dt.date(2025, 9, 10)


def _investigating(session: Session, **overrides: Any) -> tuple[Case, Actor]:
    """A case whose preliminary assessment opened an investigation."""
    unit_id, worker = unit_and_worker(session)
    case = opened_investigation(
        session, unit_id, worker, received=RECEIVED, decided=DECIDED, **overrides
    )
    return case, worker


def _give(session: Session, worker: Actor, case: Case, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "service": "samtalsstod",
        "started_on": STARTED,
        "guardian_consent": True,
        "informed_of_assessed_route": True,
    }
    values.update(fields)
    return take(session, Step.GIVE_EARLY_HELP, actor=worker, case_id=case.id, **values)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EarlyHelp)) or 0


def test_early_help_given_during_an_investigation_keeps_the_case_where_it_is(
    session: Session,
) -> None:
    _service(session)
    case, worker = _investigating(session)
    given = _give(session, worker, case, requested_by_family=True)
    assert case.status is CaseStatus.INVESTIGATION
    assert case.closed_on is None
    assert given.given_during is CaseStatus.INVESTIGATION
    assert given.requested_by_family is True
    assert (given.started_on, given.guardian_consent) == (STARTED, True)
    assert early_help.given(session, case.id) == [given]
    audit.append_pending(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "early_help")).one()
    assert (entry.action, entry.entity_id, entry.case_id) == ("create", given.id, case.id)


def test_early_help_is_not_given_outside_an_open_case(session: Session) -> None:
    _service(session)
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    # During the preliminary assessment early help is the decision, so the outcome says so.
    with pytest.raises(ForbiddenTransition) as refused:
        _give(session, worker, case)
    assert "inte inleda utredning och erbjuda tidigt stöd" in refused.value.message
    _offer(session, worker, case)
    assert case.status is CaseStatus.CLOSED
    with pytest.raises(ForbiddenTransition):
        _give(session, worker, case)
    assert _count(session) == 1


def test_a_child_under_15_gets_no_early_help_in_a_case_without_consent(session: Session) -> None:
    _service(session)
    case, worker = _investigating(session, child_identity=AGED_14)
    with pytest.raises(InvalidInput) as refused:
        _give(session, worker, case, guardian_consent=False, child_alone_suitable=True)
    assert refused.value.field == "guardian_consent"
    assert "21 kap. 2 §" in refused.value.message
    assert _count(session) == 0


def test_from_15_it_is_given_without_consent_only_when_suitable_and_said_why(
    session: Session,
) -> None:
    _service(session)
    case, worker = _investigating(session, child_identity=AGED_15)
    with pytest.raises(InvalidInput) as unsuitable:
        _give(session, worker, case, guardian_consent=False)
    assert unsuitable.value.field == "child_alone_suitable"
    with pytest.raises(InvalidInput) as unsaid:
        _give(session, worker, case, guardian_consent=False, child_alone_suitable=True)
    assert unsaid.value.field == "suitability_note"
    assert _count(session) == 0
    given = _give(
        session,
        worker,
        case,
        guardian_consent=False,
        child_alone_suitable=True,
        suitability_note="Barnet vill ha samtal utan föräldrarna.",
    )
    assert (given.child_alone_suitable, given.guardian_consent) == (True, False)


@pytest.mark.parametrize(
    ("code", "identity", "point"),
    [
        ("family_home", AGED_14, 2),
        ("contact_person_or_family", AGED_14, 1),
        ("contact_person", AGED_14, 1),
        ("sis_secure", AGED_15, 4),
        ("special_youth_home", AGED_15, 4),
        ("residential_hvb", AGED_18, 5),
        ("emergency_home", AGED_18, 5),
        ("other_24h_care", AGED_15, 7),
    ],
)
def test_an_intervention_the_law_excludes_is_refused_naming_its_point(
    session: Session, code: str, identity: str, point: int
) -> None:
    _service(session)
    case, worker = _investigating(session, child_identity=identity)
    with pytest.raises(InvalidInput) as refused:
        _give(session, worker, case, service=code)
    assert refused.value.field == "service"
    assert f"11 kap. 5 § första stycket {point} socialtjänstlagen (2025:400)" in (
        refused.value.message
    )
    assert _count(session) == 0


def test_the_screen_out_refuses_an_excluded_intervention_too(session: Session) -> None:
    _service(session)
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker, received_at=RECEIVED)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=case.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    with pytest.raises(InvalidInput) as refused:
        _offer(session, worker, case, service="family_home")
    assert "11 kap. 5 § första stycket 2" in refused.value.message
    assert case.status is CaseStatus.PRELIMINARY_ASSESSMENT


def test_residential_care_under_18_is_not_in_the_catalogue(session: Session) -> None:
    _service(session)
    case, worker = _investigating(session, child_identity=AGED_15)
    with pytest.raises(InvalidInput) as refused:
        _give(session, worker, case, service="residential_hvb")
    assert refused.value.field == "service"
    assert "finns inte i nämndens katalog" in refused.value.message


def test_the_start_lies_between_the_report_and_today(session: Session) -> None:
    _service(session)
    case, worker = _investigating(session)
    for day in (dt.date(2025, 8, 31), dt.date.today() + dt.timedelta(days=2)):
        with pytest.raises(InvalidInput) as refused:
            _give(session, worker, case, started_on=day)
        assert refused.value.field == "started_on"
    # The catalogue's own validity and ages still hold.
    with pytest.raises(InvalidInput) as unknown:
        _give(session, worker, case, service="okand")
    assert unknown.value.field == "service"
    assert _count(session) == 0


def test_the_extract_keeps_the_reports_outcome_and_counts_only_screen_outs_as_early_help(
    session: Session, tmp_path: Path
) -> None:
    _service(session)
    opened, worker = _investigating(session)
    _give(session, worker, opened)
    unit_id = opened.unit_id
    screened = registered_case(
        session, unit_id, worker, received_at=RECEIVED, child_identity=AGED_15
    )
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=worker,
        case_id=screened.id,
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection_needed=False,
    )
    _offer(session, worker, screened)
    out = tmp_path / "x.parquet"
    extract.create(session, actor=SYSTEM, out=out, key=b"k" * 32)
    rows = read_extract(out, municipality_codes=["1480"]).to_pylist()
    outcomes = sorted(r["preliminary_outcome"] for r in rows)
    assert outcomes == ["early_help_offered", "investigation_opened"]
    opened_row = next(r for r in rows if r["preliminary_outcome"] == "investigation_opened")
    assert opened_row["investigation_outcome"] == "ongoing"
    assert opened_row["interventions"] == []  # early help is no decided intervention
