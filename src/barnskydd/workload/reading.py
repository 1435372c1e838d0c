"""Read the dated facts of a unit's cases from the chain, once, for `points.items_on`.

Plain column queries (no ORM objects): a Göteborg-size unit holds thousands of cases open in
a six-month window, and the team lead's page reads them on every view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import Concern, LegalBasis
from barnskydd.cases.models import (
    Case,
    Intervention,
    Investigation,
    InvestigationExtension,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
    Report,
    ReportConcern,
)
from barnskydd.core.clock import SWEDEN
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child, Guardian
from barnskydd.workload.points import CaseFacts, InterventionFacts

Dues = tuple[tuple[dt.date, dt.date], ...]


def _scope(unit_id: int, since: dt.date, until: dt.date) -> Select[int]:
    last_moment = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), SWEDEN)
    return (
        select(Case.id)
        .join(Report, Report.case_id == Case.id)
        .where(
            Case.unit_id == unit_id,
            Report.received_at < last_moment,
            or_(Case.closed_on.is_(None), Case.closed_on > since),
        )
    )


def unit_facts(
    session: Session, *, unit_id: int, since: dt.date, until: dt.date
) -> list[CaseFacts]:
    """Return the facts of the unit's cases open at any time from `since` to `until`.

    Who holds a case is read as it is now: the chain does not record earlier holders, so a
    reassigned case counts for its present holder on every day of a trend.
    """
    ids = _scope(unit_id, since, until).scalar_subquery()
    rows = session.execute(
        select(
            Case.id,
            Case.assigned_to_id,
            Case.child_id,
            Case.closed_on,
            Case.report_group,
            Report.received_at,
            Report.protection_due,
            Report.preliminary_due,
            ProtectionAssessment.assessed_at,
            PreliminaryAssessment.decided_on,
            Investigation.id.label("investigation_id"),
            Investigation.started_on,
            Investigation.completed_on,
            Investigation.original_due,
        )
        .join(Report, Report.case_id == Case.id)
        .outerjoin(ProtectionAssessment, ProtectionAssessment.case_id == Case.id)
        .outerjoin(PreliminaryAssessment, PreliminaryAssessment.case_id == Case.id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .where(Case.id.in_(ids))
    ).all()
    interventions: dict[int, list[InterventionFacts]] = defaultdict(list)
    for case_id, category, basis, decided_on, ended_on in session.execute(
        select(
            Intervention.case_id,
            Intervention.category,
            Intervention.legal_basis,
            Intervention.decided_on,
            Intervention.ended_on,
        )
        .where(Intervention.case_id.in_(ids))
        .order_by(Intervention.id)
    ):
        interventions[case_id].append(
            InterventionFacts(category, basis is LegalBasis.LVU, decided_on, ended_on)
        )
    honour = set(
        session.scalars(
            select(Report.case_id)
            .join(ReportConcern, ReportConcern.report_id == Report.id)
            .where(Report.case_id.in_(ids), ReportConcern.concern == Concern.HONOUR_RELATED)
        )
    )
    preliminary_ext = _extensions(
        session,
        select(
            PreliminaryExtension.case_id,
            PreliminaryExtension.decided_on,
            PreliminaryExtension.new_due,
            PreliminaryExtension.previous_due,
        ).where(PreliminaryExtension.case_id.in_(ids)),
    )
    investigation_ext = _extensions(
        session,
        select(
            Investigation.case_id,
            InvestigationExtension.decided_on,
            InvestigationExtension.new_due,
            InvestigationExtension.previous_due,
        )
        .join(Investigation, Investigation.id == InvestigationExtension.investigation_id)
        .where(Investigation.case_id.in_(ids)),
    )
    children = select(Case.child_id).where(Case.id.in_(ids)).scalar_subquery()
    protected = set(
        session.scalars(
            select(Child.id).where(
                Child.id.in_(children), Child.protected_identity != ProtectedIdentity.NONE
            )
        )
    )
    interpreter = set(
        session.scalars(
            select(Guardian.child_id).where(
                Guardian.child_id.in_(children), Guardian.interpreter.is_not(None)
            )
        )
    )
    groups = Counter(r.report_group for r in rows if r.report_group is not None)
    return [
        CaseFacts(
            case_id=r.id,
            assigned_to_id=r.assigned_to_id,
            received_on=_local(r.received_at),
            closed_on=r.closed_on,
            protection_on=_local(r.assessed_at) if r.assessed_at else None,
            preliminary_on=r.decided_on,
            investigation_from=r.started_on,
            investigation_to=r.completed_on,
            interventions=tuple(interventions.get(r.id, ())),
            honour_related=r.id in honour,
            protected_identity=r.child_id in protected,
            interpreter=r.child_id in interpreter,
            siblings=r.report_group is not None and groups[r.report_group] > 1,
            protection_due=r.protection_due,
            preliminary_dues=_dues(r.preliminary_due, preliminary_ext.get(r.id, [])),
            investigation_dues=()
            if r.investigation_id is None
            else _dues(r.original_due, investigation_ext.get(r.id, [])),
        )
        for r in rows
    ]


def _local(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SWEDEN).date()


def _extensions(
    session: Session, query: Select[int, dt.date, dt.date, dt.date]
) -> dict[int, list[tuple[dt.date, dt.date, dt.date]]]:
    found: dict[int, list[tuple[dt.date, dt.date, dt.date]]] = defaultdict(list)
    for case_id, decided_on, new_due, previous_due in session.execute(query):
        found[case_id].append((decided_on, new_due, previous_due))
    return found


def _dues(first: dt.date, extensions: list[tuple[dt.date, dt.date, dt.date]]) -> Dues:
    """Return (in force from, last day) pairs: the first deadline, then each extension's.

    `first` may already be the extended day (the report keeps the current one); the first
    extension's previous day is then the original.
    """
    ordered = sorted(extensions)
    original = ordered[0][2] if ordered else first
    return ((dt.date.min, original), *((on, new) for on, new, _ in ordered))
