"""Measure the national lookup with millions of pseudonyms in the index, over HTTP on loopback.

The index is bulk-loaded directly (SQL inserts of random 64-byte pseudonyms, not through the
API, so loading 5 million takes about a minute instead of hours); then the pseudonymiser and
the index run as their own uvicorn processes (`barnskydd pseudonymiser serve`, `barnskydd
lookup serve`) and this process plays a municipality. Prints p50/p99 of a whole lookup (keys,
blind, evaluate, finalize, query), of the index query alone over HTTP and in-process, lookups
per second, and OPRF evaluations per second on one core. Prints figures only. Run:

    .venv/bin/python bench/bench_lookup.py [--entries 5000000] [--lookups 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.lookup import index, oprf, service
from barnskydd.lookup.auth import Signer
from barnskydd.lookup.client import NationalClient
from barnskydd.lookup.index_models import IndexBase
from barnskydd.lookup.rules import oprf_input
from barnskydd.lookup.schemas import EntryIn, EntryKey, LookupRequest, UpsertRequest

A, B = "1480", "0180"
STATUSES = ("screened_out", "investigation_ongoing", "interventions_ongoing", "closed")


def machine() -> str:
    """Describe the machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def bulk_load(path: Path, entries: int) -> float:
    """Create the index schema and insert random entries directly; return seconds taken."""
    engine = make_engine(f"sqlite:///{path}")
    IndexBase.metadata.create_all(engine)
    engine.dispose()
    started = time.perf_counter()
    expires = (dt.date.today() + dt.timedelta(days=1500)).isoformat()
    now = utcnow().isoformat(sep=" ")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    sql = (
        "INSERT INTO lookup_entry (pseudonym, key_version, municipality_code, latest_report_month,"
        " status_class, contact_unit, expires_on, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)"
    )
    batch = 100_000
    for start in range(0, entries, batch):
        rows = [
            (
                secrets.token_hex(64),
                f"{(i % 290) * 7 % 2600 + 100:04d}",
                f"20{20 + i % 6}-{i % 12 + 1:02d}",
                STATUSES[i % 4],
                "Barn och unga, socialtjänsten",
                expires,
                now,
            )
            for i in range(start, min(entries, start + batch))
        ]
        conn.executemany(sql, rows)
        conn.commit()
    conn.close()
    return time.perf_counter() - started


def free_port() -> int:
    """Return a free port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start a service process and wait for its port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "barnskydd", *args, "--port", str(port)],
        env={**os.environ, "BARNSKYDD_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{args[0]} did not start")


def percentiles(samples: list[float]) -> str:
    """Format p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms"


def oprf_rate(seconds: float = 3.0) -> float:
    """Return BlindEvaluate calls per second on one core (validation included)."""
    key = oprf.derive_key_pair(oprf.generate_seed(), b"bench")
    elements = [oprf.blind(secrets.token_bytes(12)).element for _ in range(200)]
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for element in elements:
            oprf.blind_evaluate(key.secret, element)
        done += len(elements)
    return done / (time.perf_counter() - started)


def main() -> None:
    """Load, start, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--reuse", type=Path, help="an index.db loaded by an earlier run")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-lookup-"))
    index_db, keys, registry = args.reuse or tmp / "index.db", tmp / "keys.json", tmp / "reg.json"
    print(f"machine: {machine()}")
    if args.reuse is None:
        loaded = bulk_load(index_db, args.entries)
        print(f"bulk load: {args.entries:,} entries in {loaded:.0f} s")
    with sqlite3.connect(index_db) as conn:
        entries = conn.execute("SELECT count(*) FROM lookup_entry").fetchone()[0]
    size = index_db.stat().st_size / 2**20
    print(f"index: {entries:,} entries, {size:.0f} MiB (SQLite file)")
    runner = CliRunner()
    runner.invoke(app, ["pseudonymiser", "keygen", "--keys", str(keys)])
    for code in (A, B):
        key_out = str(tmp / f"{code}.jwk")
        args_ = ["--municipality", code, "--key-out", key_out, "--registry", str(registry)]
        runner.invoke(app, ["lookup", "credentials", *args_])
    limits = ["--rate", "1000000", "--burst", "1000000", "--daily", "100000000"]
    common = ["--municipalities", str(registry), *limits]
    ps, ps_url = start(["pseudonymiser", "serve", "--keys", str(keys), *common])
    ix, ix_url = start(["lookup", "serve", "--database-url", f"sqlite:///{index_db}", *common])
    try:
        clients = {
            code: NationalClient.connect(
                pseudonymiser_url=ps_url,
                index_url=ix_url,
                signer=Signer.from_file(code, tmp / f"{code}.jwk"),
            )
            for code in (A, B)
        }
        children = [f"2015{i % 12 + 1:02d}{i % 28 + 1:02d}{i % 10000:04d}" for i in range(200)]
        published = clients[A].pseudonyms([oprf_input(c) for c in children[:100]], 1)
        expires = dt.date.today() + dt.timedelta(days=1000)
        clients[A].upsert(
            UpsertRequest(
                entries=[
                    EntryIn(
                        key_version=1,
                        pseudonym=p,
                        latest_report_month="2026-10",
                        status_class="investigation_ongoing",
                        contact_unit="Barn och unga Centrum",
                        expires_on=expires,
                    )
                    for p in published
                ]
            )
        )
        subject = [service.Subject(c, "Förhandsbedömning", "bench", "Söder") for c in children]
        whole = []
        for i in range(args.lookups):
            started = time.perf_counter()
            service.ask(clients[B], subject[i % len(subject)])
            whole.append(time.perf_counter() - started)
        print(
            f"whole lookup over HTTP (keys, blind, evaluate, finalize, query), "
            f"{args.lookups} sequential, half matching: {percentiles(whole)}, "
            f"{len(whole) / sum(whole):.0f} lookups/s"
        )
        pseudonyms = published + [secrets.token_hex(64) for _ in range(100)]
        query = []
        for i in range(args.lookups):
            request = LookupRequest(
                pseudonyms=[EntryKey(key_version=1, pseudonym=pseudonyms[i % 200])],
                purpose="bench",
                asked_by="bench",
                contact="bench",
            )
            started = time.perf_counter()
            clients[B].lookup(request)
            query.append(time.perf_counter() - started)
        print(f"index query alone over HTTP: {percentiles(query)}")

        def one(i: int) -> None:
            service.ask(clients[B], subject[i % len(subject)])

        with ThreadPoolExecutor(max_workers=8) as pool:
            started = time.perf_counter()
            list(pool.map(one, range(args.lookups)))
            elapsed = time.perf_counter() - started
        print(
            f"throughput, 8 concurrent clients, one process per service: "
            f"{args.lookups / elapsed:.0f} lookups/s"
        )
        for client in clients.values():
            client.close()
    finally:
        ps.terminate()
        ix.terminate()
        ps.wait()
        ix.wait()
    engine = make_engine(f"sqlite:///{index_db}")
    inproc = []
    with transaction(session_factory(engine)) as session:
        for i in range(args.lookups):
            request = LookupRequest(
                pseudonyms=[EntryKey(key_version=1, pseudonym=pseudonyms[i % 200])],
                purpose="bench",
                asked_by="bench",
                contact="bench",
            )
            started = time.perf_counter()
            index.lookup(session, municipality=B, request=request, now=utcnow())
            inproc.append(time.perf_counter() - started)
    engine.dispose()
    print(f"index query alone in-process (select + log + notify, SQLite): {percentiles(inproc)}")
    print(f"OPRF BlindEvaluate on one core: {oprf_rate():.0f} evaluations/s")


if __name__ == "__main__":
    main()
