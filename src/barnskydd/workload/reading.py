"""Read the dated facts of a unit's cases from the chain, once, for `points.items_on`."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from barnskydd.cases.codes import Concern, LegalBasis
from barnskydd.cases.models import Case, Investigation, Report
from barnskydd.core.clock import SWEDEN
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child, Guardian
from barnskydd.workload.points import CaseFacts, InterventionFacts


def unit_facts(
    session: Session, *, unit_id: int, since: dt.date, until: dt.date
) -> list[CaseFacts]:
    """Return the facts of the unit's cases open at any time from `since` to `until`.

    Who holds a case is read as it is now: the chain does not record earlier holders, so a
    reassigned case counts for its present holder on every day of a trend.
    """
    last_moment = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), SWEDEN)
    cases = list(
        session.scalars(
            select(Case)
            .join(Report, Report.case_id == Case.id)
            .where(
                Case.unit_id == unit_id,
                Report.received_at < last_moment,
                or_(Case.closed_on.is_(None), Case.closed_on > since),
            )
            .options(
                selectinload(Case.report).selectinload(Report.concerns),
                selectinload(Case.protection_assessment),
                selectinload(Case.preliminary_assessment),
                selectinload(Case.investigation).selectinload(Investigation.extensions),
                selectinload(Case.preliminary_extensions),
                selectinload(Case.interventions),
            )
        )
    )
    child_ids = {c.child_id for c in cases}
    protected = set(
        session.scalars(
            select(Child.id).where(
                Child.id.in_(child_ids), Child.protected_identity != ProtectedIdentity.NONE
            )
        )
    )
    interpreter = set(
        session.scalars(
            select(Guardian.child_id).where(
                Guardian.child_id.in_(child_ids), Guardian.interpreter.is_not(None)
            )
        )
    )
    groups = Counter(c.report_group for c in cases if c.report_group is not None)
    return [_facts(c, protected, interpreter, groups) for c in cases]


def _facts(
    case: Case, protected: set[int], interpreter: set[int], groups: Counter[int | None]
) -> CaseFacts:
    report = case.report
    pa = case.protection_assessment
    pre = case.preliminary_assessment
    inv = case.investigation
    return CaseFacts(
        case_id=case.id,
        assigned_to_id=case.assigned_to_id,
        received_on=report.received_at.astimezone(SWEDEN).date(),
        closed_on=case.closed_on,
        protection_on=pa.assessed_at.astimezone(SWEDEN).date() if pa else None,
        preliminary_on=pre.decided_on if pre else None,
        investigation_from=inv.started_on if inv else None,
        investigation_to=inv.completed_on if inv else None,
        interventions=tuple(
            InterventionFacts(
                category=x.category,
                lvu=x.legal_basis is LegalBasis.LVU,
                decided_on=x.decided_on,
                ended_on=x.ended_on,
            )
            for x in case.interventions
        ),
        honour_related=any(c.concern is Concern.HONOUR_RELATED for c in report.concerns),
        protected_identity=case.child_id in protected,
        interpreter=case.child_id in interpreter,
        siblings=case.report_group is not None and groups[case.report_group] > 1,
        protection_due=report.protection_due,
        preliminary_dues=_dues(
            report.preliminary_due,
            [(e.decided_on, e.new_due, e.previous_due) for e in case.preliminary_extensions],
        ),
        investigation_dues=()
        if inv is None
        else _dues(
            inv.original_due, [(e.decided_on, e.new_due, e.previous_due) for e in inv.extensions]
        ),
    )


def _dues(
    first: dt.date, extensions: list[tuple[dt.date, dt.date, dt.date]]
) -> tuple[tuple[dt.date, dt.date], ...]:
    """Return (in force from, last day) pairs: the first deadline, then each extension's.

    `first` may already be the extended day (the report keeps the current one); the first
    extension's previous day is then the original.
    """
    ordered = sorted(extensions)
    original = ordered[0][2] if ordered else first
    return ((dt.date.min, original), *((on, new) for on, new, _ in ordered))
