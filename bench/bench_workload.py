"""The team lead's workload page under the desk bench's load, on a Göteborg-size database.

    .venv/bin/python bench/bench_workload.py [--source FILE.sqlite] [--backend sqlite|postgresql]
        [--users 20] [--leads 5] [--duration 30] [--think 1.0] [--workers 2] [--years N]

Ten Göteborg-size years (issue 15's figure), bench_web's replicated database, both backends:

    .venv/bin/python bench/bench_workload.py --years 10 --backend sqlite
    .venv/bin/python bench/bench_workload.py --years 10 --backend postgresql

The data: bench_web.py's database (municipality 1480, one generated year, cached in
bench/out/; --source names another copy, e.g. /work/main/bench/out/web-1480-...-y1-...sqlite,
whose directory is then read for the PostgreSQL dump too).
It is copied to a temporary file (the source is never written), migrated to this checkout's
head, and the first unit's case workers and team leads get the bench password. PostgreSQL:
bench_web.postgresql_database restores (or builds) the same data into a throwaway server.

The load: --users virtual case workers run bench_web.py's mix (inbox, case page, search,
register a report) while --leads virtual team leads of the same unit open
/enhet/belastning (the weighted caseload of every worker on today, their six-month trend,
journal time use and measurement weeks), each with a think time around --think seconds.
Figures only: p50/p95/p99 per endpoint, the data size and the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

import bench_web as web
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.deviations import scan as deviation_scan
from barnskydd.models import Case, StaffMember
from barnskydd.staff import passwords

PAGE = "arbetsbelastning"


def _prepare(url: str) -> tuple[list[str], int, int]:
    """Set the bench password for the first unit's staff; return team leads, workers, cases."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        unit_id = session.scalar(
            select(StaffMember.unit_id).where(StaffMember.username == web.DEMO_CASE_WORKER)
        )
        members = list(
            session.scalars(
                select(StaffMember)
                .where(StaffMember.unit_id == unit_id, StaffMember.active)
                .order_by(StaffMember.id)
            )
        )
        for member in members:
            passwords.set_password(session, member=member, password=web.PASSWORD)
        open_cases = session.scalar(
            select(func.count(Case.id)).where(Case.unit_id == unit_id, Case.closed_on.is_(None))
        )
    engine.dispose()
    leads = [m.username for m in members if m.role is Role.TEAM_LEAD]
    workers = sum(m.role is Role.CASE_WORKER for m in members)
    return leads, workers, open_cases or 0


async def _lead(
    number: int,
    client: httpx.AsyncClient,
    stop: float,
    think: float,
    results: web.Results,
) -> None:
    rng = random.Random(web.SEED * 7000 + number)
    await asyncio.sleep(rng.uniform(0, max(think, 0.1)))
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            response = await client.get("/enhet/belastning")
        except httpx.TransportError:
            results.errors[PAGE] += 1
            continue
        results.latencies[PAGE].append(time.perf_counter() - started)
        if response.status_code != 200:
            results.errors[PAGE] += 1
            results.statuses[response.status_code] += 1
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def _login(client: httpx.AsyncClient, username: str) -> str | None:
    try:
        return await web._login(client, username, asyncio.Semaphore(1))
    except httpx.TransportError:
        return None


async def _worker(
    number: int,
    client: httpx.AsyncClient,
    token: str,
    work: web.Workload,
    stop: float,
    think: float,
    results: web.Results,
) -> None:
    """Run bench_web's case worker; a dropped connection ends that user and is counted."""
    try:
        await web._user(number, client, token, work, stop, think, results)
    except httpx.TransportError:
        results.errors["avbrutna användare"] += 1


async def _load(
    base: str, work: web.Workload, leads: list[str], args: argparse.Namespace
) -> tuple[web.Results, float]:
    results = web.Results()
    limits = httpx.Limits(max_connections=2)
    workers = [
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(args.users)
    ]
    heads = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(args.leads)]
    try:
        # One at a time (not timed): simultaneous logins each write the login guard's row.
        tokens = [
            await _login(c, work.usernames[n % len(work.usernames)]) for n, c in enumerate(workers)
        ]
        lead_tokens = [await _login(c, leads[n % len(leads)]) for n, c in enumerate(heads)]
        results.errors["inloggning"] = sum(t is None for t in [*tokens, *lead_tokens])
        started = time.perf_counter()
        stop = time.monotonic() + args.duration
        await asyncio.gather(
            *(
                _worker(n, client, token, work, stop, args.think, results)
                for n, (client, token) in enumerate(zip(workers, tokens, strict=True))
                if token is not None
            ),
            *(
                _lead(n, client, stop, args.think, results)
                for n, (client, token) in enumerate(zip(heads, lead_tokens, strict=True))
                if token is not None
            ),
        )
        return results, time.perf_counter() - started
    finally:
        for client in [*workers, *heads]:
            await client.aclose()


def _print(results: web.Results, seconds: float) -> None:
    print(f"  {'endpoint':<20}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}")  # fmt: skip
    for name in [PAGE, *(n for n, _ in web.MIX)]:
        values = results.latencies.get(name, [])
        if not values:
            print(f"  {name:<20}{0:>9}")
            continue
        print(f"  {name:<20}{len(values):>9}{len(values) / seconds:>8.1f}"
              f"{web._percentile(values, 0.5):>9.1f}{web._percentile(values, 0.95):>9.1f}"
              f"{web._percentile(values, 0.99):>9.1f}{max(values) * 1000:>9.1f}"
              f"{results.errors.get(name, 0):>8}")  # fmt: skip
    if results.errors.get("avbrutna användare"):
        print(f"  case workers stopped by a dropped connection: "
              f"{results.errors['avbrutna användare']}")  # fmt: skip
    if results.errors.get("inloggning"):
        print(f"  failed logins: {results.errors['inloggning']}")
    if results.statuses:
        print(f"  error statuses: {dict(results.statuses)}")


def run(backend: str, url: str, args: argparse.Namespace) -> None:
    """Measure one backend."""
    leads, workers, open_cases = _prepare(url)
    work, size = web.workload(url)
    started = time.perf_counter()
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:  # today's scan, as bench_web does
        deviation_scan.run_daily(session, as_of=today())
    engine.dispose()
    print(f"  deviation scan: today's, before serving, {time.perf_counter() - started:.1f} s")
    print(f"[{backend}]")
    print(f"  data:           {size.reports} reports, {size.cases} cases, {size.children} "
          f"children; database {size.bytes / 2**20:.0f} MiB; the page's unit has {workers} "
          f"case workers and {open_cases} open cases ({size.unit_cases} in all)")  # fmt: skip
    print(f"  users:          {args.users} case workers (bench_web mix) and {args.leads} team "
          f"leads on /enhet/belastning, think {args.think:g} s (±50 %), {args.duration:g} s, "
          f"{args.workers} app processes")  # fmt: skip
    with web.serve(url, args.workers) as base:
        results, seconds = asyncio.run(_load(base, work, leads, args))
    _print(results, seconds)
    print(f"  load average:   {web._load()} at the end")


def main() -> None:
    """Parse the options, copy the data, serve, load and print."""
    parser = argparse.ArgumentParser(description="Load-test the workload page (figures only).")
    parser.add_argument("--source", type=Path, help="a bench_web SQLite file to copy")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--users", type=int, default=20, help="virtual case workers (20)")
    parser.add_argument("--leads", type=int, default=5, help="virtual team leads (5)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (30)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, s (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="app processes (2)")
    parser.add_argument("--years", type=int, default=1, help="bench_web's replicated years (1)")
    args = parser.parse_args()
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {web._ram_gib()}")  # fmt: skip
    print(f"python:   {platform.python_implementation()} {platform.python_version()}; "
          f"load average before: {web._load()}; the machine is shared, the figures are "
          "pessimistic")  # fmt: skip
    if args.source is not None:  # its directory holds bench_web's cache (the dump as well)
        web.OUT = args.source.resolve().parent
    if args.backend == "postgresql":
        with web.postgresql_database(today(), args.years) as url:
            run("postgresql", url, args)
        return
    source = args.source or web.build_sqlite(today(), args.years)
    print(f"data:     {source.name}, copied (the source is not written)")
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        copy = Path(tmp) / "bench.db"
        web._sqlite_copy(source, copy)
        url = f"sqlite:///{copy}"
        migrate.upgrade(url)
        run("sqlite", url, args)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
