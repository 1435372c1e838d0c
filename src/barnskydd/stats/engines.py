"""Engines that run the measure SQL: DuckDB (default, embedded) and Spark (national scale)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from barnskydd.core.errors import InvalidInput

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Row = dict[str, Any]
ENGINES = ("duckdb", "spark")
LOOPBACK = "127.0.0.1"  # where local-mode Spark listens (the driver and its block manager)


class Engine(Protocol):
    """Runs statements and queries over the normalised tables."""

    name: str

    def load(self, tables: Mapping[str, pa.Table]) -> None:
        """Make the tables queryable under their names."""

    def execute(self, statement: str) -> None:
        """Run a statement (views)."""

    def materialise(self, name: str, sql: str) -> None:
        """Compute a query once and keep its result queryable under a name."""

    def query(self, sql: str) -> list[Row]:
        """Run a query and return its rows."""

    def close(self) -> None:
        """Release what the engine holds."""


class DuckDBEngine:
    """An in-process DuckDB database over Arrow tables (no copy)."""

    name = "duckdb"

    def __init__(self) -> None:
        # No progress bar: it would write over the CLI's own (Swedish) output.
        self._con = duckdb.connect()
        self._con.execute("SET enable_progress_bar = false")

    def load(self, tables: Mapping[str, pa.Table]) -> None:
        """Register the Arrow tables as DuckDB views."""
        for name, table in tables.items():
            self._con.register(name, table)

    def execute(self, statement: str) -> None:
        """Run a statement."""
        self._con.execute(statement)

    def materialise(self, name: str, sql: str) -> None:
        """Store a query's result as a temporary table."""
        self._con.execute(f"CREATE OR REPLACE TEMPORARY TABLE {name} AS {sql}")

    def query(self, sql: str) -> list[Row]:
        """Run a query and return its rows."""
        rows: list[Row] = self._con.sql(sql).to_arrow_table().to_pylist()
        return rows

    def close(self) -> None:
        """Close the connection."""
        self._con.close()


def is_local(master: str) -> bool:
    """Tell whether a Spark master URL is local mode (everything in this machine's JVM)."""
    return master == "local" or master.startswith(("local[", "local-cluster["))


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


@cache
def spark_session(master: str = "local[*]") -> SparkSession:
    """Return one Spark session per process (local mode unless a cluster master is given).

    The product, the tests and the benches all start Spark here. In local mode the driver,
    and with it the block manager, binds to loopback only: left to itself, Spark binds to
    the machine's network address when the hostname resolves to loopback (and warns that it
    does). SPARK_LOCAL_IP is read by the JVM as it starts, so it is set for the launch.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InvalidInput(
            "--engine spark needs PySpark: pip install 'barnskydd[spark]'", field="engine"
        ) from exc
    builder = (
        SparkSession.builder.master(master)
        .appName("barnskydd-stats")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
    )
    session: SparkSession
    if is_local(master):
        builder = builder.config("spark.driver.bindAddress", LOOPBACK).config(
            "spark.driver.host", LOOPBACK
        )
        with _environment("SPARK_LOCAL_IP", LOOPBACK):
            session = builder.getOrCreate()
    else:
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Spark SQL over the normalised tables, staged as Parquet for the cluster to read."""

    name = "spark"

    def __init__(self, session: SparkSession | None = None) -> None:
        self._spark = session if session is not None else spark_session()
        self._staging = tempfile.TemporaryDirectory(prefix="barnskydd-spark-")
        self._cached: list[Any] = []

    def load(self, tables: Mapping[str, pa.Table]) -> None:
        """Stage each table as Parquet and register it as a temporary view."""
        for name, table in tables.items():
            path = Path(self._staging.name) / f"{name}.parquet"
            pq.write_table(table, path)
            self._spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def execute(self, statement: str) -> None:
        """Run a statement."""
        self._spark.sql(statement)

    def materialise(self, name: str, sql: str) -> None:
        """Cache a query's result and register it as a temporary view."""
        frame = self._spark.sql(sql).cache()
        frame.createOrReplaceTempView(name)
        self._cached.append(frame)

    def query(self, sql: str) -> list[Row]:
        """Run a query and return its rows."""
        return [row.asDict() for row in self._spark.sql(sql).collect()]

    def close(self) -> None:
        """Drop the staged files (the session stays for the next release in this process)."""
        for frame in self._cached:
            frame.unpersist()
        for name in ("extract_reports", "extract_concerns", "extract_voice"):
            self._spark.catalog.dropTempView(name)
        self._staging.cleanup()


def create_engine(name: str) -> Engine:
    """Return the engine with this name."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    raise InvalidInput(
        f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}", field="engine"
    )
