"""Differential privacy with OpenDP: bounded contributions, noise on every public cell, a budget.

The unit of privacy is the child (child_key). The measures read a view that keeps at most
`max_reports_per_child` reports per child and year and at most `max_concerns_per_report`
concerns per report, so one child changes a count column of one year by at most its
sensitivity (`sensitivity`). Every column of every year gets discrete Laplace noise from
OpenDP, calibrated to an equal share of the total epsilon; by sequential composition the
release as a whole is epsilon-DP for each child.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import opendp.prelude as dp

from barnskydd.stats.measures import MEASURES, Measure, Unit
from barnskydd.stats.schema import VOICE_THEMES

Row = dict[str, object]
DEFAULT_EPSILON = 1.0
MAX_EPSILON = 10.0  # beyond it the noise protects no one; nan and inf are no budget at all
MAX_REPORTS_PER_CHILD = 3
MAX_CONCERNS_PER_REPORT = 3
# The voice table has no child key to bound by: the chain asks at a follow-up, and this is
# the assumed most a child answers in a year (each answer adds one per theme).
MAX_VOICE_ANSWERS_PER_CHILD = 4
ALPHA = 0.05  # margins of error are 95%
# funnel_by_reporter.reports is the same query as reports_by_reporter.reports: noised once.
SHARED = {("funnel_by_reporter", "reports"): ("reports_by_reporter", "reports")}


@dataclass(frozen=True)
class Parameters:
    """The DP parameters of a release."""

    epsilon: float = DEFAULT_EPSILON
    max_reports_per_child: int = MAX_REPORTS_PER_CHILD
    max_concerns_per_report: int = MAX_CONCERNS_PER_REPORT
    max_voice_answers_per_child: int = MAX_VOICE_ANSWERS_PER_CHILD


@dataclass(frozen=True)
class ColumnNoise:
    """How one count column of one year was noised."""

    table: str
    column: str
    year: int
    sensitivity: int
    epsilon: float
    scale: float
    moe95: int


def sensitivity(unit: Unit, parameters: Parameters) -> int:
    """Return how much one child can change a count column of one year (L1)."""
    if unit is Unit.REPORT or unit is Unit.CHILD_PER_MUNICIPALITY:
        return parameters.max_reports_per_child
    if unit is Unit.REPORT_CONCERN:
        return parameters.max_reports_per_child * parameters.max_concerns_per_report
    if unit is Unit.VOICE_ANSWER:
        return parameters.max_voice_answers_per_child * len(VOICE_THEMES)
    return 1


def noised_columns() -> list[tuple[Measure, str]]:
    """Return the count columns that get their own noise (shared ones are copied)."""
    return [(m, c) for m in MEASURES for c in m.counts if (m.name, c) not in SHARED]


def moe95(scale: float) -> int:
    """Return the smallest t with P(|noise| > t) <= 5% for discrete Laplace noise of a scale."""
    # P(|X| > t) = 2 exp(-(t + 1) / scale) / (1 + exp(-1 / scale)); solve for t and round up.
    t = -scale * math.log(ALPHA * (1 + math.exp(-1 / scale)) / 2) - 1
    return max(0, math.ceil(t - 1e-9))


def _measurement(scale: float) -> dp.Measurement:
    """Return OpenDP's discrete Laplace mechanism over a vector of counts."""
    dp.enable_features("contrib")  # OpenDP gates mechanisms not yet formally vetted
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement: dp.Measurement = space >> dp.m.then_laplace(scale=scale)
    return measurement


def _epsilon(mechanism: dp.Measurement, d_in: int) -> float:
    """Return the epsilon OpenDP's privacy map gives for a sensitivity."""
    epsilon: float = mechanism.map(d_in)  # type: ignore[no-untyped-call]  # untyped in OpenDP
    return float(epsilon)


def protect(
    tables: Mapping[str, Sequence[Row]], *, years: Sequence[int], parameters: Parameters
) -> tuple[dict[str, list[Row]], list[ColumnNoise]]:
    """Return the tables with noise on every count and a `<column>_moe95` companion."""
    columns = noised_columns()
    per_column = parameters.epsilon / (len(years) * len(columns))
    out = {name: [dict(row) for row in rows] for name, rows in tables.items()}
    accounting: list[ColumnNoise] = []
    for year in years:
        for measure, column in columns:
            rows = [r for r in out[measure.name] if r["year"] == year]
            d_in = sensitivity(measure.counts[column], parameters)
            scale = d_in / per_column
            mechanism = _measurement(scale)
            noisy = mechanism([int(str(r[column])) for r in rows])
            margin = moe95(scale)
            for row, value in zip(rows, noisy, strict=True):
                row[column] = max(0, int(value))  # clamping moves no value away from the truth
                row[f"{column}_moe95"] = margin
            accounting.append(
                ColumnNoise(
                    measure.name, column, year, d_in, _epsilon(mechanism, d_in), scale, margin
                )
            )
    for (table, column), (source, source_column) in SHARED.items():
        noisy_by_key = {(r["year"], r["reporter_category"]): r for r in out[source]}
        for row in out[table]:
            origin = noisy_by_key[(row["year"], row["reporter_category"])]
            row[column] = origin[source_column]
            row[f"{column}_moe95"] = origin[f"{source_column}_moe95"]
    return out, accounting


def total_epsilon(accounting: Sequence[ColumnNoise]) -> float:
    """Return the epsilon spent by the whole release (sequential composition)."""
    return math.fsum(a.epsilon for a in accounting)
