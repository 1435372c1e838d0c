"""The release's three-query path gives the same tables as the per-measure SQL it replaced.

`reference_run` is the release's former `_run` (commit 439fcec): the views of
`measures.view_sql`, then each measure's own `sql`. The release now computes all seven tables
from three queries (measures.MARGINS_SQL, CHILDREN_SQL, CHILD_YEARS_SQL); these tests run both
on the same input, without protection, bounded for DP, and through the whole suppression
release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from barnskydd.stats import dp, measures, synthetic
from barnskydd.stats import release as publishing
from barnskydd.stats.engines import create_engine
from barnskydd.stats.measures import MEASURES
from barnskydd.stats.schema import CONCERNS, read_extracts
from tests.stats.conftest import SMALL_SET, child, report, write_extract

Tables = dict[str, list[dict[str, Any]]]
CODES = ["0114", "0115", "2401"]


def reference_run(engine_name: str, tables: dict[str, Any], parameters: Any) -> Tables:
    """Run every measure's own SQL over the views, as the release did before (439fcec)."""
    engine = create_engine(engine_name)
    try:
        engine.load(tables)
        for statement in measures.view_sql(
            max_reports_per_child=parameters.max_reports_per_child if parameters else None,
            max_concerns_per_report=parameters.max_concerns_per_report if parameters else None,
        ):
            engine.execute(statement)
        return {m.name: engine.query(m.sql) for m in MEASURES}
    finally:
        engine.close()


def completed(raw: Tables, years: list[int], codes: list[str] | None) -> Tables:
    """Return the tables with every public key, zero-filled and sorted, as the release does."""
    return {
        m.name: measures.complete(m, raw[m.name], years=years, municipality_codes=codes)
        for m in MEASURES
    }


def both(directory: Path, parameters: dp.Parameters | None) -> tuple[Tables, Tables]:
    """Return (new path, reference) for the extracts in a directory."""
    tables = measures.normalise(read_extracts(directory, municipality_codes=CODES))
    years = sorted({r["year"] for r in tables["extract_reports"].to_pylist()})
    new = completed(publishing._run("duckdb", tables, parameters), years, CODES)
    old = completed(reference_run("duckdb", tables, parameters), years, CODES)
    return new, old


@pytest.fixture
def awkward(tmp_path: Path) -> Path:
    """Write reports at the edges: re-reports across years, repeated and many concerns."""
    many = list(CONCERNS[:6])
    opened = {"preliminary_outcome": "investigation_opened", "investigation_outcome": "ongoing"}
    rows = [
        # Child 1: December, then January (1 month later, next year).
        report(child_key=child(1), received_month="2022-12"),
        report(child_key=child(1), received_month="2023-01", municipality_code="0115"),
        # Child 2: January to January (12 months: re-reported), then 13 months on (not).
        report(child_key=child(2), received_month="2022-01"),
        report(child_key=child(2), received_month="2023-01"),
        report(child_key=child(2), received_month="2024-02"),
        # Child 3: two reports in one month, then a year's gap (2022 -> 2024).
        report(child_key=child(3), received_month="2022-05", concerns=[many[0], many[0]]),
        report(child_key=child(3), received_month="2022-05", concerns=many, **opened),
        report(child_key=child(3), received_month="2024-01", concerns=[]),
        # Child 4: five reports in one year (DP keeps 3), in two municipalities.
        *(
            report(
                child_key=child(4),
                received_month=f"2023-0{m}",
                municipality_code="2401" if m % 2 else "0114",
                concerns=list(reversed(many)),
                reporter_category="school",
                **opened,
            )
            for m in range(1, 6)
        ),
    ]
    write_extract(tmp_path / "a.parquet", rows)
    return tmp_path


@pytest.mark.parametrize("bounded", [False, True], ids=["unbounded", "dp-bounded"])
def test_same_tables_on_awkward_reports(awkward: Path, bounded: bool) -> None:
    new, old = both(awkward, dp.Parameters() if bounded else None)
    assert new == old
    rereports = {r["year"]: r["children_rereported_within_12_months"] for r in new["rereports"]}
    assert rereports == {2022: 2, 2023: 1, 2024: 0}  # children 1 and 2; child 4 in 2023


@pytest.mark.parametrize("bounded", [False, True], ids=["unbounded", "dp-bounded"])
def test_same_tables_on_synthetic_extracts(synthetic_dir: Path, bounded: bool) -> None:
    new, old = both(synthetic_dir, dp.Parameters(max_concerns_per_report=2) if bounded else None)
    assert new == old
    assert sum(r["reports"] for r in new["reports_by_municipality"]) > 1000


@pytest.mark.parametrize("bounded", [False, True], ids=["unbounded", "dp-bounded"])
def test_same_tables_on_version_1_and_2_extracts_together(tmp_path: Path, bounded: bool) -> None:
    """concern_mask covers both versions' reports; the voice table comes from version 2."""
    synthetic.write_extracts(tmp_path, SMALL_SET[:1], [2023, 2024], seed=5, version=1)
    synthetic.write_extracts(tmp_path, SMALL_SET[1:], [2023, 2024], seed=6, version=2)
    new, old = both(tmp_path, dp.Parameters() if bounded else None)
    assert new == old
    assert sum(int(r["answered"]) for r in new["voice_by_theme"]) > 0
    funnel = {r["concern"]: r["reports"] for r in new["funnel_by_concern"] if r["year"] == 2024}
    assert sum(funnel.values()) > 0


def test_whole_suppression_release_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synthetic.write_extracts(tmp_path, SMALL_SET, [2022, 2023, 2024], seed=11)
    new = publishing.compute(tmp_path)
    monkeypatch.setattr(publishing, "_run", reference_run)
    old = publishing.compute(tmp_path)
    assert new.tables == old.tables
    assert new.suppressed == old.suppressed
    assert new.parameters == old.parameters
    assert any(v for v in new.suppressed.values())  # suppression did something
