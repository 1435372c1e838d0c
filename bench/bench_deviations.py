"""The automatic deviation scan over ten synthetic Göteborg-size years, SQLite and PostgreSQL.

Generates the years through the service layer (bench_load.py's generator; at --scale 1 that
is some 200,000 reports and a long generation on two cores, so --scale makes it smaller), removes
the automatic deviations the generator's own scan made, then times the scan as of the last
day: once from empty (every missed deadline of ten years) and once more (idempotent: nothing
created). Prints time, deviations created, peak memory of the scan (tracemalloc), data size
and machine. Prints figures only; nothing here fails on time. Run from the repository root:

    .venv/bin/python bench/bench_deviations.py [--years 10] [--scale F]
        [--backend sqlite|postgresql|both]

At full size without generating ten years (the figures the issue asks for), on bench_web's
replicated database: one Göteborg year generated through the service layer, replicated to
--years years with INSERT ... SELECT (cached in bench/out/), copied before use (a temporary
SQLite file, or a throwaway PostgreSQL server restored from the cached dump):

    .venv/bin/python bench/bench_deviations.py --replicated --years 10 [--backend ...]

The replicated years hold only cases that no longer wait on a step with a deadline (see
bench_web.replicate), so the older years add closed files with their late steps; the load
average is printed, and on this shared machine the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_web, next to this file
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from tests.postgres_server import postgres_server

import bench_web as web
from barnskydd.cases.models import Case
from barnskydd.core import migrate
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.deviations import scan
from barnskydd.deviations.codes import DeviationKind
from barnskydd.deviations.models import Deviation
from barnskydd.synth.generator import generate

MUNICIPALITY = "1480"  # Göteborg
SEED = 1


def run(url: str, *, years: int, scale: float) -> None:
    """Generate, then time two scans; print the figures."""
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    end = today()
    started = time.perf_counter()
    with transaction(factory) as session:
        report = generate(
            session,
            municipality_code=MUNICIPALITY,
            start=end - dt.timedelta(days=365 * years),
            end=end,
            seed=SEED,
            scale=scale,
        )
        session.execute(delete(Deviation).where(Deviation.kind == DeviationKind.AUTO))
    generated = time.perf_counter() - started
    with factory() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
    print(f"  data:           {report.reports} reports, {cases} cases "
          f"(generated in {generated:.0f} s)")  # fmt: skip
    _scans(factory, end)
    engine.dispose()


TABLES = ("case", "report", "investigation", "intervention", "decision", "placement_review",
          "follow_up", "reporter_feedback", "deviation")  # fmt: skip


def replicated(backend: str, years: int) -> None:
    """Time two scans on a copy of bench_web's N-year database."""
    with web.replicated(backend, years) as url:
        engine = make_engine(url)
        factory = session_factory(engine)
        with transaction(factory) as session:  # the base year's own scan, not measured
            session.execute(delete(Deviation).where(Deviation.kind == DeviationKind.AUTO))
        print(f"[{backend}]")
        web.print_rows(url, TABLES)
        _scans(factory, today())
        print(f"  load:           {web._load()} at the end")
        engine.dispose()


def _scans(factory: sessionmaker[Session], end: dt.date) -> None:
    for label in ("first scan", "second scan"):
        tracemalloc.start()
        started = time.perf_counter()
        with transaction(factory) as session:
            result = scan.scan(session, as_of=end)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  {label + ':':<15} {seconds:.2f} s, created {result.created}, "
              f"open auto {result.open_auto}, peak {peak / 2**20:.1f} MiB")  # fmt: skip


def main() -> None:
    """Parse the options and run the scans."""
    parser = argparse.ArgumentParser(description="Time the automatic deviation scan.")
    parser.add_argument("--years", type=int, default=10, help="synthetic years (10)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of Göteborg (1.0)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--replicated", action="store_true", help="bench_web's replicated years, not generated"
    )
    args = parser.parse_args()
    if args.replicated:
        web.print_header(args.years)
        for backend in ("sqlite", "postgresql"):
            if args.backend in (backend, "both"):
                replicated(backend, args.years)
        return
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()})")  # fmt: skip
    print(f"data:     municipality {MUNICIPALITY}, {args.years} years up to {today()}, "
          f"seed {SEED}, scale {args.scale:g}")  # fmt: skip
    if args.backend in ("sqlite", "both"):
        print("[sqlite]")
        with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", years=args.years, scale=args.scale)
    if args.backend in ("postgresql", "both"):
        print("[postgresql]")
        with postgres_server() as admin_url:
            admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text('CREATE DATABASE "bench"'))
            admin.dispose()
            run(admin_url.rsplit("/", 1)[0] + "/bench", years=args.years, scale=args.scale)


if __name__ == "__main__":
    main()
