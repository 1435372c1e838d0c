"""The 34 kap. SoL report: decided interventions not carried out within three months.

Each quarter the nämnd reports to IVO and the municipal auditors every favourable decision
under 11 kap. 1 § SoL not carried out within three months of the decision, with the decision
date, the kind of intervention and the reason for the delay, and reports the carrying out of
earlier reported ones when it happens (34 kap. 1–2 §§ SoL, rules.REPORT_NOT_EXECUTED and
REPORT_EXECUTED, read in the statute text; the three months are the rule sets'
`unexecuted_decision`). Not covered: a decision not carried out again within three months of
an interrupted execution (1 § andra stycket; the chain records no interruption), economic aid
under 12 kap. 1 § (not a case of this system) and the statistics report to
kommunfullmäktige (3 §). A reason
is required for every row before the report can be exported. The rows hold no names, identity
numbers or case numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import INTERVENTION_LABELS, LegalBasis
from barnskydd.cases.models import Case, Intervention
from barnskydd.core.actor import Actor
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.deviations import rules
from barnskydd.deviations.models import NonExecutionReason
from barnskydd.law import rules as law
from barnskydd.law.calendar import add_months
from barnskydd.staff.models import Unit

QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
QUARTER_MONTHS = 3
MSG_QUARTER = "Ange kvartalet som ÅÅÅÅ-Qn, till exempel 2026-Q1."
MSG_ROLE = "Bara lex Sarah-ansvarig får sammanställa rapporten enligt 34 kap. SoL."
MSG_REASON = "Skriv skälet till dröjsmålet."
CSV_COLUMNS = (
    "beslutsdatum",
    "insats",
    "enhet",
    "tre_manader_fran",
    "verkstallt",
    "skal",
)


@dataclass(frozen=True, slots=True)
class Row:
    """One decision in the report: no child data, only the decision and why it waits."""

    intervention_id: int
    decided_on: dt.date
    category: str
    unit: str
    overdue_from: dt.date
    executed_on: dt.date | None
    reason: str | None


def parse_quarter(text: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a quarter written ÅÅÅÅ-Qn."""
    match = QUARTER.fullmatch(text.strip())
    if match is None or not 1900 <= int(match.group(1)) <= 2199:
        raise InvalidInput(MSG_QUARTER, field="quarter")
    year, number = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * number - 2, 1)
    return first, add_months(first, QUARTER_MONTHS) - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> str:
    """Return the quarter a day falls in, written ÅÅÅÅ-Qn."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _check(actor: Actor) -> None:
    if not rules.investigates(actor):
        raise PermissionDenied(MSG_ROLE)


def _three_months(decided_on: dt.date) -> dt.date:
    """The day the three months of the rule sets' `unexecuted_decision` end (not moved)."""
    try:
        return law.later_deadline("unexecuted_decision", decided_on).due
    except InvalidInput:  # before the rule sets (2013) or past the calendar: the same months
        return add_months(decided_on, 3)


def get_rows(session: Session, *, actor: Actor, quarter: str) -> list[Row]:
    """Return the quarter's decisions not carried out within three months, oldest first.

    A decision is listed when its three months ran out by the quarter's end and it had not
    started by then (start_on after the three months), unless it started before the quarter
    began (reported as carried out in an earlier quarter).
    """
    _check(actor)
    first, last = parse_quarter(quarter)
    reasons = {  # noqa: C416  (dict() of SQLAlchemy 2.1 rows is refused at run time)
        intervention_id: reason
        for intervention_id, reason in session.execute(
            select(NonExecutionReason.intervention_id, NonExecutionReason.reason).where(
                NonExecutionReason.quarter == quarter
            )
        )
    }
    query = (
        select(Intervention, Unit.name)
        .join(Case, Case.id == Intervention.case_id)
        .join(Unit, Unit.id == Case.unit_id)
        .where(Intervention.legal_basis == LegalBasis.SOL, Intervention.start_on >= first)
        .order_by(Intervention.decided_on, Intervention.id)
    )
    rows = []
    for intervention, unit in session.execute(query):
        overdue_from = _three_months(intervention.decided_on)
        if overdue_from > last or intervention.start_on <= overdue_from:
            continue
        executed = intervention.start_on if intervention.start_on <= last else None
        rows.append(
            Row(
                intervention_id=intervention.id,
                decided_on=intervention.decided_on,
                category=INTERVENTION_LABELS[intervention.category],
                unit=unit,
                overdue_from=overdue_from,
                executed_on=executed,
                reason=reasons.get(intervention.id),
            )
        )
    audit.record(session, actor=actor, action="list", entity="non_executed", purpose=quarter)
    return rows


def set_reason(
    session: Session, *, actor: Actor, quarter: str, intervention_id: int, reason: str
) -> NonExecutionReason:
    """Record (or replace) why a decision waits, for one quarter's report."""
    _check(actor)
    if not any(
        r.intervention_id == intervention_id
        for r in get_rows(session, actor=actor, quarter=quarter)
    ):
        raise NotFound("Beslutet finns inte i kvartalets rapport.", field="intervention_id")
    text = reason.strip()
    if not text:
        raise InvalidInput(MSG_REASON, field=f"reason_{intervention_id}")
    existing = session.scalars(
        select(NonExecutionReason).where(
            NonExecutionReason.quarter == quarter,
            NonExecutionReason.intervention_id == intervention_id,
        )
    ).first()
    if existing is None:
        existing = NonExecutionReason(intervention_id=intervention_id, quarter=quarter)
        session.add(existing)
    existing.reason = text
    existing.recorded_by = actor.username
    existing.recorded_at = utcnow()
    session.flush()
    return existing


def export_rows(session: Session, *, actor: Actor, quarter: str) -> list[Row]:
    """Return the rows for export, refusing while any decision lacks its reason."""
    rows = get_rows(session, actor=actor, quarter=quarter)
    missing = [r for r in rows if not r.reason]
    if missing:
        raise InvalidInput(
            f"{len(missing)} beslut saknar skäl till dröjsmålet; skriv skälen innan export.",
            field="reason",
        )
    return rows


def to_csv(rows: list[Row]) -> str:
    """Return the rows as CSV (semicolon-separated, as Swedish spreadsheets open it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            (
                row.decided_on.isoformat(),
                row.category,
                row.unit,
                row.overdue_from.isoformat(),
                row.executed_on.isoformat() if row.executed_on else "",
                row.reason or "",
            )
        )
    return out.getvalue()
