"""Time the national release: DuckDB vs. its bare GROUP BY limit, Spark local mode, peak memory.

Run: .venv/bin/python bench/bench_release.py [--reports N] [--no-spark]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from barnskydd.reference.municipalities import all_municipalities, estimated_children_0_17
from barnskydd.stats import engines, release, synthetic
from barnskydd.stats.schema import VOICE_SUFFIX

YEARS = list(range(2015, 2025))

BARE_QUERIES = [
    "SELECT y, municipality_code, COUNT(*), COUNT(DISTINCT child_key) FROM r GROUP BY ALL",
    "SELECT y, reporter_category, COUNT(*), COUNT(CASE WHEN preliminary_outcome ="
    " 'investigation_opened' THEN 1 END), COUNT(CASE WHEN investigation_outcome ="
    " 'interventions' THEN 1 END) FROM r GROUP BY ALL",
    "SELECT y, c, COUNT(*) FROM (SELECT y, UNNEST(concerns) AS c FROM r) GROUP BY ALL",
    "SELECT y, municipality_code, COUNT(preliminary_on_time), COUNT(CASE WHEN"
    " preliminary_on_time THEN 1 END), COUNT(investigation_on_time) FROM r GROUP BY ALL",
    "SELECT y, COUNT(DISTINCT child_key) FROM r GROUP BY ALL",
    "SELECT y, COUNT(*) FROM (SELECT y, child_key FROM r GROUP BY ALL"
    " HAVING COUNT(DISTINCT municipality_code) > 1) GROUP BY ALL",
]


def machine() -> str:
    """Describe the machine the figures come from."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.platform()}, {os.cpu_count()} CPUs, {ram:.1f} GiB RAM, "
            f"Python {platform.python_version()}")  # fmt: skip


def timed(label: str, func: object) -> float:
    """Run a no-argument callable, print and return its wall time."""
    start = time.perf_counter()
    func()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s", flush=True)
    return seconds


def jvm_peak_gib() -> float:
    """Return the peak resident memory of this process's child processes (the Spark JVM)."""
    peak_kib = 0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
    return peak_kib / 2**20


def report_files(extracts: Path) -> list[str]:
    """Return the reports files (version 2 writes a voice table beside each)."""
    return sorted(str(p) for p in extracts.glob("*.parquet") if not p.name.endswith(VOICE_SUFFIX))


def bare_group_by(extracts: Path) -> None:
    """Run the same counts as plain DuckDB GROUP BY queries over the Parquet files."""
    con = duckdb.connect()
    con.read_parquet(report_files(extracts)).create_view("raw")
    con.execute(
        "CREATE TEMP VIEW r AS SELECT *, CAST(substr(received_month, 1, 4) AS INTEGER) AS y"
        " FROM raw"
    )
    for query in BARE_QUERIES:
        con.sql(query).fetchall()
    con.close()


def main() -> None:
    """Generate the data, run every variant and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=4_500_000)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    municipalities = [synthetic.Municipality(m.code, estimated_children_0_17(m)[0])
                      for m in all_municipalities()]  # fmt: skip
    expected = sum(m.children for m in municipalities) * 0.19 * len(YEARS)
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        extracts, out = Path(tmp) / "extracts", Path(tmp) / "out"
        # In a child process, so that the peak memory below is the release's, not the generator's.
        worker = multiprocessing.Process(
            target=synthetic.write_extracts,
            args=(extracts, municipalities, YEARS),
            kwargs={"seed": 2026, "scale": args.reports / expected},
        )
        generate = timed("generate synthetic extracts", lambda: (worker.start(), worker.join()))
        size = sum(p.stat().st_size for p in extracts.glob("*.parquet")) / 2**20
        n = duckdb.read_parquet(report_files(extracts)).count("*").fetchall()[0][0]
        print(
            f"data: {n:,} reports, {len(municipalities)} municipalities x {len(YEARS)} years,"
            f" {size:.0f} MiB Parquet ({generate:.0f} s to generate)"
        )
        bare = timed("bare DuckDB GROUP BY (same counts)", lambda: bare_group_by(extracts))

        def duckdb_release() -> None:
            release.publish(release.compute(extracts), out / "duckdb")

        whole = timed("whole release, DuckDB, suppression", duckdb_release)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"ratio whole release / bare GROUP BY: {whole / bare:.1f}")
        timed(
            "whole release, DuckDB, dp",
            lambda: release.publish(release.compute(extracts, protection="dp"), out / "dp"),
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"peak memory (Python process, DuckDB runs): {peak:.2f} GiB")
        if not args.no_spark:

            def spark_release() -> None:
                engines.spark_session("local[*]")  # the product's local session, on loopback
                release.publish(release.compute(extracts, engine="spark"), out / "spark")

            timed("whole release, Spark local[*], suppression", spark_release)
            print(f"peak memory of the Spark JVM (VmHWM): {jvm_peak_gib():.2f} GiB")
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")


if __name__ == "__main__":
    main()
