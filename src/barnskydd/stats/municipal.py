"""The municipality's own numbers: what the chain recorded, counted per period, protected.

Six tables for a period of whole months (and one unit, or all), never per person:

- `reports_by_month`: reports received per month and reporter category, and each month's total;
- `outcomes_by_reporter` / `outcomes_by_concern`: of those reports, the screened out (the
  preliminary assessment opened no investigation), the investigations opened and those that
  ended in interventions; per concern a report counts once for each concern it names. The
  reporter table has a row `all` for every report;
- `timeliness`: for every rule with a deadline (law.rules.ALL_RULE_NAMES), the deadlines whose
  last day fell in the period and no later than today (`due`), those met by their last day
  (`on_time`) and the rest (`late`: met after it, or still not met). What meets each rule is
  in `_LATER` below and in barnskydd.cases.deadlines;
- `rereports`: the children with a report in the period, and those reported again within 12
  months (the national measure's rule: a later report in a later month at most 12 months on,
  counted over all the municipality's reports);

Counts from 1 to threshold-1 are suppressed, then complementary cells until no suppressed cell
can be recomputed from the published ones (barnskydd.stats.suppression, the national
release's rule and search; the relations between these tables are here). A share is shown only
when both its counts are. The child's voice themes are the voice report's own protected
tables (barnskydd.voice.report) for the years the period touches; the national comparison
reads the latest release published by `barnskydd stats release` into the directory
BARNSKYDD_NATIONAL_RELEASE_DIR names.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from barnskydd.cases.codes import (
    CONCERN_LABELS,
    NEVER_MANDATORY,
    PLACEMENTS,
    REPORTER_LABELS,
    Concern,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.cases.deadlines import FEEDBACK_WEEK_OUTCOMES, RULE_LABELS, feedback_due
from barnskydd.cases.models import (
    Case,
    Intervention,
    Investigation,
    PlacementReview,
    PreliminaryAssessment,
    ProtectionAssessment,
    Report,
    ReportConcern,
    ReporterFeedback,
)
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN, local_date
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.law import rules as law
from barnskydd.staff import deployment
from barnskydd.staff.models import Unit
from barnskydd.stats.suppression import DEFAULT_THRESHOLD, Relation, protect

Cell = tuple[str, int, tuple[str, ...], str]
Row = dict[str, Any]
PERIOD = 0  # the one "year" slot of the suppression's cells: one period per computation
ALL = "all"
REPORTERS = tuple(c.value for c in ReporterCategory)
CONCERNS = tuple(c.value for c in Concern)
OUTCOME_COLUMNS = ("reports", "screened_out", "investigation_opened", "with_interventions")
TIMELINESS_COLUMNS = ("due", "on_time", "late")
REREPORT_COLUMNS = ("children", "children_rereported_within_12_months")
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # name: (keys, counts)
    "reports_by_month": (("month", "reporter_category"), ("reports",)),
    "outcomes_by_reporter": (("reporter_category",), OUTCOME_COLUMNS),
    "outcomes_by_concern": (("concern",), OUTCOME_COLUMNS),
    "timeliness": (("rule",), TIMELINESS_COLUMNS),
    "rereports": ((), REREPORT_COLUMNS),
}
TABLE_TITLES = {
    "reports_by_month": "Anmälningar per månad och anmälarkategori",
    "outcomes_by_reporter": "Vad anmälningarna leder till, per anmälarkategori",
    "outcomes_by_concern": "Vad anmälningarna leder till, per oro",
    "timeliness": "Frister: i tid och sent",
    "rereports": "Barn som anmäls igen inom 12 månader",
}
ROLES = (Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN, Role.SYSTEM)
ALL_UNITS = (Role.ANALYST, Role.ADMIN, Role.SYSTEM)  # team leads see their own unit only


@dataclass(frozen=True, slots=True)
class Period:
    """Whole months from `start` to `end`, each as (year, month)."""

    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def months(self) -> list[str]:
        """Return every month of the period as YYYY-MM."""
        out, (y, m) = [], self.start
        while (y, m) <= self.end:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def first_day(self) -> dt.date:
        """Return the period's first day."""
        return dt.date(*self.start, 1)

    @property
    def last_day(self) -> dt.date:
        """Return the period's last day."""
        y, m = self.end
        return (
            dt.date(y + 1, 1, 1) - dt.timedelta(days=1)
            if m == 12
            else dt.date(y, m + 1, 1) - dt.timedelta(days=1)
        )

    def label(self) -> str:
        """Return the period as 'YYYY-MM – YYYY-MM'."""
        return f"{self.months[0]} – {self.months[-1]}"


MAX_MONTHS = 120


def parse_month(value: str, option: str) -> tuple[int, int]:
    """Return (year, month) of 'YYYY-MM', or refuse naming the option."""
    try:
        day = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise InvalidInput(f"'{value}' är ingen månad (ÅÅÅÅ-MM).", field=option) from None
    if len(value) != 7 or not 2000 <= day.year <= 2999:
        raise InvalidInput(f"'{value}' är ingen månad (ÅÅÅÅ-MM).", field=option)
    return day.year, day.month


def period(from_month: str, to_month: str) -> Period:
    """Return the period between two months, both included, at most ten years."""
    result = Period(parse_month(from_month, "from"), parse_month(to_month, "to"))
    if result.start > result.end:
        raise InvalidInput("Perioden börjar efter att den slutar.", field="from")
    if len(result.months) > MAX_MONTHS:
        raise InvalidInput(f"Perioden får vara högst {MAX_MONTHS} månader.", field="to")
    return result


def default_period(today: dt.date) -> Period:
    """Return the last twelve whole months before today's month."""
    end = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    start = (end[0] - 1, end[1] + 1) if end[1] < 12 else (end[0], 1)
    return Period(start, end)


# --- counting -----------------------------------------------------------------------------


def _zero(columns: Sequence[str]) -> dict[str, int]:
    return dict.fromkeys(columns, 0)


@dataclass
class Tables:
    """The counts of one period before protection: table -> key -> column -> count."""

    counts: dict[str, dict[tuple[str, ...], dict[str, int]]]

    def values(self) -> dict[Cell, int]:
        """Return every count cell with its value."""
        return {
            (table, PERIOD, key, column): value
            for table, rows in self.counts.items()
            for key, row in rows.items()
            for column, value in row.items()
        }


@functools.lru_cache(maxsize=8192)
def _due(rule: str, event: dt.date) -> dt.date | None:
    """Return a later rule's last day from `event`, or None when the law of that day has none."""
    try:
        return law.later_deadline(rule, event).due
    except InvalidInput:
        return None


class _Deadlines:
    """Collects deadlines as (rule, last day, day met or None)."""

    def __init__(self, period: Period, today: dt.date) -> None:
        self.first, self.last = period.first_day, min(period.last_day, today)
        self.rows = {r: _zero(TIMELINESS_COLUMNS) for r in law.ALL_RULE_NAMES}

    def add(self, rule: str, due: dt.date | None, met: dt.date | None) -> None:
        if due is None or not self.first <= due <= self.last:
            return
        row = self.rows[rule]
        row["due"] += 1
        row["on_time" if met is not None and met <= due else "late"] += 1


def _reviews(
    deadlines: _Deadlines, rule: str, start: dt.date, reviews: list[dt.date], stop: dt.date
) -> None:
    """Add a placement's review deadlines: each from the start or the review before it."""
    last = start
    for reviewed in [*sorted(reviews), None]:
        due = _due(rule, last)
        if due is None or (reviewed is None and due > stop):
            return
        deadlines.add(rule, due, reviewed)
        if reviewed is None:
            return
        last = max(reviewed, start)


def count(session: Session, *, period: Period, unit_id: int | None, today: dt.date) -> Tables:
    """Count the period's tables from the chain's records (one query per record kind)."""
    code = deployment.municipality(session).code
    scope = (
        select(Case.id).join(Unit, Unit.id == Case.unit_id).where(Unit.municipality_code == code)
    )
    if unit_id is not None:
        scope = scope.where(Case.unit_id == unit_id)
    others = session.scalar(
        select(func.count()).select_from(Unit).where(Unit.municipality_code != code)
    )
    # None: every case counts (all units are ours and no unit was chosen), no filter needed.
    case_ids = scope.scalar_subquery() if unit_id is not None or others else None
    bounds = _month_starts(period.start, len(period.months) + 1)
    month_of = case(
        *((Report.received_at < b, i) for i, b in enumerate(bounds[1:])), else_=len(bounds) - 1
    )
    opened = PreliminaryOutcome.INVESTIGATION_OPENED.value
    columns = {
        "screened_out": PreliminaryAssessment.outcome.in_(  # early help: not opened either
            (PreliminaryOutcome.NOT_OPENED.value, PreliminaryOutcome.EARLY_HELP_OFFERED.value)
        ),
        "investigation_opened": PreliminaryAssessment.outcome == opened,
        "with_interventions": (PreliminaryAssessment.outcome == opened)
        & (Investigation.outcome == InvestigationOutcome.INTERVENTIONS.value),
    }
    counted = [func.count().label("reports")]
    counted += [func.sum(case((c, 1), else_=0)).label(name) for name, c in columns.items()]
    in_period = (
        _in(Case.id, case_ids),
        Report.received_at >= bounds[0],
        Report.received_at < bounds[-1],
    )

    def joined(query: Any) -> Any:
        return (
            query.join(Case, Case.id == Report.case_id)
            .outerjoin(PreliminaryAssessment, PreliminaryAssessment.case_id == Case.id)
            .outerjoin(Investigation, Investigation.case_id == Case.id)
            .where(*in_period)
        )

    Rows = dict[tuple[str, ...], dict[str, int]]
    by_month: Rows = {(m, r): _zero(("reports",)) for m in period.months for r in REPORTERS}
    by_month |= {(m, ALL): _zero(("reports",)) for m in period.months}
    by_reporter: Rows = {(r,): _zero(OUTCOME_COLUMNS) for r in (*REPORTERS, ALL)}
    by_concern: Rows = {(c,): _zero(OUTCOME_COLUMNS) for c in CONCERNS}
    grouped = joined(
        select(month_of.label("m"), Report.reporter_category, *counted).select_from(Report)
    ).group_by(month_of, Report.reporter_category)
    for row in session.execute(grouped).mappings():
        month = period.months[int(row["m"])]
        reporter = ReporterCategory(row["reporter_category"]).value
        by_month[(month, reporter)]["reports"] += int(row["reports"])
        by_month[(month, ALL)]["reports"] += int(row["reports"])
        for key in ((reporter,), (ALL,)):
            for column in OUTCOME_COLUMNS:
                by_reporter[key][column] += int(row[column] or 0)
    by_concerns = joined(
        select(ReportConcern.concern, *counted)
        .select_from(Report)
        .join(ReportConcern, ReportConcern.report_id == Report.id)
    ).group_by(ReportConcern.concern)
    for row in session.execute(by_concerns).mappings():
        for column in OUTCOME_COLUMNS:
            by_concern[(Concern(row["concern"]).value,)][column] += int(row[column] or 0)
    children = select(Case.child_id).join(Report, Report.case_id == Case.id).where(*in_period)

    return Tables(
        {
            "reports_by_month": by_month,
            "outcomes_by_reporter": by_reporter,
            "outcomes_by_concern": by_concern,
            "timeliness": {
                (r,): v for r, v in _timeliness(session, case_ids, period, today).items()
            },
            "rereports": {(): _rereports(session, children.distinct(), period)},
        }
    )


def _met_by_due(session: Session, rule: str, query: Any, due: Any, met: Any, d: _Deadlines) -> None:
    """Count a rule whose last day and the day it was met are both dates, in SQL."""
    counted = query.with_only_columns(
        func.count(), func.sum(case((met.is_not(None) & (met <= due), 1), else_=0))
    ).where(due >= d.first, due <= d.last)
    total, on_time = session.execute(counted).one()
    row = d.rows[rule]
    row["due"] += int(total or 0)
    row["on_time"] += int(on_time or 0)
    row["late"] += int(total or 0) - int(on_time or 0)


def _timeliness(
    session: Session, case_ids: Any, period: Period, today: dt.date
) -> dict[str, dict[str, int]]:
    """Count every deadline whose last day fell in the period (up to today), met or not.

    Each query reads only what can fall due in the period: the first three by their last
    day, feedback by the decision it answers (its week ends within a month of it).
    """
    d = _Deadlines(period, today)
    if d.first > d.last:
        return d.rows
    protection = (
        select(Report.protection_due, ProtectionAssessment.assessed_at)
        .join(Case, Case.id == Report.case_id)
        .outerjoin(ProtectionAssessment, ProtectionAssessment.case_id == Case.id)
        .where(
            _in(Case.id, case_ids),
            Report.protection_due >= d.first,
            Report.protection_due <= d.last,
        )
    )
    for due, assessed_at in session.execute(protection):
        d.add("protection_assessment", due, local_date(assessed_at) if assessed_at else None)
    preliminary = (
        select(Report.id)
        .join(Case, Case.id == Report.case_id)
        .outerjoin(PreliminaryAssessment, PreliminaryAssessment.case_id == Case.id)
        .where(_in(Case.id, case_ids))
    )
    _met_by_due(
        session,
        "preliminary_assessment",
        preliminary,
        Report.preliminary_due,
        PreliminaryAssessment.decided_on,
        d,
    )
    investigation = select(Investigation.id).where(_in(Investigation.case_id, case_ids))
    _met_by_due(
        session, "investigation", investigation, Investigation.due, Investigation.completed_on, d
    )
    first_feedback = (
        select(ReporterFeedback.case_id, func.min(ReporterFeedback.given_at).label("given_at"))
        .group_by(ReporterFeedback.case_id)
        .subquery()
    )
    owed = (
        select(
            Report.reporter_category,
            Report.feedback_requested,
            Report.feedback_requested_on,
            PreliminaryAssessment.outcome,
            PreliminaryAssessment.decided_on,
            first_feedback.c.given_at,
        )
        .join(Report, Report.case_id == PreliminaryAssessment.case_id)
        .outerjoin(first_feedback, first_feedback.c.case_id == PreliminaryAssessment.case_id)
        .where(
            _in(PreliminaryAssessment.case_id, case_ids),
            PreliminaryAssessment.outcome.in_(
                (*FEEDBACK_WEEK_OUTCOMES, PreliminaryOutcome.ALREADY_ONGOING)
            ),
            PreliminaryAssessment.decided_on >= d.first - dt.timedelta(days=31),
            PreliminaryAssessment.decided_on <= d.last,
            Report.mandatory_reporter,
            Report.feedback_requested.is_not(False),
            Report.reporter_category.not_in(list(NEVER_MANDATORY)),
        )
    )
    for category, asked, asked_on, outcome, decided_on, given in session.execute(owed):
        found = feedback_due(  # the inbox's own rule: who asked, and when
            mandatory=True,
            category=category,
            requested=asked,
            requested_on=asked_on,
            outcome=outcome,
            decided_on=decided_on,
        )
        given_on = local_date(given) if given is not None else None
        d.add("feedback", found[0] if found else None, given_on)
    completed = dict(
        session.execute(
            select(Investigation.case_id, Investigation.completed_on).where(
                Investigation.case_id.in_(
                    select(Intervention.case_id).where(
                        _in(Intervention.case_id, case_ids),
                        Intervention.category == InterventionCategory.EMERGENCY_HOME,
                    )
                )
            )
        ).all()
    )
    _later_rules(session, d, case_ids, completed, today)
    return d.rows


def _later_rules(
    session: Session,
    d: _Deadlines,
    case_ids: Any,
    completed: dict[int, dt.date | None],
    today: dt.date,
) -> None:
    """Add the deadlines of interventions and placements (cases.deadlines' rules)."""
    reviews: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for intervention_id, reviewed_on, revised in session.execute(
        select(
            PlacementReview.intervention_id, PlacementReview.reviewed_on,
            PlacementReview.care_plan_revised,
        ).join(Intervention, Intervention.id == PlacementReview.intervention_id)
        .where(_in(Intervention.case_id, case_ids))
    ):  # fmt: skip
        reviews[intervention_id].append((reviewed_on, revised))
    placements_ended: dict[int, list[dt.date | None]] = defaultdict(list)
    closed = dict(
        session.execute(select(Case.id, Case.closed_on).where(_in(Case.id, case_ids))).all()
    )
    query = select(
        Intervention.id, Intervention.case_id, Intervention.category, Intervention.legal_basis,
        Intervention.decided_on, Intervention.start_on, Intervention.ended_on,
        Intervention.judgment_final_on,
    ).where(_in(Intervention.case_id, case_ids))  # fmt: skip
    for x_id, case_id, category, basis, decided, start, ended, judgment in session.execute(query):
        category, basis = InterventionCategory(category), LegalBasis(basis)
        started = start if start <= today else None
        if category is InterventionCategory.YOUTH_SERVICE:
            if judgment is not None:
                d.add("youth_service", _due("youth_service", judgment), started)
            continue
        if basis is LegalBasis.SOL:
            d.add("unexecuted_decision", _due("unexecuted_decision", decided), started)
        if category not in PLACEMENTS or started is None:
            continue
        placements_ended[case_id].append(ended)
        stop = min(ended, today) if ended is not None else today
        done = reviews.get(x_id, [])
        if category is InterventionCategory.EMERGENCY_HOME and completed.get(case_id):
            investigated = completed[case_id]
            assert investigated is not None
            d.add("emergency_home", _due("emergency_home", investigated), ended)
        rule = "lvu_review" if basis is LegalBasis.LVU else "placement_review"
        _reviews(d, rule, start, [r for r, _ in done if r <= stop], stop)
        first_revised = min((r for r, yes in done if yes), default=None)
        care_due = _due("care_plan_revision", start)
        if care_due is not None and (first_revised is not None or care_due <= stop):
            d.add("care_plan_revision", care_due, first_revised)
    for case_id, ends in placements_ended.items():
        if ends and all(e is not None for e in ends):
            last = max(e for e in ends if e is not None)
            d.add("follow_up", _due("follow_up", last), closed.get(case_id))


def _in(column: Any, case_ids: Any) -> Any:
    """Return the condition that `column` (a case id) is in scope."""
    return true() if case_ids is None else column.in_(case_ids)


def _month_starts(start: tuple[int, int], count: int) -> list[dt.datetime]:
    """Return the instants (aware) at which `count` months from `start` begin in Sweden."""
    out, (y, m) = [], start
    for _ in range(count):
        out.append(dt.datetime(y, m, 1, tzinfo=SWEDEN))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _rereports(session: Session, children: Any, period: Period) -> dict[str, int]:
    """Count the period's children and those reported again within 12 months (any unit).

    A child counts when a month of the period with a report of theirs is followed by their
    next month with a report at most 12 months on (the national measure's LEAD over months).
    """
    months = len(period.months) + 12
    bounds = _month_starts(period.start, months + 1)
    month_of = case(*((Report.received_at < b, i) for i, b in enumerate(bounds[1:])), else_=months)
    query = (
        select(Case.child_id, month_of)
        .join(Report, Report.case_id == Case.id)
        .where(
            Case.child_id.in_(children),
            Report.received_at >= bounds[0],
            Report.received_at < bounds[-1],
        )
        .distinct()
    )
    seen: dict[int, list[int]] = defaultdict(list)
    for child_id, month in session.execute(query):
        seen[child_id].append(int(month))
    inside = len(period.months)
    again = 0
    for found in seen.values():
        ordered = sorted(found)
        if any(a < inside and b - a <= 12 for a, b in itertools.pairwise(ordered)):
            again += 1
    counted = sum(1 for found in seen.values() if min(found) < inside)
    return {"children": counted, "children_rereported_within_12_months": again}


# --- protection ---------------------------------------------------------------------------


def _cell(table: str, key: tuple[str, ...], column: str) -> Cell:
    return (table, PERIOD, key, column)


def relations(tables: Tables) -> list[Relation]:
    """Return every linear relation an attacker can use between the published cells."""
    out: list[Relation] = []
    counts = tables.counts
    months = sorted({k[0] for k in counts["reports_by_month"]})
    m, r, c = "reports_by_month", "outcomes_by_reporter", "outcomes_by_concern"
    for month in months:  # each month's total is the sum of its categories
        terms = [(_cell(m, (month, ALL), "reports"), 1)]
        terms += [(_cell(m, (month, x), "reports"), -1) for x in REPORTERS]
        out.append(Relation(tuple(terms), exact=True))
    for x in (*REPORTERS, ALL):  # a category's months add up to its reports
        terms = [(_cell(r, (x,), "reports"), 1)]
        terms += [(_cell(m, (month, x), "reports"), -1) for month in months]
        out.append(Relation(tuple(terms), exact=True))
    for column in OUTCOME_COLUMNS:
        terms = [(_cell(r, (ALL,), column), 1)]
        terms += [(_cell(r, (x,), column), -1) for x in REPORTERS]
        out.append(Relation(tuple(terms), exact=True))
        # Every report names at least one concern: the concerns' sum is at least the total.
        terms = [(_cell(c, (y,), column), 1) for y in CONCERNS]
        terms.append((_cell(r, (ALL,), column), -1))
        out.append(Relation(tuple(terms), exact=False))
    for table, keys in ((r, [(x,) for x in (*REPORTERS, ALL)]), (c, [(y,) for y in CONCERNS])):
        for key in keys:
            split = (
                (_cell(table, key, "reports"), 1),
                (_cell(table, key, "screened_out"), -1),
                (_cell(table, key, "investigation_opened"), -1),
            )
            out.append(Relation(split, exact=False))
            nested = (
                (_cell(table, key, "investigation_opened"), 1),
                (_cell(table, key, "with_interventions"), -1),
            )
            out.append(Relation(nested, exact=False))
    for rule in law.ALL_RULE_NAMES:
        t = "timeliness"
        parts = (
            (_cell(t, (rule,), "due"), 1),
            (_cell(t, (rule,), "on_time"), -1),
            (_cell(t, (rule,), "late"), -1),
        )
        out.append(Relation(parts, exact=True))
    rere = (
        (_cell("rereports", (), "children"), 1),
        (_cell("rereports", (), "children_rereported_within_12_months"), -1),
    )
    out.append(Relation(rere, exact=False))
    children = (
        (_cell(r, (ALL,), "reports"), 1),
        (_cell("rereports", (), "children"), -1),
    )
    out.append(Relation(children, exact=False))
    return out


# --- the published numbers ----------------------------------------------------------------


@dataclass
class National:
    """The latest national release's figures to compare with, or why there are none."""

    loaded: bool
    note: str
    year: int | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Numbers:
    """Everything the page, the downloads and the CLI show: protected, no personal data."""

    period: Period
    unit: str  # the unit's name, or "" for the whole municipality
    threshold: int
    tables: dict[str, list[Row]]
    suppressed: int
    voice: list[Row]
    national: National

    def to_json(self) -> dict[str, Any]:
        """Return the JSON the CLI prints (suppressed counts are null)."""
        return {
            "period": {"from": self.period.months[0], "to": self.period.months[-1]},
            "unit": self.unit or None,
            "threshold": self.threshold,
            "suppressed_cells": self.suppressed,
            "tables": self.tables,
            "voice_themes": self.voice,
            "national": {
                "loaded": self.national.loaded,
                "note": self.national.note,
                "year": self.national.year,
                "rows": self.national.rows,
            },
        }


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return round(part / whole, 3)


def publish(tables: Tables, hidden: set[Cell]) -> dict[str, list[Row]]:
    """Return the rows of every table: suppressed cells None, shares where both counts show."""
    out: dict[str, list[Row]] = {}
    for table, (keys, counts) in TABLES.items():
        rows = []
        for key, values in tables.counts[table].items():
            row: Row = dict(zip(keys, key, strict=True))
            for column in counts:
                row[column] = None if _cell(table, key, column) in hidden else values[column]
            if table == "timeliness":
                row["share_on_time"] = _share(row["on_time"], row["due"])
            elif table == "rereports":
                row["share_rereported"] = _share(
                    row["children_rereported_within_12_months"], row["children"]
                )
            elif table != "reports_by_month":
                row["share_investigated"] = _share(row["investigation_opened"], row["reports"])
            rows.append(row)
        out[table] = rows
    return out


def scope(session: Session, actor: Actor, unit_id: int | None) -> tuple[int | None, str]:
    """Return the unit the actor may see (id and name; None and "" for the municipality)."""
    if actor.role not in ROLES:
        raise PermissionDenied("Din roll har inte tillgång till kommunens statistik.")
    if actor.role not in ALL_UNITS:
        if unit_id is not None and unit_id != actor.unit_id:
            raise PermissionDenied("Arbetsledare ser statistik för sin egen enhet.")
        unit_id = actor.unit_id
        if unit_id is None:
            raise PermissionDenied("Du hör inte till någon enhet.")
    if unit_id is None:
        return None, ""
    name = session.scalar(select(Unit.name).where(Unit.id == unit_id))
    if name is None:
        raise NotFound("Enheten finns inte.")
    return unit_id, name


def numbers(
    session: Session,
    *,
    actor: Actor,
    period: Period,
    unit_id: int | None,
    today: dt.date,
    threshold: int = DEFAULT_THRESHOLD,
    release_dir: Path | None = None,
) -> Numbers:
    """Count, protect and return the period's numbers for the actor's allowed unit(s)."""
    unit_id, unit_name = scope(session, actor, unit_id)
    tables = count(session, period=period, unit_id=unit_id, today=today)
    hidden = protect(tables.values(), relations(tables), threshold=threshold)
    return Numbers(
        period=period,
        unit=unit_name,
        threshold=threshold,
        tables=publish(tables, hidden),
        suppressed=len(hidden),
        voice=_voice(session, period, unit_name, threshold),
        national=national(release_dir, publish(tables, hidden)),
    )


def _voice(session: Session, period: Period, unit: str, threshold: int) -> list[Row]:
    """Return the voice report's protected theme rows for the municipality (and the unit)."""
    from barnskydd.voice import report

    out: list[Row] = []
    for year in range(period.start[0], period.end[0] + 1):
        tables = report.count(session, year)
        published = report.rows(tables, report.suppress(tables, threshold=threshold))
        keep = {"", unit} if unit else {""}
        out += [r for r in published[report.THEMES_TABLE] if r["unit"] in keep]
    return out


def unit_id(session: Session, unit: str) -> int:
    """Return the id of a unit given by id or by name, or refuse naming the option."""
    query = (
        select(Unit.id).where(Unit.id == int(unit)) if unit.isdigit() and len(unit) < 10 else None
    )
    found = session.scalar(query) if query is not None else None
    found = found or session.scalar(select(Unit.id).where(Unit.name == unit))
    if found is None:
        raise NotFound(f"Enheten '{unit}' finns inte.", field="unit")
    return int(found)


def summary_lines(result: Numbers) -> list[str]:
    """Return the numbers as lines of Swedish text (the CLI without --json)."""

    def shown(value: object) -> str:
        return "–" if value is None else str(value)

    t = result.tables
    lines = [
        f"Kommunens siffror {result.period.label()}, {result.unit or 'hela kommunen'}",
        f"(antal under {result.threshold} och antal som skulle avslöja dem visas som –)",
        "",
        "Anmälningar per månad:",
    ]
    lines += [
        f"  {r['month']}: {shown(r['reports'])}"
        for r in t["reports_by_month"]
        if r["reporter_category"] == ALL
    ]
    lines += ["", "Anmälare: anmälningar / utreds inte / utredning inleds / insats"]
    for r in t["outcomes_by_reporter"]:
        counts = " / ".join(shown(r[c]) for c in OUTCOME_COLUMNS)
        lines.append(f"  {REPORTER_NAMES[r['reporter_category']]}: {counts}")
    lines += ["", "Frister: antal / i tid / sent"]
    for r in t["timeliness"]:
        counts = " / ".join(shown(r[c]) for c in TIMELINESS_COLUMNS)
        lines.append(f"  {RULE_LABELS[r['rule']]}: {counts}")
    re_row = t["rereports"][0]
    lines += [
        "",
        f"Barn med anmälan: {shown(re_row['children'])}, anmälda igen inom 12 månader: "
        f"{shown(re_row['children_rereported_within_12_months'])}",
        "",
        result.national.note,
    ]
    return lines


# --- the national release -----------------------------------------------------------------


def national(release_dir: Path | None, own: dict[str, list[Row]]) -> National:
    """Compare with the latest year of the release in `release_dir`, if one is there.

    The directory is one published by `barnskydd stats release` (release.json and one
    directory per year of CSV files, barnskydd.stats.release.publish).
    """
    if release_dir is None:
        return National(
            False, "Ingen nationell statistik är inläst (BARNSKYDD_NATIONAL_RELEASE_DIR)."
        )
    meta_path = release_dir / "release.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        year = int(max(meta["years"]))
        reporter = _read_csv(release_dir / str(year) / "funnel_by_reporter.csv")
        timely = _read_csv(release_dir / str(year) / "timeliness_by_municipality.csv")
        rereports = _read_csv(release_dir / str(year) / "rereports.csv")
    except (OSError, ValueError, KeyError):
        return National(False, f"Ingen läsbar nationell statistik i {release_dir}.")
    rows: list[Row] = []
    total = _sum(reporter, "reports")
    own_reporters = {r["reporter_category"]: r for r in own["outcomes_by_reporter"]}
    own_total = own_reporters[ALL]["reports"]
    for r in reporter:
        category = r["reporter_category"]
        mine = own_reporters.get(category, {})
        name = REPORTER_LABELS[ReporterCategory(category)].lower()
        rows.append(
            {
                "measure": f"share_reports_{category}",
                "label": f"Andel anmälningar från {name}",
                "municipality": _share(mine.get("reports"), own_total),
                "national": _share(_int(r["reports"]), total),
            }
        )
    rows.append(
        {
            "measure": "share_investigated",
            "label": "Andel anmälningar där utredning inleds",
            "municipality": own_reporters[ALL]["share_investigated"],
            "national": _share(_sum(reporter, "investigation_opened"), total),
        }
    )
    own_timely = {r["rule"]: r for r in own["timeliness"]}
    for rule, decided, on_time in (
        ("preliminary_assessment", "preliminary_decided", "preliminary_on_time"),
        ("investigation", "investigations_completed", "investigations_on_time"),
    ):
        rows.append(
            {
                "measure": f"share_on_time_{rule}",
                "label": f"Andel i tid: {RULE_LABELS[rule].lower()}",
                "municipality": own_timely[rule]["share_on_time"],
                "national": _share(_sum(timely, on_time), _sum(timely, decided)),
            }
        )
    own_re = own["rereports"][0]
    national_re = rereports[0] if rereports else {}
    rows.append(
        {
            "measure": "share_rereported",
            "label": "Andel barn som anmäls igen inom 12 månader",
            "municipality": own_re["share_rereported"],
            "national": _share(
                _int(national_re.get("children_rereported_within_12_months", "")),
                _int(national_re.get("children", "")),
            ),
        }
    )
    note = (
        f"Nationell statistik {year} (skydd: {meta.get('protection', {}).get('method', '?')}). "
        "Undertryckta celler räknas inte med i de nationella andelarna."
    )
    return National(True, note, year, rows)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _sum(rows: Iterable[dict[str, str]], column: str) -> int:
    return sum(_int(r.get(column)) or 0 for r in rows)


# --- downloads ----------------------------------------------------------------------------

REPORTER_NAMES = {**{r.value: label for r, label in REPORTER_LABELS.items()}, ALL: "Alla"}
CONCERN_NAMES = {c.value: label for c, label in CONCERN_LABELS.items()}


def csv_text(result: Numbers) -> str:
    """Return every table in one long CSV: table, key columns, column, value (empty: hidden)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "month", "category", "column", "value"])
    for table, rows in result.tables.items():
        keys = TABLES[table][0]
        for row in rows:
            month = row.get("month", "")
            category = next((str(row[k]) for k in keys if k != "month"), "")
            for column, value in row.items():
                if column in keys:
                    continue
                writer.writerow([table, month, category, column, "" if value is None else value])
    return buffer.getvalue()


def workbook_bytes(result: Numbers) -> bytes:
    """Return the numbers as an Excel workbook: an about sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "Om statistiken"
    about.append(["Barnskydd: kommunens egna siffror"])
    about["A1"].font = Font(bold=True)
    about.append(["Period", result.period.label()])
    about.append(["Enhet", result.unit or "Hela kommunen"])
    about.append(
        [
            "Tomma celler",
            f"undertryckta: antal under {result.threshold} och celler som skulle avslöja dem",
        ]
    )
    for table, rows in result.tables.items():
        sheet = book.create_sheet(table[:31])
        header = list(rows[0]) if rows else list(TABLES[table][0] + TABLES[table][1])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[c] for c in header])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
