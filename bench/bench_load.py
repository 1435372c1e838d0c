"""Generate and load one year of a Göteborg-size municipality through the service layer.

Loads into SQLite (a file) and into PostgreSQL (a throwaway server from tests/postgres_server.py)
in one transaction each, and prints reports per second, database size, peak memory, data size
and machine. Prints figures only; nothing here fails on time. Run from the repository root:

    .venv/bin/python bench/bench_load.py [--scale F] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from tests.postgres_server import postgres_server

from barnskydd.core import migrate
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.synth.generator import GenerationReport, generate

MUNICIPALITY = "1480"  # Göteborg
SEED = 1


def _ram_gib() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "?"
    return f"{pages / 2**30:.1f} GiB"


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def load(url: str, scale: float) -> tuple[GenerationReport, float]:
    """Migrate, generate and commit; return what was made and the seconds it took."""
    migrate.upgrade(url)
    engine = make_engine(url)
    end = today()
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        report = generate(
            session,
            municipality_code=MUNICIPALITY,
            start=end - dt.timedelta(days=365),
            end=end,
            seed=SEED,
            scale=scale,
        )
    seconds = time.perf_counter() - started
    engine.dispose()
    return report, seconds


def _print(backend: str, report: GenerationReport, seconds: float, size: int) -> None:
    print(f"[{backend}]")
    print(f"  reports:        {report.reports} about {report.children} children "
          f"({report.steps} service-layer steps)")  # fmt: skip
    print(f"  time:           {seconds:.1f} s")
    print(f"  reports/s:      {report.reports / seconds:.1f} "
          f"(steps/s {report.steps / seconds:.1f})")  # fmt: skip
    print(f"  database size:  {size / 2**20:.1f} MiB")
    print(f"  peak memory:    {_peak_mib():.0f} MiB (process so far)")


def run_sqlite(scale: float, work: Path) -> None:
    """Load into a SQLite file and report."""
    path = work / "bench.db"
    report, seconds = load(f"sqlite:///{path}", scale)
    size = sum(p.stat().st_size for p in work.glob("bench.db*"))
    _print("sqlite", report, seconds, size)


def run_postgresql(scale: float) -> None:
    """Load into a throwaway PostgreSQL server and report."""
    with postgres_server() as admin_url:
        admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "bench"'))
        admin.dispose()
        url = admin_url.rsplit("/", 1)[0] + "/bench"
        report, seconds = load(url, scale)
        engine = make_engine(url)
        with engine.connect() as conn:
            size = int(conn.scalar(text("SELECT pg_database_size('bench')")) or 0)
        engine.dispose()
    _print("postgresql", report, seconds, size)


def main() -> None:
    """Parse the options, run the loads and print the figures."""
    parser = argparse.ArgumentParser(description="Load a synthetic Göteborg-size year.")
    parser.add_argument("--scale", type=float, default=1.0, help="share of Göteborg (1.0)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {_ram_gib()}")  # fmt: skip
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"data:     municipality {MUNICIPALITY}, one year up to {today()}, seed {SEED}, "
          f"scale {args.scale:g}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        work = Path(tmp)
        if args.backend in ("sqlite", "both"):
            run_sqlite(args.scale, work)
        if args.backend in ("postgresql", "both"):
            run_postgresql(args.scale)


if __name__ == "__main__":
    main()
