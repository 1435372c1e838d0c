"""The synthetic municipality gives early help through the chain: at a screen-out, and in
some investigations while they run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import CaseStatus, PreliminaryOutcome
from barnskydd.cases.models import Case, Investigation, PreliminaryAssessment
from barnskydd.early_help import service as early_help
from barnskydd.early_help.models import EarlyHelp
from barnskydd.synth.generator import generate


def test_some_reports_not_opened_are_screened_out_with_early_help(session: Session) -> None:
    report = generate(
        session,
        municipality_code="0483",
        start=dt.date(2025, 7, 1),
        end=dt.date(2026, 3, 1),
        seed=11,
        scale=0.25,  # enough reports that the 15 % and 10 % draws are never all missed
    )
    assert len(early_help.services(session, on=dt.date(2025, 7, 1))) == 3
    offered = list(
        session.scalars(
            select(PreliminaryAssessment).where(
                PreliminaryAssessment.outcome == PreliminaryOutcome.EARLY_HELP_OFFERED
            )
        )
    )
    assert offered
    assert report.preliminary["early_help_offered"] == len(offered)
    everything = list(session.scalars(select(EarlyHelp)))
    given = {
        g.case_id: g for g in everything if g.given_during is CaseStatus.PRELIMINARY_ASSESSMENT
    }
    assert set(given) == {a.case_id for a in offered}
    during = [g for g in everything if g.given_during is not CaseStatus.PRELIMINARY_ASSESSMENT]
    assert during, "no early help given during an investigation"
    for g in during:
        assert g.given_during is CaseStatus.INVESTIGATION
        investigation = session.scalars(
            select(Investigation).where(Investigation.case_id == g.case_id)
        ).one()
        assert investigation.started_on < g.started_on
        assert investigation.completed_on is None or g.started_on < investigation.completed_on
    assert any(g.requested_by_family for g in during) or len(during) < 3
    for assessment in offered:
        case = session.get(Case, assessment.case_id)
        assert case is not None
        assert case.status is CaseStatus.CLOSED
        assert given[case.id].guardian_consent
        assert given[case.id].started_on >= dt.date(2025, 7, 1)
    assert report.preliminary["not_opened"] > len(offered)
