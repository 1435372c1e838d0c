"""The municipality's own numbers against an independent count of a synthetic municipality.

The synthetic municipality is generated through the service layer; the test then counts its
tables again in plain SQL and Python (not with barnskydd.stats.municipal) and compares every
published number: unprotected (threshold 1) every cell must be equal; protected (threshold 5)
every published cell must be equal, every count from 1 to 4 empty, and no empty cell
recomputable from the published ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, Integer, text
from sqlalchemy.orm import Session

from barnskydd.core.actor import SYSTEM, Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import UTCDateTime
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.law import rules as law
from barnskydd.stats import municipal
from barnskydd.stats.suppression import determined
from barnskydd.synth.generator import generate

START, END = dt.date(2025, 9, 1), dt.date(2026, 11, 30)
PERIOD = municipal.period("2025-10", "2026-09")
TODAY = END
# The week from the decision (19 kap. 6 § SoL); early help is a decision not to open.
FEEDBACK_OUTCOMES = ("investigation_opened", "not_opened", "early_help_offered")
NEVER_MANDATORY = ("private_person", "relative", "child_self", "anonymous")
PLACEMENTS = (
    "family_home",
    "residential_hvb",
    "supported_housing",
    "emergency_home",
    "sis_secure",
)


def _month(moment: dt.datetime) -> str:
    return f"{moment.astimezone(SWEDEN):%Y-%m}"


def _local(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(SWEDEN).date() if moment is not None else None


def _due(rule: str, event: dt.date) -> dt.date | None:
    try:
        return law.later_deadline(rule, event).due
    except InvalidInput:
        return None


def expected(
    session: Session, unit_id: int | None, *, today: dt.date = TODAY
) -> dict[str, dict[tuple[str, ...], dict[str, int]]]:
    """Count every table again from the database's tables, in SQL and plain Python."""
    months = PERIOD.months
    reports = session.execute(
        text(
            "SELECT c.unit_id, c.id, c.child_id, r.id, r.received_at, r.reporter_category, "
            'p.outcome, i.outcome FROM "case" c JOIN report r ON r.case_id = c.id '
            "LEFT JOIN preliminary_assessment p ON p.case_id = c.id "
            "LEFT JOIN investigation i ON i.case_id = c.id"
        ).columns(received_at=UTCDateTime)
    ).all()
    by_month: Counter[tuple[str, str]] = Counter()
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    report_columns: dict[int, list[str]] = {}
    children = set()
    for unit, _case, child, report, received, reporter, preliminary, outcome in reports:
        month = _month(received)
        if month not in months or unit_id not in (None, unit):
            continue
        by_month[(month, reporter)] += 1
        by_month[(month, "all")] += 1
        columns = ["reports"]
        if preliminary in ("not_opened", "early_help_offered"):
            columns.append("screened_out")
        if preliminary == "investigation_opened":
            columns.append("investigation_opened")
            if outcome == "interventions":
                columns.append("with_interventions")
        for c in columns:
            outcomes[reporter][c] += 1
            outcomes["all"][c] += 1
        report_columns[report] = columns
        children.add(child)
    concerns: dict[str, Counter[str]] = defaultdict(Counter)
    for report, concern in session.execute(text("SELECT report_id, concern FROM report_concern")):
        for c in report_columns.get(report, []):
            concerns[concern][c] += 1

    # Re-reports: distinct months of every child's reports (all units), the next one <= 12 on.
    child_months: dict[int, set[int]] = defaultdict(set)
    for child, received in session.execute(
        text(
            'SELECT c.child_id, r.received_at FROM "case" c JOIN report r ON r.case_id = c.id'
        ).columns(received_at=UTCDateTime)
    ):
        local = received.astimezone(SWEDEN)
        child_months[child].add(local.year * 12 + local.month - 1)
    first = PERIOD.start[0] * 12 + PERIOD.start[1] - 1
    last = PERIOD.end[0] * 12 + PERIOD.end[1] - 1
    again = 0
    for child in children:
        ordered = sorted(child_months[child])
        nexts = dict(itertools.pairwise(ordered))
        if any(first <= m <= last and m in nexts and nexts[m] - m <= 12 for m in ordered):
            again += 1

    # Deadlines: (rule, last day, the day it was met or None), the last day in the period.
    deadlines: list[tuple[str, dt.date | None, dt.date | None]] = []
    firsts = session.execute(
        text(
            "SELECT c.unit_id, c.id, r.protection_due, r.preliminary_due, r.mandatory_reporter, "
            "r.reporter_category, r.feedback_requested, r.feedback_requested_on, "
            "pa.assessed_at, p.decided_on, p.outcome, c.closed_on "
            'FROM "case" c JOIN report r ON r.case_id = c.id '
            "LEFT JOIN protection_assessment pa ON pa.case_id = c.id "
            "LEFT JOIN preliminary_assessment p ON p.case_id = c.id"
        ).columns(
            protection_due=Date, preliminary_due=Date, assessed_at=UTCDateTime, decided_on=Date,
            closed_on=Date, feedback_requested=Boolean, feedback_requested_on=Date,
        )
    ).all()  # fmt: skip
    feedback: dict[int, dt.date] = {}
    for case, given in session.execute(
        text("SELECT case_id, given_at FROM reporter_feedback").columns(given_at=UTCDateTime)
    ):
        day = _local(given)
        assert day is not None
        feedback[case] = min(feedback.get(case, day), day)
    closed: dict[int, dt.date | None] = {}
    in_scope = set()
    for unit, case, protection_due, preliminary, mandatory, reporter, *rest in firsts:
        asked, asked_on, assessed, decided, outcome, closed_on = rest
        if unit_id not in (None, unit):
            continue
        in_scope.add(case)
        closed[case] = closed_on
        deadlines.append(("protection_assessment", protection_due, _local(assessed)))
        deadlines.append(("preliminary_assessment", preliminary, decided))
        if decided is None or not mandatory or reporter in NEVER_MANDATORY or asked is False:
            continue
        if outcome in FEEDBACK_OUTCOMES and (asked_on is None or asked_on <= decided):
            deadlines.append(("feedback", _due("feedback", decided), feedback.get(case)))
        elif asked and (outcome == "already_ongoing" or outcome in FEEDBACK_OUTCOMES):
            day = max(decided, asked_on or decided)  # "genast": the day of the request
            due = day if _due("feedback", day) is not None else None
            deadlines.append(("feedback", due, feedback.get(case)))
    completed: dict[int, dt.date | None] = {}
    for case, due, completed_on in session.execute(
        text("SELECT case_id, due, completed_on FROM investigation").columns(
            due=Date, completed_on=Date
        )
    ):
        if case in in_scope:
            deadlines.append(("investigation", due, completed_on))
            completed[case] = completed_on
    reviews: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for x, reviewed, revised in session.execute(
        text(
            "SELECT intervention_id, reviewed_on, care_plan_revised FROM placement_review"
        ).columns(reviewed_on=Date)
    ):
        reviews[x].append((reviewed, bool(revised)))
    ended_placements: dict[int, list[dt.date | None]] = defaultdict(list)
    for x, case, category, basis, decided, start, ended, judgment in session.execute(
        text(
            "SELECT id, case_id, category, legal_basis, decided_on, start_on, ended_on, "
            "judgment_final_on FROM intervention ORDER BY id"
        ).columns(decided_on=Date, start_on=Date, ended_on=Date, judgment_final_on=Date)
    ):
        if case not in in_scope:
            continue
        started = start if start <= today else None
        if category == "youth_service":
            if judgment is not None:
                deadlines.append(("youth_service", _due("youth_service", judgment), started))
            continue
        if basis == "sol":
            deadlines.append(("unexecuted_decision", _due("unexecuted_decision", decided), started))
        if category not in PLACEMENTS or started is None:
            continue
        ended_placements[case].append(ended)
        stop = min(ended, today) if ended else today
        if category == "emergency_home" and completed.get(case):
            deadlines.append(("emergency_home", _due("emergency_home", completed[case]), ended))  # type: ignore[arg-type]
        rule = "lvu_review" if basis == "lvu" else "placement_review"
        held = sorted(r for r, _ in reviews[x] if r <= stop)
        since = start
        while True:
            due = _due(rule, since)
            if due is None:
                break
            met = next((r for r in held if r >= since), None)
            if met is None:
                if due <= stop:
                    deadlines.append((rule, due, None))
                break
            deadlines.append((rule, due, met))
            held.remove(met)
            since = max(met, start)
        revised = sorted(r for r, yes in reviews[x] if yes)
        care_due = _due("care_plan_revision", start)
        if care_due is not None and (revised or care_due <= stop):
            deadlines.append(("care_plan_revision", care_due, revised[0] if revised else None))
    for case, ends in ended_placements.items():
        if ends and None not in ends:
            last_end = max(e for e in ends if e is not None)
            deadlines.append(("follow_up", _due("follow_up", last_end), closed.get(case)))
    timeliness: dict[str, Counter[str]] = {r: Counter() for r in law.ALL_RULE_NAMES}
    upper = min(PERIOD.last_day, today)
    for rule, due, met in deadlines:
        if due is None or not PERIOD.first_day <= due <= upper:
            continue
        timeliness[rule]["due"] += 1
        timeliness[rule]["on_time" if met is not None and met <= due else "late"] += 1

    outcome_columns = ("reports", "screened_out", "investigation_opened", "with_interventions")
    reporters = [*municipal.REPORTERS, "all"]
    return {
        "reports_by_month": {
            (m, r): {"reports": by_month[(m, r)]} for m in months for r in reporters
        },
        "outcomes_by_reporter": {
            (r,): {c: outcomes[r][c] for c in outcome_columns} for r in reporters
        },
        "outcomes_by_concern": {
            (c,): {k: concerns[c][k] for k in outcome_columns} for c in municipal.CONCERNS
        },
        "timeliness": {
            (r,): {c: timeliness[r][c] for c in ("due", "on_time", "late")}
            for r in law.ALL_RULE_NAMES
        },
        "rereports": {
            (): {"children": len(children), "children_rereported_within_12_months": again}
        },
    }


def _published(result: municipal.Numbers) -> dict[str, dict[tuple[str, ...], dict[str, Any]]]:
    out: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {}
    for table, rows in result.tables.items():
        keys, counts = municipal.TABLES[table]
        out[table] = {tuple(str(r[k]) for k in keys): {c: r[c] for c in counts} for r in rows}
    return out


@pytest.fixture
def municipality(session: Session) -> Session:
    """A small synthetic municipality, about 15 months of reports, through the service layer."""
    generate(session, municipality_code="0483", start=START, end=END, seed=11, scale=0.15)
    return session


def test_every_number_matches_an_independent_count(municipality: Session) -> None:
    session = municipality
    unit_id = session.execute(text("SELECT MIN(id) FROM unit").columns(id=Integer)).scalar_one()
    for unit in (None, unit_id):
        want = expected(session, unit)
        result = municipal.numbers(
            session, actor=SYSTEM, period=PERIOD, unit_id=unit, today=TODAY, threshold=1
        )
        assert result.suppressed == 0
        assert _published(result) == want
    # The generated year reaches the rules worth counting, on time and late.
    whole = expected(session, None)
    assert whole["outcomes_by_reporter"][("all",)]["reports"] > 100
    late = {k[0] for k, v in whole["timeliness"].items() if v["late"]}
    on_time = {k[0] for k, v in whole["timeliness"].items() if v["on_time"]}
    assert {"preliminary_assessment", "investigation"} <= late & on_time, whole["timeliness"]
    assert len(late | on_time) >= 7, whole["timeliness"]
    assert "feedback" in late & on_time, whole["timeliness"]  # given within its week or after
    assert whole["rereports"][()]["children_rereported_within_12_months"] > 0

    # Protected: the same numbers where shown, small counts empty, nothing recomputable.
    result = municipal.numbers(session, actor=SYSTEM, period=PERIOD, unit_id=unit_id, today=TODAY)
    want = expected(session, unit_id)
    hidden: set[municipal.Cell] = set()
    for table, rows in _published(result).items():
        for key, row in rows.items():
            for column, value in row.items():
                true = want[table][key][column]
                if value is None:
                    hidden.add((table, municipal.PERIOD, key, column))
                else:
                    assert value == true, (table, key, column)
                    assert not 0 < value < 5, (table, key, column)
    assert hidden, "a unit's year has small counts to hide"
    assert result.suppressed == len(hidden)
    tables = municipal.Tables(want)
    values = tables.values()
    tight = [
        r for r in municipal.relations(tables)
        if r.exact or sum(k * values[c] for c, k in r.terms) == 0
    ]  # fmt: skip
    assert not determined(tight, hidden)
    # Shares appear only where both counts do.
    for row in result.tables["timeliness"]:
        assert (row["share_on_time"] is None) == (row["on_time"] is None or row["due"] in (None, 0))


def test_roles_and_units(session: Session) -> None:
    lead = Actor("ledare", Role.TEAM_LEAD, staff_id=1, unit_id=1)
    with pytest.raises(PermissionDenied):
        municipal.numbers(session, actor=lead, period=PERIOD, unit_id=2, today=TODAY)
    with pytest.raises(PermissionDenied):
        municipal.numbers(
            session, actor=Actor("h", Role.CASE_WORKER, 1, 1), period=PERIOD, unit_id=None,
            today=TODAY,
        )  # fmt: skip
    with pytest.raises(NotFound):
        municipal.numbers(session, actor=SYSTEM, period=PERIOD, unit_id=999999, today=TODAY)


@pytest.mark.parametrize(
    ("start", "end"), [("2026-13", "2026-12"), ("2026-5", "2026-06"), ("2026-06", "2026-01"),
                       ("2000-01", "2026-01"), ("", "2026-01")],
)  # fmt: skip
def test_a_bad_period_is_refused(start: str, end: str) -> None:
    with pytest.raises(InvalidInput):
        municipal.period(start, end)
