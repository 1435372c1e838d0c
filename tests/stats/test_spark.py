"""Spark local mode runs the same measure SQL and gives identical tables to DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyspark")

from barnskydd.stats import engines
from barnskydd.stats import release as publishing

pytestmark = [
    pytest.mark.slow,
    # py4j and PySpark emit ResourceWarnings for sockets they close at interpreter exit and
    # DeprecationWarnings from their own imports; neither is about our code.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:py4j.*"),
]


@pytest.fixture(scope="session", autouse=True)
def _one_local_session() -> None:
    """Start one local[1] Spark session; the engine's getOrCreate then reuses it."""
    engines.spark_session("local[1]")


def test_spark_gives_identical_tables_to_duckdb_with_suppression(synthetic_dir: Path) -> None:
    on_duckdb = publishing.compute(synthetic_dir, engine="duckdb")
    on_spark = publishing.compute(synthetic_dir, engine="spark")
    assert on_spark.tables == on_duckdb.tables
    assert on_spark.suppressed == on_duckdb.suppressed
