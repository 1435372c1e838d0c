"""The municipality page (/statistik/kommun) under the desk bench's load (figures only).

    .venv/bin/python bench/bench_numbers.py [--database FILE] [--backend sqlite|postgresql|both]
        [--users 50] [--readers 4] [--duration 60] [--think 1.0] [--workers 2] [--delay 20]
        [--years N]

Ten Göteborg-size years (issue 15's figure): `--years 10` takes bench_web's replicated
10-year file (built when missing), and for PostgreSQL restores bench_web's cached dump into
a throwaway server (bench_web.replicated) rather than copying table by table:

    .venv/bin/python bench/bench_numbers.py --years 10 --backend both

The data: the desk bench's Göteborg SQLite file (bench/bench_web.py builds it: one year of
municipality 1480 through the service layer, replicated to N years), by default today's
1-year file in bench/out/, or the file --database names. It is copied with SQLite's backup
API into a temporary directory first (the run registers reports; the source is only read).
For PostgreSQL the copy is loaded into a throwaway server (bench_web's table-by-table copy,
then VACUUM ANALYZE).

The app runs as `barnskydd serve` does (bench_web.serve). bench_web's 50 virtual case
workers load the desk with their mix (inbox, case page, search, register); at the same time
--readers users (analysts and the first unit's team lead, alternating; the copy gives the
demo accounts the bench password) open the municipality page for the last twelve months,
the whole municipality (analysts) or their unit (team lead), with the same think time, from
--delay seconds on (after the desk's users have logged in; their logins are not timed). The
app keeps a period's numbers five minutes per process, so each process computes each
reader's numbers once in a run: those cold requests are in the figures. Printed: the
machine, the data size, one cold computation in-process, the page's latencies by reader
role, and the desk's own table. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import Connection, Integer, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_web, next to this file
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from tests.postgres_server import postgres_server

import bench_web as desk
from barnskydd.core import migrate
from barnskydd.core.actor import SYSTEM
from barnskydd.core.clock import today
from barnskydd.core.db import Base, make_engine, session_factory, transaction
from barnskydd.deviations import scan as deviation_scan
from barnskydd.models import StaffMember
from barnskydd.staff import passwords
from barnskydd.stats import municipal
from barnskydd.synth.organisation import DEMO_ACCOUNTS

PAGE = "/statistik/kommun"
READERS = ("analytiker", "arbetsledare")


def _set_passwords(url: str) -> None:
    """Give every demo account without one the bench password, in the copy, before serving.

    Otherwise each app process sets the demo password at start, and two processes hashing
    and writing at once on a loaded machine can meet SQLite's lock.
    """
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        for member in session.scalars(
            select(StaffMember).where(
                StaffMember.username.in_(DEMO_ACCOUNTS), StaffMember.password_hash.is_(None)
            )
        ):
            passwords.set_password(session, member=member, password=desk.PASSWORD)
    engine.dispose()


async def _reader(
    number: int,
    base: str,
    stop: float,
    think: float,
    delay: float,
    latencies: dict[str, list[float]],
) -> None:
    username = READERS[number % len(READERS)]
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/logga-in")
        response = await client.post(
            "/logga-in",
            data={
                "username": username,
                "password": desk.PASSWORD,
                "csrf_token": desk._token(page.text),
                "next": "/",
            },
            follow_redirects=True,
        )
        if response.status_code != 200:
            latencies.setdefault(f"{username}: inloggning misslyckades", []).append(0.0)
            return
        rng = random.Random(desk.SEED * 77 + number)
        # The desk logs its 50 users in first (not timed); the readers start after that.
        await asyncio.sleep(delay + rng.uniform(0, max(think, 0.1)))
        while time.monotonic() < stop:
            started = time.perf_counter()
            response = await client.get(PAGE)
            elapsed = time.perf_counter() - started
            key = username if response.status_code == 200 else f"{username}: {response.status_code}"
            latencies.setdefault(key, []).append(elapsed)
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def _both(
    base: str, work: desk.Workload, args: argparse.Namespace
) -> tuple[desk.Results, float, dict[str, list[float]]]:
    latencies: dict[str, list[float]] = {}
    stop = time.monotonic() + args.delay + args.duration
    readers = [
        _reader(n, base, stop, args.think, args.delay, latencies) for n in range(args.readers)
    ]
    desk_load = asyncio.ensure_future(
        desk.load(base, work, args.users, args.duration, args.think, 4)
    )
    await asyncio.gather(desk_load, *readers)
    results, seconds = desk_load.result()
    return results, seconds, latencies


def _cold(url: str) -> str:
    """Time one computation of the page's numbers in-process (no HTTP, no load)."""
    engine = make_engine(url)
    session = session_factory(engine)()
    try:
        started = time.perf_counter()
        result = municipal.numbers(
            session,
            actor=SYSTEM,
            period=municipal.default_period(today()),
            unit_id=None,
            today=today(),
        )
        seconds = time.perf_counter() - started
    finally:
        session.close()
        engine.dispose()
    reports = result.tables["outcomes_by_reporter"][-1]["reports"]
    return (
        f"{seconds * 1000:.0f} ms for {result.period.label()}, the whole municipality "
        f"({reports} reports in the period, {result.suppressed} cells suppressed)"
    )


def run(backend: str, url: str, args: argparse.Namespace) -> None:
    """Measure one backend."""
    _set_passwords(url)
    started = time.perf_counter()
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:  # today's scan, as bench_web does
        deviation_scan.run_daily(session, as_of=today())
    engine.dispose()
    print(f"  deviation scan: today's, before serving, {time.perf_counter() - started:.1f} s "
          "(the app's job at start finds it done)")  # fmt: skip
    work, size = desk.workload(url)
    print(f"[{backend}]")
    print(f"  data:           {size.reports} reports, {size.cases} cases, {size.children} "
          f"children; database {size.bytes / 2**20:.0f} MiB")  # fmt: skip
    print(f"  one computation: {_cold(url)}")
    print(f"  load:           {args.users} virtual case workers (bench_web's mix) and "
          f"{args.readers} readers of {PAGE} ({', '.join(READERS)} alternating), think "
          f"{args.think:g} s (±50 %), {args.duration:g} s, {args.workers} app "
          "processes")  # fmt: skip
    with desk.serve(url, args.workers) as base:
        results, seconds, latencies = asyncio.run(_both(base, work, args))
    print(f"  {'page, as':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    every: list[float] = []
    for name, values in sorted(latencies.items()):
        every += values if ":" not in name else []
        print(f"  {name:<28}{len(values):>9}{desk._percentile(values, 0.5):>9.1f}"
              f"{desk._percentile(values, 0.95):>9.1f}{desk._percentile(values, 0.99):>9.1f}"
              f"{max(values) * 1000:>9.1f}")  # fmt: skip
    if every:
        p95 = desk._percentile(every, 0.95)
        print(f"  municipality page p95, every reader: {p95:.1f} ms")
    print("  the desk under the same load:")
    desk._print_results(results, seconds)
    print(f"  load average:   {desk._load()} at the end")


@contextmanager
def _sqlite(source: Path) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="barnskydd-numbers-") as tmp:
        copy = Path(tmp) / "numbers.db"
        desk._sqlite_copy(source, copy)
        url = f"sqlite:///{copy}"
        migrate.upgrade(url)
        yield url


def _reset_integer_sequences(conn: Connection) -> None:
    """bench_web's sequence reset, for integer ids only (voice_response's id is text)."""
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
            name = desk._quote(table.name)
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"
                )
            )


@contextmanager
def _postgresql(source: Path) -> Iterator[str]:
    with _sqlite(source) as sqlite_url, postgres_server(durable=True) as admin_url:
        admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "numbers"'))
        admin.dispose()
        url = admin_url.rsplit("/", 1)[0] + "/numbers"
        migrate.upgrade(url)
        started = time.perf_counter()
        desk._reset_sequences = _reset_integer_sequences
        desk._copy_to_postgresql(Path(sqlite_url.removeprefix("sqlite:///")), url)
        engine = make_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
        seconds = time.perf_counter() - started
        print(f"  postgresql:     copied from the SQLite file in {seconds:.0f} s")
        yield url


def main() -> None:
    """Parse the options, copy the data, serve, load and print."""
    parser = argparse.ArgumentParser(description="The municipality page under load (figures).")
    parser.add_argument("--database", type=Path, help="the desk bench's SQLite file to copy")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--users", type=int, default=50, help="virtual case workers (50)")
    parser.add_argument("--readers", type=int, default=4, help="readers of the page (4)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, s (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="app processes (2)")
    parser.add_argument(
        "--delay", type=float, default=20, help="seconds before the readers start (20)"
    )
    parser.add_argument("--years", type=int, default=1, help="bench_web's replicated years (1)")
    args = parser.parse_args()
    source = args.database or desk.build_sqlite(today(), args.years)
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {desk._ram_gib()}")  # fmt: skip
    print(f"source:   {source} ({source.stat().st_size / 2**20:.0f} MiB), copied before use; "
          f"today {today()}, page period {municipal.default_period(today()).label()}")  # fmt: skip
    if args.backend in ("sqlite", "both"):
        with _sqlite(source) as url:
            run("sqlite", url, args)
    print(f"load:     {desk._load()}; the machine is shared, the figures are pessimistic")
    if args.backend in ("postgresql", "both"):
        if args.database is None:  # bench_web's cached dump of the same years
            with desk.replicated("postgresql", args.years) as url:
                run("postgresql", url, args)
        else:
            with _postgresql(source) as url:
                run("postgresql", url, args)


if __name__ == "__main__":
    main()
