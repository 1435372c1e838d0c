"""Fixtures for the statistics tests: hand-made and synthetic extracts."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from barnskydd.stats import synthetic
from barnskydd.stats.schema import EXTRACT_SCHEMA

_ids = itertools.count(1)

# Three real municipalities (codes from kommuner.csv); the small one gives small cells.
SMALL_SET = [
    synthetic.Municipality("0114", 2_000),
    synthetic.Municipality("0115", 1_500),
    synthetic.Municipality("2401", 60),
]


def report(**overrides: Any) -> dict[str, Any]:
    """Return one valid extract row, changed where the test says."""
    row: dict[str, Any] = {
        "extract_version": 1,
        "municipality_code": "0114",
        "report_id": f"r{next(_ids):015d}",
        "child_key": "a" * 64,
        "received_month": "2024-03",
        "child_age": 7,
        "child_gender": "girl",
        "reporter_category": "police",
        "mandatory_reporter": True,
        "concerns": ["neglect"],
        "preliminary_outcome": "not_opened",
        "preliminary_on_time": True,
        "investigation_outcome": None,
        "investigation_on_time": None,
        "interventions": [],
        "lvu": False,
    }
    row.update(overrides)
    return row


def child(n: int) -> str:
    """Return the child_key of test child n."""
    return f"{n:064x}"


def write_extract(
    path: Path, rows: list[dict[str, Any]], schema: pa.Schema = EXTRACT_SCHEMA
) -> Path:
    """Write rows as an extract file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory of small synthetic extracts (3 municipalities, 2 years)."""
    directory = tmp_path_factory.mktemp("extracts")
    synthetic.write_extracts(directory, SMALL_SET, [2023, 2024], seed=7)
    return directory
