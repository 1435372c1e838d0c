"""Time the retention plan and run over ten synthetic years of a Göteborg-size municipality.

Göteborg itself keeps everything for research (SoF 2025:468 13 kap. 1 §), so the data is
generated for Malmö (1280, no research area) scaled to Göteborg's population: `--scale 1.0`
is Göteborg-size. Ten years up to today are generated through the service layer into SQLite
(a file) or PostgreSQL (a throwaway server), committed, then `retention.plan` and
`retention.run` are timed as of 31 December this year. Prints time, rows per second, peak
memory, data size and machine; nothing here fails on time. From the repository root:

    .venv/bin/python bench/bench_retention.py [--scale F] [--backend sqlite|postgresql|both]

Generation is the slow part (minutes per 0.01 of Göteborg on a shared machine); the figures
are the plan's and the run's only.

At full size, on bench_web's replicated database (one Göteborg year generated through the
service layer, replicated to ten with INSERT ... SELECT, journal, documents, decisions,
reviews and the child's voice included; cached in bench/out/):

    .venv/bin/python bench/bench_retention.py --years 10 [--backend sqlite|postgresql|both]

The run works on a copy (a temporary SQLite file, or a throwaway PostgreSQL server restored
from the cached dump): the cache is never written. Göteborg keeps everything for research,
so the copy's deployment and units are relabelled to Malmö (1280, outside the research
areas; persons born on the 5th, 15th or 25th are still kept) before the plan; the plan and
the run are timed as of 31 December this year (files untouched for five years are due). The
machine's load average is printed: on a shared machine the figures are pessimistic.
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
import tracemalloc
from pathlib import Path

from sqlalchemy import Engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_web, next to this file
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from tests.postgres_server import postgres_server

import bench_web as web
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case
from barnskydd.core import migrate
from barnskydd.core.actor import SYSTEM
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.documents.models import Document
from barnskydd.people.models import Child
from barnskydd.reference.municipalities import get as municipality
from barnskydd.retention import service
from barnskydd.synth.generator import generate

MUNICIPALITY = "1280"  # Malmö: outside the research areas
GOTEBORG = "1480"
SEED = 1
YEARS = 10


def _peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _ram_gib() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "?"
    return f"{pages / 2**30:.1f} GiB"


def _size(url: str) -> str:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        counts = {
            "cases": session.scalar(select(func.count()).select_from(Case)),
            "children": session.scalar(select(func.count()).select_from(Child)),
            "journal": session.scalar(select(func.count()).select_from(JournalEntry)),
            "documents": session.scalar(select(func.count()).select_from(Document)),
        }
    engine.dispose()
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def bench(url: str, backend: str, scale: float) -> None:
    """Generate, then time the plan and the run on one database."""
    migrate.upgrade(url)
    end = today()
    local = scale * municipality(GOTEBORG).population / municipality(MUNICIPALITY).population
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        report = generate(
            session,
            municipality_code=MUNICIPALITY,
            start=end.replace(year=end.year - YEARS),
            end=end,
            seed=SEED,
            scale=local,
        )
    generated = time.perf_counter() - started
    print(f"[{backend}]")
    print(f"  data:        {report.reports} reports over {YEARS} years ({generated:.0f} s to "
          f"generate); {_size(url)}")  # fmt: skip
    measure(engine, dt.date(end.year, 12, 31), report.reports, url)
    engine.dispose()


def measure(engine: Engine, as_of: dt.date, cases: int, url: str) -> None:
    """Time the plan, then the run (in one transaction), as of `as_of`; print the figures."""
    tracemalloc.start()
    with session_factory(engine)() as session:
        started = time.perf_counter()
        drawn = service.plan(session, actor=SYSTEM, as_of=as_of)
        planned = time.perf_counter() - started
    _, plan_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    print(f"  plan:        {planned:.2f} s for {cases} cases ({cases / planned:,.0f} cases/s); "
          f"{drawn.total} records due, {len(drawn.child_ids)} whole files; "
          f"peak {plan_peak / 2**20:.1f} MiB")  # fmt: skip
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        number, done = service.run(session, actor=SYSTEM, as_of=as_of)
    ran = time.perf_counter() - started
    _, run_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    removed = done.total + len(done.child_ids)
    print(f"  run:         {ran:.2f} s, {removed} records and files removed "
          f"({removed / ran:,.0f} rows/s; plan included), run {number}; "
          f"peak {run_peak / 2**20:.1f} MiB")  # fmt: skip
    for line in done.lines:
        print(f"    {line.document_class:<18} {line.count:>8}  {line.rule}")
    print(f"  after:       {_size(url)}; process peak RSS {_peak_mib():.0f} MiB")
    print(f"  load:        {web._load()} at the end")


TABLES = (
    "case",
    "child",
    "report",
    "investigation",
    "intervention",
    "journal_entry",
    "document",
    "decision",
    "child_voice_record",
)


def replicated(backend: str, years: int) -> None:
    """Time the plan and run on a copy of bench_web's N-year database."""
    with web.replicated(backend, years) as url:
        engine = make_engine(url)
        with engine.begin() as conn:  # Göteborg keeps everything for research: Malmö's rules
            for table in ("deployment", "unit"):
                conn.execute(
                    text(f"UPDATE {table} SET municipality_code = :code"),  # noqa: S608
                    {"code": MUNICIPALITY},
                )
            cases = int(conn.scalar(select(func.count()).select_from(Case)) or 0)
        print(f"[{backend}]")
        web.print_rows(url, TABLES)
        print(f"  relabelled:  deployment and units to {MUNICIPALITY} (Malmö, outside the "
              "research areas) in the copy")  # fmt: skip
        as_of = dt.date(today().year, 12, 31)
        measure(engine, as_of, cases, url)
        engine.dispose()


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description="Time retention plan and run over ten years.")
    parser.add_argument("--scale", type=float, default=0.01, help="share of Göteborg (0.01)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument(
        "--years", type=int, help="bench_web's replicated N-year Göteborg database (1-10)"
    )
    args = parser.parse_args()
    if args.years:
        web.print_header(args.years)
        for backend in ("sqlite", "postgresql"):
            if args.backend in (backend, "both"):
                replicated(backend, args.years)
        return
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {_ram_gib()}")  # fmt: skip
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"data:     municipality {MUNICIPALITY} at {args.scale:g} × Göteborg-size, "
          f"{YEARS} years up to {today()}, seed {SEED}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            bench(f"sqlite:///{Path(tmp) / 'bench.db'}", "sqlite", args.scale)
        if args.backend in ("postgresql", "both"):
            with postgres_server() as admin_url:
                admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text('CREATE DATABASE "bench"'))
                admin.dispose()
                bench(admin_url.rsplit("/", 1)[0] + "/bench", "postgresql", args.scale)


if __name__ == "__main__":
    main()
