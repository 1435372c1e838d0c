"""The learning dashboard: deviations per unit and month, counted, never named.

Cells derive only from Deviation, its factors, its investigation and IVO report, and
DeviationAction: never a name, an identity number, a case number or free text. Counts of 1
to THRESHOLD - 1 are suppressed (shown as "<5", the statistics' threshold), and when a row's
total is shown and only one cell of it is suppressed, the next smallest is suppressed too, so
that no suppressed count can be worked out by subtraction. A median of fewer than THRESHOLD
times is not shown.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import local_date
from barnskydd.core.errors import PermissionDenied
from barnskydd.deviations import rules
from barnskydd.deviations.codes import (
    FACTOR_LABELS,
    KIND_LABELS,
    DeviationKind,
    rule_label,
)
from barnskydd.deviations.models import Deviation, DeviationAction
from barnskydd.stats.suppression import DEFAULT_THRESHOLD

THRESHOLD = DEFAULT_THRESHOLD
SUPPRESSED = f"<{THRESHOLD}"
MSG_ROLE = "Din roll har inte tillgång till avvikelsernas lärandeöversikt."
VIEWERS = frozenset({Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN, Role.LEX_SARAH})

Cell = int | str  # a count, or SUPPRESSED


@dataclass(frozen=True, slots=True)
class Table:
    """One count table of a month: label -> cell, and its total."""

    cells: dict[str, Cell]
    total: Cell


@dataclass(frozen=True, slots=True)
class Month:
    """What one unit (or all) learned in one month."""

    month: str
    by_kind: Table
    by_factor: Table
    auto_by_rule: Table
    median_days_to_triage: float | None
    median_days_to_ivo: float | None
    actions_due: Cell
    actions_on_time: Cell
    recurrences: Cell


def protect(counts: Mapping[str, int]) -> Table:
    """Suppress small counts (and a second one where the total would reveal the first)."""
    total = sum(counts.values())
    hidden = {k for k, v in counts.items() if 0 < v < THRESHOLD}
    if len(hidden) == 1:
        rest = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        if rest:
            hidden.add(rest[0][1])
        else:
            total = -1  # the only count: the total would tell it
    cells: dict[str, Cell] = {k: SUPPRESSED if k in hidden else v for k, v in counts.items()}
    shown_total: Cell = SUPPRESSED if total == -1 or 0 < total < THRESHOLD else total
    return Table(cells=cells, total=shown_total)


def _count(value: int) -> Cell:
    return SUPPRESSED if 0 < value < THRESHOLD else value


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if len(values) >= THRESHOLD else None


def _month(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def _scope(actor: Actor, unit_id: int | None) -> int | None:
    if actor.role not in VIEWERS:
        raise PermissionDenied(MSG_ROLE)
    if actor.role is Role.TEAM_LEAD:
        return actor.unit_id
    return unit_id


def get(session: Session, *, actor: Actor, year: int, unit_id: int | None = None) -> list[Month]:
    """Return the twelve months of a year for a unit (a team lead: their own) or all units."""
    unit_id = _scope(actor, unit_id)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = (
        select(Deviation)
        .where(Deviation.occurred_on >= first - dt.timedelta(days=rules.RECURRENCE_DAYS))
        .where(Deviation.occurred_on <= last)
        .options(
            selectinload(Deviation.factors),
            selectinload(Deviation.investigation),
            selectinload(Deviation.ivo_report),
        )
    )
    actions = select(DeviationAction.due_on, DeviationAction.done_on).join(
        Deviation, Deviation.id == DeviationAction.deviation_id
    )
    if unit_id is not None:
        query = query.where(Deviation.unit_id == unit_id)
        actions = actions.where(Deviation.unit_id == unit_id)
    deviations = list(session.scalars(query))
    months = [_month(dt.date(year, m, 1)) for m in range(1, 13)]
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    factors: dict[str, Counter[str]] = defaultdict(Counter)
    auto: dict[str, Counter[str]] = defaultdict(Counter)
    triage: dict[str, list[int]] = defaultdict(list)
    ivo: dict[str, list[int]] = defaultdict(list)
    repeat: Counter[str] = Counter()
    last_seen: dict[tuple[int, str], dt.date] = {}
    for deviation in sorted(deviations, key=lambda d: (d.occurred_on, d.id)):
        if deviation.kind is DeviationKind.AUTO and deviation.rule:
            key = (deviation.unit_id, deviation.rule)
            previous = last_seen.get(key)
            if (
                previous is not None
                and ((deviation.occurred_on - previous).days <= rules.RECURRENCE_DAYS)
                and deviation.occurred_on >= first
            ):
                repeat[_month(deviation.occurred_on)] += 1
            last_seen[key] = deviation.occurred_on
        if deviation.occurred_on < first:
            continue
        month = _month(deviation.occurred_on)
        kinds[month][KIND_LABELS[deviation.kind]] += 1
        for factor in deviation.factors:
            factors[month][FACTOR_LABELS[factor.factor]] += 1
        if deviation.kind is DeviationKind.AUTO and deviation.rule:
            auto[month][rule_label(deviation.rule)] += 1
        days = rules.days_between(deviation.reported_at, deviation.triaged_at)
        if days is not None:
            triage[month].append(days)
        investigation, report = deviation.investigation, deviation.ivo_report
        if investigation and investigation.decided_at and report and report.sent_at:
            ivo[month].append(
                (local_date(report.sent_at) - local_date(investigation.decided_at)).days
            )
    due: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    for due_on, done_on in session.execute(
        actions.where(DeviationAction.due_on >= first, DeviationAction.due_on <= last)
    ):
        month = _month(due_on)
        due[month] += 1
        if done_on is not None and done_on <= due_on:
            on_time[month] += 1
    audit.record(session, actor=actor, action="list", entity="deviation_dashboard")
    every_kind = [KIND_LABELS[k] for k in DeviationKind]
    every_factor = list(FACTOR_LABELS.values())
    return [
        Month(
            month=month,
            by_kind=protect({k: kinds[month][k] for k in every_kind}),
            by_factor=protect({k: factors[month][k] for k in every_factor}),
            auto_by_rule=protect(dict(auto[month])),
            median_days_to_triage=_median(triage[month]),
            median_days_to_ivo=_median(ivo[month]),
            actions_due=_count(due[month]),
            actions_on_time=_count(on_time[month])
            if _count(due[month]) != SUPPRESSED
            else SUPPRESSED,
            recurrences=_count(repeat[month]),
        )
        for month in months
    ]
