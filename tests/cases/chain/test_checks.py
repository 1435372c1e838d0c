"""The steps' checks against a snapshot of the case, tested without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from barnskydd.cases.chain import checks
from barnskydd.cases.chain import inputs as i
from barnskydd.cases.chain.checks import CaseFacts, Running
from barnskydd.cases.codes import (
    CaseStatus,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound

TODAY = dt.date(2025, 11, 3)
FACTS = CaseFacts(
    status=CaseStatus.PRELIMINARY_ASSESSMENT,
    received_at=dt.datetime(2025, 6, 19, 10, 0, tzinfo=SWEDEN),
    preliminary_due=dt.date(2025, 7, 3),
    preliminary_extendable=True,
    municipality_code="1480",
    today=TODAY,
    now=dt.datetime(2025, 11, 3, 12, 0, tzinfo=SWEDEN),
)
INVESTIGATING = replace(
    FACTS,
    status=CaseStatus.INVESTIGATION,
    investigation_started_on=dt.date(2025, 7, 1),
    investigation_due=dt.date(2025, 11, 1),
)


def _field(error: pytest.ExceptionInfo[InvalidInput]) -> str:
    return error.value.field or ""


def test_step_checks_refuse_a_decision_before_receipt() -> None:
    data = i.DecidePreliminary(decided_on=dt.date(2025, 6, 18), outcome="not_opened")
    with pytest.raises(InvalidInput, match="före 2025-06-19") as error:
        checks.decide_preliminary(FACTS, data)
    assert _field(error) == "decided_on"


def test_step_checks_refuse_a_decision_in_the_future() -> None:
    data = i.DecidePreliminary(decided_on=TODAY + dt.timedelta(days=1), outcome="not_opened")
    with pytest.raises(InvalidInput, match="framtiden"):
        checks.decide_preliminary(FACTS, data)
    checks.decide_preliminary(FACTS, i.DecidePreliminary(decided_on=TODAY, outcome="not_opened"))


def test_a_transfer_names_another_municipality() -> None:
    transferred = PreliminaryOutcome.TRANSFERRED
    with pytest.raises(InvalidInput, match="Ange vilken kommun"):
        checks.decide_preliminary(FACTS, i.DecidePreliminary(decided_on=TODAY, outcome=transferred))
    own = i.DecidePreliminary(decided_on=TODAY, outcome=transferred, transferred_to="1480")
    with pytest.raises(InvalidInput, match="egna kommunen") as error:
        checks.decide_preliminary(FACTS, own)
    assert _field(error) == "transferred_to"
    other = i.DecidePreliminary(decided_on=TODAY, outcome=transferred, transferred_to="0180")
    checks.decide_preliminary(FACTS, other)


def test_an_extension_must_move_the_deadline_later() -> None:
    same = i.ExtendPreliminary(
        decided_on=dt.date(2025, 7, 1), new_due=dt.date(2025, 7, 3), reason="Skäl"
    )
    with pytest.raises(InvalidInput, match="efter nuvarande") as error:
        checks.extend_preliminary(FACTS, same)
    assert _field(error) == "new_due"
    later = same.model_copy(update={"new_due": dt.date(2025, 7, 10)})
    checks.extend_preliminary(FACTS, later)
    fixed = replace(FACTS, preliminary_extendable=False)
    with pytest.raises(InvalidInput, match="medger inte"):
        checks.extend_preliminary(fixed, later)


def test_an_investigation_step_needs_an_investigation() -> None:
    data = i.ExtendInvestigation(
        decided_on=dt.date(2025, 10, 1), new_due=dt.date(2025, 12, 1), reason="Skäl"
    )
    with pytest.raises(NotFound):
        checks.extend_investigation(FACTS, data)
    checks.extend_investigation(INVESTIGATING, data)


def test_a_placement_at_a_special_youth_home_needs_lvu() -> None:
    sis = i.DecideIntervention(
        category=InterventionCategory.SIS_SECURE,
        legal_basis=LegalBasis.SOL,
        decided_on=dt.date(2025, 10, 1),
    )
    with pytest.raises(InvalidInput, match="LVU") as error:
        checks.decide_intervention(INVESTIGATING, sis)
    assert _field(error) == "legal_basis"
    checks.decide_intervention(
        INVESTIGATING, sis.model_copy(update={"legal_basis": LegalBasis.LVU})
    )


def test_an_intervention_cannot_start_before_its_decision() -> None:
    early = i.DecideIntervention(
        category=InterventionCategory.CONTACT_PERSON_OR_FAMILY,
        legal_basis=LegalBasis.SOL,
        decided_on=dt.date(2025, 10, 1),
        start_on=dt.date(2025, 9, 30),
    )
    with pytest.raises(InvalidInput, match="före beslutet"):
        checks.decide_intervention(INVESTIGATING, early)


def test_an_unknown_bbic_area_is_refused_on_the_area() -> None:
    data = i.RecordBbic(side="child_development", area="astrologi", text="")
    with pytest.raises(InvalidInput, match="Okänt BBIC-område") as error:
        checks.record_bbic(INVESTIGATING, data)
    assert _field(error) == "area"


def test_completing_with_interventions_needs_a_decided_intervention() -> None:
    data = i.CompleteInvestigation(
        completed_on=dt.date(2025, 10, 20), outcome=InvestigationOutcome.INTERVENTIONS
    )
    with pytest.raises(ForbiddenTransition, match="minst en insats"):
        checks.complete_investigation(INVESTIGATING, data)
    decided = replace(INVESTIGATING, interventions=(Running(7, dt.date(2025, 10, 15), None),))
    checks.complete_investigation(decided, data)


def test_only_a_running_intervention_of_the_case_can_be_ended() -> None:
    facts = replace(
        FACTS,
        interventions=(
            Running(1, dt.date(2025, 8, 1), dt.date(2025, 9, 1)),
            Running(2, dt.date(2025, 8, 1), None),
        ),
    )
    for intervention_id in (1, 3):
        data = i.EndIntervention(
            intervention_id=intervention_id, ended_on=dt.date(2025, 10, 1), reason="Klar"
        )
        with pytest.raises(InvalidInput, match="Ingen pågående insats") as error:
            checks.end_intervention(facts, data)
        assert _field(error) == "intervention_id"
    early = i.EndIntervention(intervention_id=2, ended_on=dt.date(2025, 7, 31), reason="Klar")
    with pytest.raises(InvalidInput, match="före 2025-08-01"):
        checks.end_intervention(facts, early)


def test_a_case_with_a_running_intervention_cannot_be_closed() -> None:
    facts = replace(
        FACTS,
        interventions=(Running(2, dt.date(2025, 8, 1), None),),
        followed_up_on=(dt.date(2025, 10, 1),),
    )
    with pytest.raises(ForbiddenTransition, match="1 insats"):
        checks.close(facts, i.Close(closed_on=dt.date(2025, 10, 2)))
