"""The measures on DuckDB: hand-counted answers on a small extract, and docs that cover them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from barnskydd.stats import measures
from barnskydd.stats.engines import DuckDBEngine
from barnskydd.stats.measures import MEASURES
from barnskydd.stats.schema import read_extracts
from tests.stats.conftest import child, report, write_extract

DOCS = Path(__file__).parents[2] / "docs" / "statistics.md"


def run(directory: Path, **bounds: int | None) -> dict[str, list[dict[str, Any]]]:
    """Run every measure on DuckDB over the extracts in a directory."""
    extracts = read_extracts(directory, municipality_codes=["0114", "0115", "2401"])
    engine = DuckDBEngine()
    engine.load(measures.normalise(extracts))
    for statement in measures.view_sql(
        max_reports_per_child=bounds.get("k"), max_concerns_per_report=bounds.get("c")
    ):
        engine.execute(statement)
    out = {
        m.name: sorted(engine.query(m.sql), key=lambda r, m=m: [r[k] for k in ("year", *m.keys)])
        for m in MEASURES
    }
    engine.close()
    return out


@pytest.fixture
def hand_made(tmp_path: Path) -> Path:
    """Write two files: child 1 reported three times in two municipalities, child 2 once."""
    opened = {"preliminary_outcome": "investigation_opened"}
    write_extract(tmp_path / "0114.parquet", [
        report(child_key=child(1), received_month="2023-01", concerns=["neglect", "other"],
               **opened, investigation_outcome="interventions", investigation_on_time=True,
               interventions=["open_care"]),
        report(child_key=child(1), received_month="2023-11", reporter_category="school",
               preliminary_on_time=False),
        report(child_key=child(2), received_month="2023-12", preliminary_outcome="pending",
               preliminary_on_time=None),
    ])  # fmt: skip
    write_extract(tmp_path / "0115.parquet", [
        report(municipality_code="0115", child_key=child(1), received_month="2024-06",
               **opened, investigation_outcome="ongoing"),
    ])  # fmt: skip
    return tmp_path


def test_counts_match_a_hand_count(hand_made: Path) -> None:
    out = run(hand_made)
    assert out["reports_by_municipality"] == [
        {"year": 2023, "municipality_code": "0114", "reports": 3, "children": 2},
        {"year": 2024, "municipality_code": "0115", "reports": 1, "children": 1},
    ]
    assert {(r["year"], r["reporter_category"], r["reports"]) for r in
            out["reports_by_reporter"]} == {(2023, "police", 2), (2023, "school", 1),
                                            (2024, "police", 1)}  # fmt: skip
    police_2023 = next(
        r
        for r in out["funnel_by_reporter"]
        if (r["year"], r["reporter_category"]) == (2023, "police")
    )
    assert police_2023 == {"year": 2023, "reporter_category": "police", "reports": 2,
                           "investigation_opened": 1, "with_interventions": 1}  # fmt: skip
    neglect = {
        r["year"]: r["reports"] for r in out["funnel_by_concern"] if r["concern"] == "neglect"
    }
    assert neglect == {2023: 3, 2024: 1}
    timeliness = {(r["year"], r["municipality_code"]): r for r in
                  out["timeliness_by_municipality"]}  # fmt: skip
    assert timeliness[(2023, "0114")] == {
        "year": 2023, "municipality_code": "0114", "preliminary_decided": 2,
        "preliminary_on_time": 1, "investigations_completed": 1, "investigations_on_time": 1,
    }  # fmt: skip
    assert timeliness[(2024, "0115")]["investigations_completed"] == 0


def test_rereports_count_a_later_month_within_12_months(hand_made: Path) -> None:
    out = run(hand_made)
    # Child 1: 2023-01 -> 2023-11 (10 months) and 2023-11 -> 2024-06 (7): re-reported in 2023
    # and not (yet) in 2024; child 2 only once.
    assert out["rereports"] == [
        {"year": 2023, "children": 2, "children_rereported_within_12_months": 1},
        {"year": 2024, "children": 1, "children_rereported_within_12_months": 0},
    ]


def test_multi_municipality_counts_children_per_year(hand_made: Path, tmp_path: Path) -> None:
    out = run(hand_made)
    assert [r["children_in_more_than_one_municipality"] for r in out["multi_municipality"]] == [
        0,
        0,
    ]  # fmt: skip  (child 1 is in 0114 in 2023 and in 0115 only in 2024)
    write_extract(
        hand_made / "late.parquet",
        [report(municipality_code="0115", child_key=child(2), received_month="2023-12")],
    )
    out = run(hand_made)
    assert out["multi_municipality"][0] == {
        "year": 2023,
        "children_in_more_than_one_municipality": 1,
    }


def test_bounded_view_keeps_k_reports_per_child_and_year(hand_made: Path) -> None:
    out = run(hand_made, k=1, c=1)
    reports = {r["year"]: r["reports"] for r in out["reports_by_municipality"]}
    assert reports == {2023: 2, 2024: 1}  # child 1's second 2023 report dropped
    assert sum(r["reports"] for r in out["funnel_by_concern"] if r["year"] == 2023) == 2


def test_complete_fills_code_lists_with_zeros() -> None:
    measure = measures.MEASURES_BY_NAME["reports_by_reporter"]
    rows = measures.complete(
        measure,
        [{"year": 2024, "reporter_category": "police", "reports": 4}],
        years=[2024],
        municipality_codes=None,
    )
    assert len(rows) == 13
    assert {r["reporter_category"]: r["reports"] for r in rows}["school"] == 0


def test_every_measure_and_column_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for measure in MEASURES:
        assert f"`{measure.file_name}`" in text, measure.name
        for column in measure.counts:
            assert f"`{column}`" in text, (measure.name, column)
