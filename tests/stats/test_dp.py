"""Differential privacy: bounded contributions, honest margins of error, the budget adds up."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import opendp.prelude as dp_lib
import pytest

from barnskydd.reference.municipalities import all_municipalities
from barnskydd.stats import dp, measures
from barnskydd.stats.engines import DuckDBEngine
from barnskydd.stats.measures import MEASURES
from barnskydd.stats.schema import read_extracts
from tests.stats.conftest import child, report, write_extract

CODES = [m.code for m in all_municipalities()]
YEARS = [2023, 2024]


def true_tables(directory: Path, parameters: dp.Parameters) -> dict[str, list[dict[str, Any]]]:
    """Return the bounded, completed tables before noise."""
    engine = DuckDBEngine()
    engine.load(measures.normalise(read_extracts(directory, municipality_codes=CODES)))
    for statement in measures.view_sql(
        max_reports_per_child=parameters.max_reports_per_child,
        max_concerns_per_report=parameters.max_concerns_per_report,
    ):
        engine.execute(statement)
    out = {m.name: measures.complete(m, engine.query(m.sql), years=YEARS, municipality_codes=CODES)
           for m in MEASURES}  # fmt: skip
    engine.close()
    return out


def test_about_95_percent_of_cells_fall_within_their_margin(synthetic_dir: Path) -> None:
    parameters = dp.Parameters(epsilon=20.0)
    truth = true_tables(synthetic_dir, parameters)
    inside = total = inside_all = total_all = 0
    for _ in range(60):
        noisy, _accounting = dp.protect(truth, years=YEARS, parameters=parameters)
        for measure, column in dp.noised_columns():
            for real, released in zip(truth[measure.name], noisy[measure.name], strict=True):
                within = abs(released[column] - real[column]) <= released[f"{column}_moe95"]
                inside_all, total_all = inside_all + within, total_all + 1
                if real[column] > 3 * released[f"{column}_moe95"]:  # not touched by clamping
                    inside, total = inside + within, total + 1
    assert total > 2000
    # OpenDP draws from the OS's CSPRNG, so no seed: the bounds are ~5 standard errors wide.
    assert 0.93 <= inside / total <= 0.98
    assert inside_all / total_all >= 0.93


def test_every_public_cell_is_released_even_without_data(synthetic_dir: Path) -> None:
    parameters = dp.Parameters(epsilon=1.0)
    noisy, _ = dp.protect(true_tables(synthetic_dir, parameters), years=YEARS,
                          parameters=parameters)  # fmt: skip
    assert len(noisy["reports_by_municipality"]) == len(YEARS) * 290
    assert len(noisy["funnel_by_concern"]) == len(YEARS) * 14
    assert all(r["reports"] >= 0 and "reports_moe95" in r for r in noisy["reports_by_reporter"])


def test_budget_adds_up_to_epsilon() -> None:
    truth = {m.name: measures.complete(m, [], years=YEARS, municipality_codes=CODES[:3])
             for m in MEASURES}  # fmt: skip
    _, accounting = dp.protect(truth, years=YEARS, parameters=dp.Parameters(epsilon=1.5))
    assert dp.total_epsilon(accounting) == pytest.approx(1.5)
    assert len(accounting) == len(YEARS) * len(dp.noised_columns())


@pytest.mark.parametrize("scale", [0.5, 3.0, 45.0, 1000.0])
def test_margin_matches_opendp_accuracy(scale: float) -> None:
    accuracy = dp_lib.discrete_laplacian_scale_to_accuracy(scale, dp.ALPHA)
    assert abs(dp.moe95(scale) - accuracy) <= 1


def test_one_child_changes_each_column_by_at_most_its_sensitivity(
    synthetic_dir: Path, tmp_path: Path
) -> None:
    parameters = dp.Parameters()
    without = true_tables(synthetic_dir, parameters)
    shutil.copytree(synthetic_dir, tmp_path / "in")
    heavy = [report(child_key=child(999_999), municipality_code=("0114", "0115")[i % 2],
                    received_month=f"2024-{1 + i % 12:02d}",
                    concerns=["neglect", "other", "sexual_abuse", "honour_related"])
             for i in range(12)]  # fmt: skip
    write_extract(tmp_path / "in" / "heavy.parquet", heavy)
    with_child = true_tables(tmp_path / "in", parameters)
    for measure, column in dp.noised_columns():
        change = sum(
            abs(a[column] - b[column])
            for a, b in zip(with_child[measure.name], without[measure.name], strict=True)
        )
        assert change <= dp.sensitivity(measure.counts[column], parameters), (measure.name, column)
