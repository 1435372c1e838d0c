"""Build the read model of a case (CaseRead) from a loaded case: pure, no queries."""

from __future__ import annotations

import datetime as dt

from barnskydd.cases.models import Case
from barnskydd.cases.schemas import CaseRead, DeadlineRead, InterventionRead
from barnskydd.core.clock import local_date


def _deadline(
    step: str, due: dt.date, reference: str, done_on: dt.date | None, today: dt.date
) -> DeadlineRead:
    return DeadlineRead(
        step=step,
        due=due,
        reference=reference,
        done_on=done_on,
        on_time=None if done_on is None else done_on <= due,
        days_left=None if done_on is not None else (due - today).days,
    )


def case_read(case: Case, *, today: dt.date) -> CaseRead:
    """Describe a case's chain and its deadlines on a given day."""
    report = case.report
    protection = case.protection_assessment
    preliminary = case.preliminary_assessment
    investigation = case.investigation
    deadlines = [
        _deadline(
            "protection_assessment",
            report.protection_due,
            report.protection_reference,
            local_date(protection.assessed_at) if protection else None,
            today,
        ),
        _deadline(
            "preliminary_assessment",
            report.preliminary_due,
            report.preliminary_reference,
            preliminary.decided_on if preliminary else None,
            today,
        ),
    ]
    if investigation is not None:
        deadlines.append(
            _deadline(
                "investigation",
                investigation.due,
                investigation.reference,
                investigation.completed_on,
                today,
            )
        )
    child = case.child
    return CaseRead(
        case_number=case.case_number,
        status=str(case.status),
        law=case.law,
        child_name=f"{child.first_name} {child.last_name}",
        child_identity=child.display_identity,
        received_at=report.received_at,
        reporter_category=str(report.reporter_category),
        mandatory_reporter=report.mandatory_reporter,
        concerns=[str(c.concern) for c in report.concerns],
        preliminary_outcome=str(preliminary.outcome) if preliminary else None,
        investigation_outcome=(
            str(investigation.outcome) if investigation and investigation.outcome else None
        ),
        extensions=len(investigation.extensions) if investigation else 0,
        deadlines=deadlines,
        interventions=[InterventionRead.model_validate(i) for i in case.interventions],
        follow_ups=[f.followed_up_on for f in case.follow_ups],
        closed_on=case.closed_on,
    )
