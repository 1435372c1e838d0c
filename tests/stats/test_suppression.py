"""Suppression, tested the way an attacker would try to undo it.

The attacker knows every published cell, knows how the tables hang together (margins, the same
cell in two tables) and, worst case, which nesting bounds are tight (e.g. that nothing is
pending). It solves the resulting equations exactly over the rationals, independently of the
SVD the module uses, and must not pin down any suppressed cell.
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from barnskydd.stats import release as publishing
from barnskydd.stats import suppression
from barnskydd.stats.measures import MEASURES
from barnskydd.stats.schema import CONCERNS, REPORTER_CATEGORIES
from tests.stats.conftest import child, report, write_extract

Cell = tuple[str, int, tuple[str, ...], str]
Equation = dict[Cell, int]


def cells(rel: publishing.Release) -> dict[Cell, Any]:
    """Return every count cell of a release (None where suppressed)."""
    out: dict[Cell, Any] = {}
    for m in MEASURES:
        for row in rel.tables[m.name]:
            for column in m.counts:
                out[(m.name, row["year"], tuple(row[k] for k in m.keys), column)] = row[column]
    return out


def attacker_equations(truth: dict[Cell, int], year: int) -> list[Equation]:
    """Return the equations an attacker with the worst-case side knowledge would write down."""
    munis = sorted({k for t, y, k, _ in truth if t == "reports_by_municipality" and y == year})
    reporters, concerns = [(r,) for r in REPORTER_CATEGORIES], [(c,) for c in CONCERNS]

    def total(table: str, keys: list[tuple[str, ...]], column: str, sign: int) -> Equation:
        return {(table, year, k, column): sign for k in keys}

    exact = [
        total("reports_by_municipality", munis, "reports", 1)
        | total("reports_by_reporter", reporters, "reports", -1)
    ]
    exact += [
        {
            ("reports_by_reporter", year, r, "reports"): 1,
            ("funnel_by_reporter", year, r, "reports"): -1,
        }
        for r in reporters
    ]
    guesses: list[Equation] = []
    for table, keys, big, small in [
        ("reports_by_municipality", munis, "reports", "children"),
        ("timeliness_by_municipality", munis, "preliminary_decided", "preliminary_on_time"),
        ("timeliness_by_municipality", munis, "investigations_completed", "investigations_on_time"),
        ("funnel_by_reporter", reporters, "reports", "investigation_opened"),
        ("funnel_by_reporter", reporters, "investigation_opened", "with_interventions"),
        ("funnel_by_concern", concerns, "reports", "investigation_opened"),
        ("funnel_by_concern", concerns, "investigation_opened", "with_interventions"),
    ]:
        guesses += [{(table, year, k, big): 1, (table, year, k, small): -1} for k in keys]
    guesses += [
        {
            ("reports_by_municipality", year, k, "reports"): 1,
            ("timeliness_by_municipality", year, k, "preliminary_decided"): -1,
        }
        for k in munis
    ]
    for column in ("reports", "investigation_opened", "with_interventions"):
        guesses.append(
            total("funnel_by_concern", concerns, column, 1)
            | total("funnel_by_reporter", reporters, column, -1)
        )
    guesses.append(
        total("funnel_by_reporter", reporters, "investigation_opened", 1)
        | total("timeliness_by_municipality", munis, "investigations_completed", -1)
    )
    guesses.append(
        total("reports_by_municipality", munis, "children", 1)
        | {
            ("rereports", year, (), "children"): -1,
            ("multi_municipality", year, (), "children_in_more_than_one_municipality"): -1,
        }
    )
    tight = [e for e in guesses if sum(k * truth[c] for c, k in e.items()) == 0]
    return exact + tight


def attack(published: dict[Cell, Any], truth: dict[Cell, int]) -> dict[Cell, Fraction]:
    """Return every suppressed cell the attacker can recompute, with the value found."""
    recovered: dict[Cell, Fraction] = {}
    for year in sorted({c[1] for c in truth}):
        unknown = sorted(c for c, v in published.items() if v is None and c[1] == year)
        index = {c: i for i, c in enumerate(unknown)}
        rows = []
        for eq in attacker_equations(truth, year):
            coefs = [Fraction(0)] * len(unknown)
            rhs = Fraction(0)
            for cell, k in eq.items():
                if cell in index:
                    coefs[index[cell]] += k
                else:
                    rhs -= k * published[cell]
            if any(coefs):
                rows.append([*coefs, rhs])
                # Suppressed cells are at least 1: all-positive rows summing to their count.
                if all(c >= 0 for c in coefs) and rhs == sum(coefs):
                    recovered |= {unknown[i]: Fraction(1) for i, c in enumerate(coefs) if c}
        recovered |= _solve(rows, unknown)
    return recovered


def _solve(rows: list[list[Fraction]], unknown: list[Cell]) -> dict[Cell, Fraction]:
    """Return the unknowns the equations fix, by exact Gauss-Jordan elimination."""
    pivot_row, pivots = 0, []
    for col in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append((pivot_row, col))
        pivot_row += 1
    return {
        unknown[col]: rows[r][-1] for r, col in pivots if sum(1 for v in rows[r][:-1] if v) == 1
    }


@pytest.fixture
def with_tiny_municipality(synthetic_dir: Path, tmp_path: Path) -> Path:
    """Return the synthetic extracts plus a municipality with three reports in 2024."""
    for path in synthetic_dir.glob("*.parquet"):
        shutil.copy(path, tmp_path / path.name)
    write_extract(tmp_path / "extract_0117.parquet", [
        report(municipality_code="0117", child_key=child(10 + i), received_month="2024-02")
        for i in range(3)
    ])  # fmt: skip
    return tmp_path


def test_no_published_count_is_below_threshold(with_tiny_municipality: Path) -> None:
    published = cells(publishing.compute(with_tiny_municipality, threshold=5))
    assert all(v is None or v == 0 or v >= 5 for v in published.values())
    assert published[("reports_by_municipality", 2024, ("0117",), "reports")] is None


def test_attacker_cannot_recover_any_suppressed_cell(with_tiny_municipality: Path) -> None:
    truth = cells(publishing.compute(with_tiny_municipality, threshold=1))
    released = publishing.compute(with_tiny_municipality, threshold=5)
    published = cells(released)
    assert sum(v is None for v in published.values()) > 10
    assert attack(published, truth) == {}
    rates = {
        r["municipality_code"]: r[publishing.RATE]
        for r in released.tables["reports_by_municipality"]
        if r["year"] == 2024
    }
    assert rates["0117"] is None  # a rate would give the count back


def test_attacker_wins_without_secondary_suppression(
    with_tiny_municipality: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = cells(publishing.compute(with_tiny_municipality, threshold=1))
    monkeypatch.setattr(suppression, "determined", lambda *args: set())
    monkeypatch.setattr(suppression, "_pinned", lambda *args: iter(()))
    published = cells(publishing.compute(with_tiny_municipality, threshold=5))
    recovered = attack(published, truth)
    assert recovered[("reports_by_municipality", 2024, ("0117",), "reports")] == 3
    assert all(truth[c] == v for c, v in recovered.items())


def test_determined_finds_a_cell_fixed_by_two_equations() -> None:
    x, y, z = (("t", 2024, (k,), "n") for k in "xyz")
    equations = [suppression.Relation(((x, 1), (y, 1)), exact=True),
                 suppression.Relation(((y, 1), (z, -1)), exact=True)]  # fmt: skip
    assert suppression.determined(equations, {x, y}) == {x, y}
    assert suppression.determined(equations, {x, y, z}) == set()
