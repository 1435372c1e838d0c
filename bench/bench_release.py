"""Time the national release: DuckDB vs. its bare GROUP BY limit, before/after, Spark, memory.

Run: .venv/bin/python bench/bench_release.py [--reports N] [--no-spark] [--baseline COMMIT]

The release (suppression and DP) runs in a fresh Python process for this checkout and for the
baseline commit (its src/ taken with `git archive`), over the same extracts in the same run;
the bench then checks that both give identical tables: the suppressed release, and in DP mode
the bounded counts before noise and every column's sensitivity, epsilon and scale.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

import barnskydd
from barnskydd.reference.municipalities import all_municipalities, estimated_children_0_17
from barnskydd.stats import engines, release, synthetic
from barnskydd.stats.schema import VOICE_SUFFIX

YEARS = list(range(2015, 2025))
BASELINE = "2cd8923"  # the release before issue 17 (seven queries, file-by-file checks), reading v2
ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh process with the sources under test first on the path: time the whole
# suppression release and the whole DP release (compute and publish) and write what the
# comparison needs. dp.protect is wrapped to keep its input, the counts before noise.
RELEASE_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from barnskydd.stats import dp, release

extracts, out, dump = (Path(a) for a in sys.argv[1:4])
truth = {}
protect = dp.protect
def keeping(tables, **kwargs):
    truth.update(tables)
    return protect(tables, **kwargs)
dp.protect = keeping
start = time.perf_counter()
suppressed = release.compute(extracts)
release.publish(suppressed, out / "suppression")
middle = time.perf_counter()
noisy = release.compute(extracts, protection="dp")
release.publish(noisy, out / "dp")
end = time.perf_counter()
accounting = [[n.table, n.column, n.year, n.sensitivity, n.epsilon, n.scale, n.moe95]
              for n in noisy.noise]
dump.write_text(json.dumps({
    "suppression_s": middle - start, "dp_s": end - middle,
    "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    "tables": suppressed.tables, "suppressed": sorted(map(list, suppressed.suppressed.items())),
    "dp_truth": truth, "dp_accounting": accounting,
    "epsilon_total": dp.total_epsilon(noisy.noise),
}, default=str))
"""

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


def baseline_sources(commit: str, into: Path) -> Path | None:
    """Return the src/ directory of a commit of this repository, or None without git."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "src"],
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"baseline {commit}: not available ({exc}); only this checkout is timed")
        return None
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def run_release(sources: Path, extracts: Path, out: Path) -> dict[str, Any]:
    """Time the suppression and the DP release of one source tree in a fresh process."""
    dump = out / "result.json"
    out.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(sources)}
    subprocess.run(
        [sys.executable, "-c", RELEASE_SCRIPT, str(extracts), str(out), str(dump)],
        env=env,
        check=True,
    )
    result: dict[str, Any] = json.loads(dump.read_text())
    return result


def same_tables(after: dict[str, Any], before: dict[str, Any]) -> str:
    """Say whether two runs published identical tables (suppression, DP before noise)."""
    checks = {
        "suppressed tables": after["tables"] == before["tables"],
        "suppressed cells per table": after["suppressed"] == before["suppressed"],
        "DP counts before noise": after["dp_truth"] == before["dp_truth"],
        "DP sensitivity, epsilon, scale per column": (
            after["dp_accounting"] == before["dp_accounting"]
        ),
        "DP epsilon in total": after["epsilon_total"] == before["epsilon_total"],
    }
    return ", ".join(f"{name}: {'identical' if ok else 'DIFFERENT'}" for name, ok in checks.items())


def main() -> None:
    """Generate the data, run every variant and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=4_500_000)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with ('' for none)")
    args = parser.parse_args()
    municipalities = [synthetic.Municipality(m.code, estimated_children_0_17(m)[0])
                      for m in all_municipalities()]  # fmt: skip
    expected = sum(m.children for m in municipalities) * 0.19 * len(YEARS)
    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        extracts, out = Path(tmp) / "extracts", Path(tmp) / "out"
        # In a child process, so that the generator's memory is not the release's.
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
        after = run_release(Path(barnskydd.__file__).parents[1], extracts, out / "after")
        bare_again = timed("bare DuckDB GROUP BY, again", lambda: bare_group_by(extracts))
        limit = (bare + bare_again) / 2
        print(f"{'whole release, DuckDB, suppression':<44} {after['suppression_s']:8.2f} s")
        print(f"{'whole release, DuckDB, dp':<44} {after['dp_s']:8.2f} s")
        ratio = after["suppression_s"] / limit
        print(f"ratio whole release / bare GROUP BY (mean of the two): {ratio:.1f}")
        print(f"peak memory (the release's Python process): {after['peak_gib']:.2f} GiB")
        sources = baseline_sources(args.baseline, Path(tmp) / "baseline") if args.baseline else None
        if sources is not None:
            before = run_release(sources, extracts, out / "before")
            bare_before = timed(
                "bare DuckDB GROUP BY, beside the baseline", lambda: bare_group_by(extracts)
            )
            print(f"baseline {args.baseline}:")
            print(f"{'  whole release, DuckDB, suppression':<44} {before['suppression_s']:8.2f} s"
                  f"  (ratio {before['suppression_s'] / bare_before:.1f})")  # fmt: skip
            print(f"{'  whole release, DuckDB, dp':<44} {before['dp_s']:8.2f} s")
            print(f"  peak memory: {before['peak_gib']:.2f} GiB")
            faster = (
                before["suppression_s"] / after["suppression_s"],
                before["dp_s"] / after["dp_s"],
            )
            print(f"speed-up: suppression {faster[0]:.1f} x, dp {faster[1]:.1f} x")
            print(f"same tables as {args.baseline}: {same_tables(after, before)}")
        if not args.no_spark:

            def spark_release() -> None:
                engines.spark_session("local[*]")  # the product's local session, on loopback
                release.publish(release.compute(extracts, engine="spark"), out / "spark")

            timed("whole release, Spark local[*], suppression", spark_release)
            print(f"peak memory of the Spark JVM (VmHWM): {jvm_peak_gib():.2f} GiB")
    print(f"load average at end (1, 5, 15 min): {os.getloadavg()}")
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")


if __name__ == "__main__":
    main()
