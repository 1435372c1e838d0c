"""The desk under load: 50 simulated case workers against a Göteborg-size municipality.

    .venv/bin/python bench/bench_web.py [--backend sqlite|postgresql|both] [--years N]
        [--users 50] [--duration 60] [--think 1.0]

The data: ONE year of municipality 1480 (Göteborg, about 20,000 reports) is generated through
the service layer (barnskydd.synth.generator.generate, several minutes), and then REPLICATED
to N years with set-based SQL (INSERT ... SELECT per table): copy k (1..N-1) of every case,
report, assessment, investigation, BBIC note, intervention, follow-up and feedback, and of
the lifecycle records the other benches read (guardians, journal entries, document metadata
and content, communications, plan items, decisions and their notices, placement reviews, the
child's voice records and answers, early help, and the anonymous `voice_response` rows, whose
text id gets a copy suffix and whose month is shifted) gets its dates shifted back by k whole
years, new ids (id + k * max id), a new case number (BU-{year-k}-{new id}) and foreign keys
pointing at the copies. Deviations are not copied (bench_deviations scans them afresh).
Cases that still wait on a step with a legal deadline at the end of the generated year are
not copied (years back they would all be overdue, ten times a real inbox), so N years hold a
bit under N x the reports.
Children are copied too, with new identity numbers (birth date shifted by k years, a free
birth number, a correct check digit), computed in Python and inserted in bulk since SQL
cannot search for a free birth number. Staff and units are shared; audit rows are not copied.
The replicated years are thus the generated year again, not independently drawn years, and
keep its rule set id.
The built SQLite file and the PostgreSQL dump are cached in bench/out/ (gitignored), keyed by
municipality, seed, years and the day they were built for (deadlines count from today), so a
rerun the same day starts at once. `replicated(backend, years)` gives the other benches
(retention, voice, deviations, workload, numbers) a writable copy of the same data.

The app runs as `barnskydd serve --workers 2` does it (uvicorn workers under gunicorn, each
with its own SO_REUSEPORT socket) on a free loopback port. The load is an
asyncio + httpx generator in this process (not locust: locust runs on gevent, whose
monkey-patching of sockets and threads fights with pytest and with psycopg; httpx is already a
dependency; one event loop is also the lightest load generator on a small machine). Each
virtual user logs in as one of the first unit's case workers (password set in the bench
database only) and, with a random think time around --think seconds, opens its inbox, a case
page, searches (POST with a purpose; by case number, name or identity number) or registers a
report (with the session's CSRF token). Every request goes to 127.0.0.1 only. The loop stops by
itself after --duration seconds. Figures only: the issue's goal, p95 under 100 ms, is printed
as met or not, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fpdf import FPDF
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    TypeDecorator,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from tests.postgres_server import _bindir, postgres_server

from barnskydd.cases import service as cases
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case
from barnskydd.cases.service import OPEN_DEADLINE_STATUSES
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import Base, make_engine, session_factory, transaction
from barnskydd.deviations import scan as deviation_scan
from barnskydd.documents import service as documents
from barnskydd.documents.schemas import DocumentCreate
from barnskydd.models import Child, Report, StaffMember
from barnskydd.people.rules import (
    COORDINATION_DAY_OFFSET,
    RESERVE_MARKER,
    luhn_check_digit,
)
from barnskydd.staff import passwords
from barnskydd.staff import service as staff
from barnskydd.synth.generator import generate
from barnskydd.synth.organisation import DEMO_CASE_WORKER

OUT = Path(__file__).resolve().parent / "out"
MUNICIPALITY = "1480"  # Göteborg
SEED = 1
GOAL_MS = 100.0
REPLICATION = 3  # in the cache key: raise it when replicate() changes
PASSWORD = "bench-losenord"  # noqa: S105  (set in the throwaway bench database only)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

# The tables copied per replicated year, in foreign-key order; the rest are shared or skipped.
REPLICATED = (
    "child",
    "case",
    "report",
    "report_concern",
    "protection_assessment",
    "preliminary_assessment",
    "preliminary_extension",
    "investigation",
    "investigation_extension",
    "bbic_note",
    "intervention",
    "follow_up",
    "reporter_feedback",
    "child_access",
    # The lifecycle records (issues 11-15): the record, decisions, reviews, the child's voice.
    "guardian",
    "journal_entry",
    "document",
    "communication",
    "plan_item",
    "decision",
    "decision_notice",
    "placement_review",
    "child_voice_record",
    "child_voice_answer",
    "early_help",
    "voice_response",
)
# What the users do, with weights: a case worker mostly reads.
MIX = (("inkorg", 35), ("ärendesida", 35), ("sök", 20), ("registrera anmälan", 10))
# With --record-case: one case of the unit also holds a long record (issue 11's bench).
RECORD_ENTRIES, RECORD_DOCUMENTS = 200, 20
RECORD_MIX = (("ärende med 200 anteckningar", 10), ("journalen, en typ", 5))


# -- building the data ------------------------------------------------------------------------


def _base_path(end: dt.date) -> Path:
    return OUT / f"web-base-{MUNICIPALITY}-seed{SEED}-scale1-{end}.sqlite"


def _built_path(end: dt.date, years: int) -> Path:
    return OUT / f"web-{MUNICIPALITY}-seed{SEED}-y{years}-{end}-v{REPLICATION}.sqlite"


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (its WAL included) with the backup API."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def build_base(end: dt.date) -> Path:
    """Generate one year through the service layer, once per day (cached)."""
    path = _base_path(end)
    if path.exists():
        print(f"  base year:      cached {path.relative_to(OUT.parent.parent)}")
        return path
    print("  base year:      generating one year through the service layer (several minutes)")
    partial = path.with_suffix(".partial")
    for old in OUT.glob(partial.name + "*"):
        old.unlink()
    url = f"sqlite:///{partial}"
    migrate.upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        report = generate(
            session,
            municipality_code=MUNICIPALITY,
            start=end - dt.timedelta(days=365),
            end=end,
            seed=SEED,
        )
    engine.dispose()
    _sqlite_copy(partial, path)
    for old in OUT.glob(partial.name + "*"):
        old.unlink()
    print(f"                  {report.reports} reports in {time.perf_counter() - started:.0f} s")
    return path


def _shift_date(dialect: str, column: str, years: int) -> str:
    if dialect == "sqlite":
        return f"date({column}, '-{years} years')"
    return f"CAST({column} - INTERVAL '{years} years' AS DATE)"


def _shift_datetime(dialect: str, column: str, years: int) -> str:
    if dialect == "sqlite":  # keep SQLAlchemy's text form, fraction included
        return f"datetime({column}, '-{years} years') || substr({column}, 20)"
    return f"{column} - INTERVAL '{years} years'"


def _text_id(dialect: str, years: int) -> str:
    """A copy's random text id: 30 hex digits of the base row's, a non-hex 'y', the copy (1-9)."""
    if dialect == "sqlite":
        return f"substr(id, 1, 30) || 'y{years}'"
    return f"substr(id, 1, 30) || 'y{years}'"


def _shift_month(dialect: str, years: int) -> str:
    """Shift a 'YYYY-MM' text back by whole years."""
    if dialect == "sqlite":
        return f"(CAST(substr(month, 1, 4) AS INTEGER) - {years}) || substr(month, 5)"
    return f"(CAST(substr(month, 1, 4) AS INTEGER) - {years})::text || substr(month, 5)"


def _case_number(dialect: str, years: int, offset: int) -> str:
    year = f"CAST(substr(case_number, 4, 4) AS INTEGER) - {years}"
    if dialect == "sqlite":
        return f"'BU-' || ({year}) || '-' || printf('%06d', id + {offset})"
    return f"'BU-' || ({year})::text || '-' || lpad((id + {offset})::text, 6, '0')"


def _storage(column: Column[Any]) -> TypeEngine[Any]:
    """Return the column's stored type (the impl of a TypeDecorator such as UTCDateTime)."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _quote(name: str) -> str:
    return f'"{name}"'


def _new_identity(
    number: str, kind: str, born: dt.date, used: set[str], reserve_next: dict[dt.date, int]
) -> str:
    """Return a free identity number of the same kind for a child born on `born`."""
    if kind == "reserve":
        serial = reserve_next.get(born, 1)
        while True:
            candidate = f"{born:%Y%m%d}{RESERVE_MARKER}{serial:03d}"
            serial += 1
            if candidate not in used:
                reserve_next[born] = serial
                return candidate
    day = born.day + (COORDINATION_DAY_OFFSET if kind == "samordningsnummer" else 0)
    birth_number = int(number[8:11])
    for step in range(500):
        bn = (birth_number + 2 * step) % 1000
        if bn == 0:
            continue
        nine = f"{born:%y%m}{day:02d}{bn:03d}"
        candidate = f"{born.year:04d}{nine[2:]}{luhn_check_digit(nine)}"
        if candidate not in used:
            return candidate
    raise RuntimeError("no free birth number")  # 500 children born the same day: not here


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def replicate(engine: Engine, years: int) -> None:
    """Copy the generated year to `years` years: set-based SQL, children's numbers in Python."""
    dialect = engine.dialect.name
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with engine.begin() as conn:
        present = {n: {c["name"] for c in inspect(conn).get_columns(n)} for n in REPLICATED}
        top = {
            name: int(conn.scalar(text(f"SELECT max(id) FROM {_quote(name)}")) or 0)  # noqa: S608
            for name in REPLICATED
            if "id" in tables[name].c and name != "voice_response"  # its id is random text
        }
        # The base year's cases still waiting on a step with a legal deadline are not copied:
        # years back they would all be years overdue, ten times a real inbox's open steps.
        conn.execute(text("CREATE TEMPORARY TABLE bench_kept (id INTEGER PRIMARY KEY)"))
        conn.execute(
            text(
                f'INSERT INTO bench_kept SELECT id FROM "case" WHERE id <= {top["case"]} '  # noqa: S608
                f"AND status NOT IN ({', '.join(repr(str(s)) for s in OPEN_DEADLINE_STATUSES)})"
            )
        )
        conn.execute(text("CREATE TEMPORARY TABLE bench_voice (id VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO bench_voice SELECT id FROM voice_response"))
        child = tables["child"]
        child_columns = [c for c in child.columns if c.name in present["child"]]
        base_children = conn.execute(select(*child_columns)).mappings().all()
        used = {row["identity_number"] for row in base_children}
        reserve_next: dict[dt.date, int] = {}
        for k in range(1, years):
            rows = []
            for row in base_children:
                born = _years_back(row["birth_date"], k)
                number = _new_identity(
                    row["identity_number"], row["identity_kind"], born, used, reserve_next
                )
                used.add(number)
                rows.append(
                    {
                        **row,
                        "id": row["id"] + k * top["child"],
                        "identity_number": number,
                        "birth_date": born,
                        "created_at": row["created_at"] - dt.timedelta(days=365 * k),
                    }
                )
            for start in range(0, len(rows), 5000):
                conn.execute(insert(child), rows[start : start + 5000])
            for name in REPLICATED[1:]:
                table = tables[name]
                columns, values, self_links = [], [], []
                for column in table.columns:
                    if column.name not in present[name]:
                        continue  # a model column whose migration is not written yet
                    expr = _quote(column.name)
                    targets = {fk.column.table.name for fk in column.foreign_keys}
                    if name == "voice_response" and column.name == "id":
                        expr = _text_id(dialect, k)  # random hex, no sequence
                    elif column.name == "id":
                        expr = f"id + {k * top[name]}"
                    elif targets == {name}:  # a case linked to another: set below
                        expr = "NULL"
                        self_links.append(column.name)
                    elif targets & set(top):
                        (target,) = targets
                        expr = f"{expr} + {k * top[target]}"
                    elif name == "case" and column.name == "case_number":
                        expr = _case_number(dialect, k, k * top["case"])
                    elif name == "child_voice_record" and column.name == "code_digest":
                        expr = "NULL"  # a one-time link's code is unique; old ones are spent
                    elif name == "voice_response" and column.name == "month":
                        expr = _shift_month(dialect, k)
                    elif isinstance(_storage(column), DateTime):
                        expr = _shift_datetime(dialect, expr, k)
                    elif isinstance(_storage(column), Date):
                        expr = _shift_date(dialect, expr, k)
                    columns.append(_quote(column.name))
                    values.append(expr)
                where = _copied(name, top)
                conn.execute(
                    text(
                        f"INSERT INTO {_quote(name)} ({', '.join(columns)}) "  # noqa: S608  (our names)
                        f"SELECT {', '.join(values)} FROM {_quote(name)}{where}"
                    )
                )
                # Inserted as NULL and linked afterwards: SQLite, with a pending violation
                # in the statement (a case linked to a later one), scans the unindexed child
                # column for every row inserted, which took minutes per copy.
                offset = k * top.get(name, 0)
                # A case may link one that was not copied; a journal entry's correction is in
                # the same case, so always copied.
                kept_link = "AND b.{link} IN (SELECT id FROM bench_kept)" if name == "case" else ""
                for link in self_links:
                    conn.execute(
                        text(
                            f"UPDATE {_quote(name)} SET {link} = (SELECT b.{link} + {offset} "  # noqa: S608
                            f"FROM {_quote(name)} b WHERE b.id = {_quote(name)}.id - {offset} "
                            f"{kept_link.format(link=link)}) "
                            f"WHERE id > {offset} AND id <= {offset + top[name]}"
                        )
                    )
        if dialect == "postgresql":
            _reset_sequences(conn)


def _copied(name: str, top: dict[str, int]) -> str:
    """Return the WHERE clause choosing the base year's rows of a table that are copied."""
    kept = "(SELECT id FROM bench_kept)"
    inside = "SELECT id FROM {} WHERE case_id IN " + kept  # noqa: S608  (our own names)
    if name == "case":
        return f" WHERE id IN {kept}"
    if name in ("child_access", "guardian"):
        return f" WHERE child_id <= {top['child']}"
    if name == "voice_response":  # anonymous: no case to follow, the base year's rows
        return " WHERE id IN (SELECT id FROM bench_voice)"
    if name == "decision_notice":
        return f" WHERE decision_id IN ({inside.format('decision')})"
    if name in ("placement_review",):
        return f" WHERE intervention_id IN ({inside.format('intervention')})"
    if name == "child_voice_answer":
        return f" WHERE record_id IN ({inside.format('child_voice_record')})"
    if name == "report_concern":
        return f" WHERE report_id IN ({inside.format('report')})"
    if name in ("investigation_extension", "bbic_note"):
        return f" WHERE investigation_id IN ({inside.format('investigation')})"
    return f" WHERE case_id IN {kept}"


def _reset_sequences(conn: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        # A serial id only: some tables (voice_response) key on a random text id.
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{_quote(table.name)}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {_quote(table.name)}), 0) + 1, false)"
                )
            )


def _set_passwords(engine: Engine) -> list[str]:
    """Give the first unit's case workers the bench password; return their usernames."""
    with transaction(session_factory(engine)) as session:
        unit_id = session.scalar(
            select(StaffMember.unit_id).where(StaffMember.username == DEMO_CASE_WORKER)
        )
        members = list(
            session.scalars(
                select(StaffMember)
                .where(StaffMember.unit_id == unit_id, StaffMember.role == Role.CASE_WORKER)
                .order_by(StaffMember.id)
            )
        )
        for member in members:
            passwords.set_password(session, member=member, password=PASSWORD)
        return [m.username for m in members]


def build_sqlite(end: dt.date, years: int) -> Path:
    """Return the N-year SQLite file, built from the base year unless cached."""
    path = _built_path(end, years)
    if path.exists():
        print(f"  {years} years:       cached {path.relative_to(OUT.parent.parent)}")
        migrate.upgrade(f"sqlite:///{path}")
        return path
    base = build_base(end)
    partial = path.with_suffix(".partial")
    _sqlite_copy(base, partial)
    url = f"sqlite:///{partial}"
    migrate.upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    replicate(engine, years)
    _set_passwords(engine)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    _sqlite_copy(partial, path)
    for old in OUT.glob(partial.name + "*"):
        old.unlink()
    print(f"  {years} years:       replicated with INSERT ... SELECT in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return path


def _copy_to_postgresql(source: Path, url: str) -> None:
    """Copy every table of the SQLite base year into an empty, migrated PostgreSQL database."""
    src = make_engine(f"sqlite:///{source}")
    dst = make_engine(url)
    with src.connect() as reader, dst.begin() as writer:
        existing = set(inspect(reader).get_table_names())
        # Table by table in key order, but a case may link a later case: no trigger checks
        # while copying rows that were consistent in the source (the bench's own superuser).
        writer.execute(text("SET LOCAL session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            present = {c["name"] for c in inspect(reader).get_columns(table.name)}
            columns = [c for c in table.columns if c.name in present]
            rows = [dict(r) for r in reader.execute(select(*columns)).mappings()]
            for start in range(0, len(rows), 5000):
                writer.execute(insert(table), rows[start : start + 5000])
        _reset_sequences(writer)
    src.dispose()
    dst.dispose()


def _pg_tool(name: str, *args: str) -> None:
    subprocess.run([str(_bindir() / name), *args], check=True, capture_output=True)


@contextmanager
def postgresql_database(end: dt.date, years: int) -> Iterator[str]:
    """Start a throwaway server and restore (or build and dump) the N-year database."""
    dump = OUT / f"web-{MUNICIPALITY}-seed{SEED}-y{years}-{end}-v{REPLICATION}.pgdump"
    with postgres_server(durable=True) as admin_url:  # fsync and synchronous commit on
        admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "bench"'))
        admin.dispose()
        url = admin_url.rsplit("/", 1)[0] + "/bench"
        where = httpx.URL(url.replace("postgresql+psycopg", "http"))
        connect = ["-h", "127.0.0.1", "-p", str(where.port), "-U", "postgres", "-d", "bench"]
        if dump.exists():
            print(f"  {years} years:       cached {dump.relative_to(OUT.parent.parent)}")
            _pg_tool("pg_restore", *connect, "--no-owner", str(dump))
            migrate.upgrade(url)
            # A dump holds no planner statistics: without them PostgreSQL guessed a unit's
            # cases at 1,000 rather than 42,000 and chose bad plans.
            _pg_tool("vacuumdb", *connect, "--analyze-only", "--quiet")
        else:
            base = build_base(end)
            migrate.upgrade(url)
            started = time.perf_counter()
            _copy_to_postgresql(base, url)
            engine = make_engine(url)
            replicate(engine, years)
            _set_passwords(engine)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            engine.dispose()
            print(f"  {years} years:       copied and replicated with INSERT ... SELECT in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            _pg_tool("pg_dump", *connect, "-Fc", "-f", str(dump))
        yield url


# -- the replicated years for the other benches (issues 12-15) -------------------------------


@contextmanager
def replicated(backend: str, years: int) -> Iterator[str]:
    """Yield the URL of a writable copy of the N-year database; the cache is never written.

    SQLite: the cached file copied with the backup API into a temporary directory and
    migrated. PostgreSQL: a throwaway server restored from the cached dump (built first when
    missing), removed afterwards.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        with postgresql_database(today(), years) as url:
            yield url
        return
    source = build_sqlite(today(), years)
    with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
        copy = Path(tmp) / "bench.db"
        _sqlite_copy(source, copy)
        url = f"sqlite:///{copy}"
        migrate.upgrade(url)
        yield url


def print_header(years: int) -> None:
    """Print the machine, the load average and what the data is."""
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {_ram_gib()}")  # fmt: skip
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"load:     {_load()} at the start; the machine is shared by others, so the "
          "figures are pessimistic")  # fmt: skip
    print(f"data:     municipality {MUNICIPALITY}, seed {SEED}: ONE year up to {today()} "
          f"generated through the service layer, replicated to {years} years "
          f"(bench_web.replicate, version {REPLICATION})")  # fmt: skip


def print_rows(url: str, names: tuple[str, ...]) -> None:
    """Print the rows of the tables that matter to a bench, and the database's size."""
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = [
            f"{name} {int(conn.scalar(text(f'SELECT count(*) FROM {_quote(name)}')) or 0):,}"  # noqa: S608
            for name in names
        ]
        if engine.dialect.name == "postgresql":
            size = int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)
        else:
            path = Path(url.removeprefix("sqlite:///"))
            size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine.dispose()
    print(f"  rows:           {', '.join(counts)}; database {size / 2**20:,.0f} MiB")


# -- what the users need to know --------------------------------------------------------------


@dataclass
class Workload:
    """Case numbers, names and identity numbers of the unit (kept in memory, never printed)."""

    usernames: list[str]
    unit_id: int
    case_numbers: list[str]
    names: list[str]
    identities: list[tuple[str, str, str]]  # identity number, first name, last name
    record_case: str | None = None  # the case with the long record (--record-case)


@dataclass
class DataSize:
    reports: int
    cases: int
    children: int
    unit_cases: int
    bytes: int


def workload(url: str) -> tuple[Workload, DataSize]:
    """Read what the users will ask for, and count the data."""
    engine = make_engine(url)
    with Session(engine) as session:
        unit_id = session.scalar(
            select(StaffMember.unit_id).where(StaffMember.username == DEMO_CASE_WORKER)
        )
        assert unit_id is not None
        usernames = list(
            session.scalars(
                select(StaffMember.username)
                .where(StaffMember.unit_id == unit_id, StaffMember.role == Role.CASE_WORKER)
                .order_by(StaffMember.id)
            )
        )
        rows = session.execute(
            select(
                Case.case_number,
                Child.identity_number,
                Child.first_name,
                Child.last_name,
                Child.birth_date,
            )
            .join(Child, Child.id == Case.child_id)
            .where(Case.unit_id == unit_id, Child.protected_identity == "none")
        ).all()
        size = DataSize(
            reports=session.scalar(select(func.count(Report.id))) or 0,
            cases=session.scalar(select(func.count(Case.id))) or 0,
            children=session.scalar(select(func.count(Child.id))) or 0,
            unit_cases=len(rows),
            bytes=0,
        )
        if engine.dialect.name == "postgresql":
            size.bytes = int(session.scalar(text("SELECT pg_database_size(current_database())")))
        else:
            path = Path(url.removeprefix("sqlite:///"))
            size.bytes = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine.dispose()
    rng = random.Random(SEED)
    sample = rng.sample(rows, min(len(rows), 5000))
    return (
        Workload(
            usernames=usernames,
            unit_id=unit_id,
            case_numbers=[r.case_number for r in sample],
            names=[f"{r.first_name} {r.last_name}" for r in sample],
            # Reports are about children: those still under 17 (older copies have grown up).
            identities=[
                (r.identity_number, r.first_name, r.last_name)
                for r in sample
                if r.birth_date > _years_back(today(), 17)
            ],
        ),
        size,
    )


# -- serving and the load ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(url: str, workers: int) -> Iterator[str]:
    """Run the app as users do (barnskydd serve) with `workers` processes on a loopback port."""
    port = _free_port()
    env = {
        **os.environ,
        "BARNSKYDD_DATABASE_URL": url,
        "BARNSKYDD_MODE": "demo",
        "BARNSKYDD_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "barnskydd",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded shared machine: migrations, scans
        while True:
            try:
                if httpx.get(f"{base}/logga-in", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the app did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[int | str, int] = field(default_factory=lambda: defaultdict(int))


def _token(html: str) -> str:
    match = TOKEN.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def _report_form(work: Workload, rng: random.Random, token: str) -> dict[str, str | list[str]]:
    identity, first, last = rng.choice(work.identities)
    return {
        "csrf_token": token,
        "child_identity": identity,
        "child_first_name": first,
        "child_last_name": last,
        "protected_identity": "none",
        "received_at": dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M"),
        "channel": rng.choice(["phone", "email", "letter"]),
        "reporter_category": rng.choice(["school", "police", "health_care", "preschool"]),
        "mandatory_reporter": "ja",
        "reporter_organisation": "Bänkskolan",
        "concerns": rng.sample(["neglect", "school_absence", "physical_violence"], 2),
        "free_text": "Syntetisk anmälan från lasttestet.",
        "unit_id": str(work.unit_id),
    }


async def _login(client: httpx.AsyncClient, username: str, turns: asyncio.Semaphore) -> str | None:
    """Log in; return the session's CSRF token, or None when the login failed."""
    async with turns:
        try:
            page = await client.get("/logga-in")
            response = await client.post(
                "/logga-in",
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrf_token": _token(page.text),
                    "next": "/",
                },
                follow_redirects=True,
            )
        except httpx.TimeoutException:
            return None
    return _token(response.text) if response.status_code == 200 else None


async def _user(
    number: int,
    client: httpx.AsyncClient,
    token: str,
    work: Workload,
    stop: float,
    think: float,
    results: Results,
) -> None:
    rng = random.Random(SEED * 1000 + number)
    await asyncio.sleep(rng.uniform(0, max(think, 0.1)))  # users do not all start at once
    mix = MIX + RECORD_MIX if work.record_case else MIX
    names = [name for name, _ in mix]
    weights = [weight for _, weight in mix]
    while time.monotonic() < stop:
        action = rng.choices(names, weights)[0]
        started = time.perf_counter()
        try:
            if action == "inkorg":
                response = await client.get("/")
                ok = response.status_code == 200
            elif action == "ärendesida":
                response = await client.get(f"/arenden/{rng.choice(work.case_numbers)}")
                ok = response.status_code == 200
            elif action == "ärende med 200 anteckningar":
                response = await client.get(f"/arenden/{work.record_case}")
                ok = response.status_code == 200
            elif action == "journalen, en typ":
                response = await client.get(f"/arenden/{work.record_case}?typ=child_talk")
                ok = response.status_code == 200
            elif action == "sök":
                kind = rng.random()
                if kind < 0.4:
                    query = rng.choice(work.case_numbers)
                elif kind < 0.7:
                    query = rng.choice(work.names)
                else:
                    query = rng.choice(work.identities)[0]
                response = await client.post(
                    "/sok", data={"csrf_token": token, "query": query, "purpose": "new_report"}
                )
                ok = response.status_code == 200
            else:
                response = await client.post("/anmalan/ny", data=_report_form(work, rng, token))
                ok = response.status_code == 303
        except httpx.TransportError as error:  # counted, never the end of the run
            results.latencies[action].append(time.perf_counter() - started)
            results.errors[action] += 1
            results.statuses[type(error).__name__] += 1
            await asyncio.sleep(think)
            continue
        results.latencies[action].append(time.perf_counter() - started)
        if not ok:
            results.errors[action] += 1
            results.statuses[response.status_code] += 1
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def load(
    base: str, work: Workload, users: int, duration: float, think: float, logins: int
) -> tuple[Results, float]:
    """Log `users` virtual users in, then run them for `duration` seconds (logins not timed).

    At most `logins` log in at a time: a morning's logins are spread out, and each is one
    argon2id check (RFC 9106 low-memory profile, 64 MiB) that a burst of 50 at once on two
    shared cores would make wait for tens of seconds. The login phase's time is printed.
    """
    results = Results()
    # Idle connections are dropped after 2 s, before uvicorn's 5 s keep-alive ends them: a
    # request on a connection the server is closing fails with a ReadError (a client artefact).
    limits = httpx.Limits(max_connections=2, keepalive_expiry=2.0)
    clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for _ in range(users)]
    turns = asyncio.Semaphore(logins)
    try:
        began = time.perf_counter()
        tokens = await asyncio.gather(
            *(
                _login(c, work.usernames[n % len(work.usernames)], turns)
                for n, c in enumerate(clients)
            )
        )
        results.errors["inloggning"] = sum(token is None for token in tokens)
        print(f"  logins:         {users} in {time.perf_counter() - began:.1f} s, at most "
              f"{logins} at a time; {results.errors['inloggning']} failed")  # fmt: skip
        started = time.perf_counter()
        stop = time.monotonic() + duration
        await asyncio.gather(
            *(
                _user(n, client, token, work, stop, think, results)
                for n, (client, token) in enumerate(zip(clients, tokens, strict=True))
                if token is not None
            )
        )
        return results, time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()


# -- printing ---------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _print_results(results: Results, seconds: float) -> None:
    print(f"  {'endpoint':<20}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}")  # fmt: skip
    every: list[float] = []
    for name, _ in MIX + RECORD_MIX:
        values = results.latencies.get(name, [])
        if not values and (name, _) in RECORD_MIX:
            continue
        every += values
        if not values:
            print(f"  {name:<20}{0:>9}")
            continue
        print(f"  {name:<20}{len(values):>9}{len(values) / seconds:>8.1f}"
              f"{_percentile(values, 0.5):>9.1f}{_percentile(values, 0.95):>9.1f}"
              f"{_percentile(values, 0.99):>9.1f}{max(values) * 1000:>9.1f}"
              f"{results.errors.get(name, 0):>8}")  # fmt: skip
    if every:
        errors = sum(results.errors.values())
        print(f"  {'total':<20}{len(every):>9}{len(every) / seconds:>8.1f}"
              f"{_percentile(every, 0.5):>9.1f}{_percentile(every, 0.95):>9.1f}"
              f"{_percentile(every, 0.99):>9.1f}{max(every) * 1000:>9.1f}{errors:>8}")  # fmt: skip
        worst = max((_percentile(v, 0.95), n) for n, v in results.latencies.items() if v)
        met = all(_percentile(v, 0.95) < GOAL_MS for v in results.latencies.values() if v)
        print(f"  goal p95 < {GOAL_MS:.0f} ms on every endpoint: {'met' if met else 'NOT met'} "
              f"(worst {worst[1]}: {worst[0]:.1f} ms; all requests together "
              f"{_percentile(every, 0.95):.1f} ms)")  # fmt: skip
    if results.statuses:
        codes = ", ".join(f"{n} × {code}" for code, n in sorted(results.statuses.items(), key=str))
        print(f"  errors by status: {codes}")
    if results.errors.get("inloggning"):
        print(f"  failed logins: {results.errors['inloggning']}")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def _ram_gib() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "?"
    return f"{pages / 2**30:.1f} GiB"


def _pdf(title: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    for line in [title, *["Syntetiskt dokument för mätning."] * 40]:
        document.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def add_record(url: str, case_number: str) -> str:
    """Give one case 200 journal entries (three in four signed) and 20 documents.

    Through the service layer, as a case worker of the unit would write them; the texts are
    synthetic. Returns the case number.
    """
    engine = make_engine(url)
    rng = random.Random(SEED)
    kinds = list(JournalKind)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username=DEMO_CASE_WORKER))
        case = cases.get_by_number(
            session, actor=worker, case_number=case_number, purpose="prestandamätning"
        )
        start = case.report.received_at
        span = max((dt.datetime.now(dt.UTC) - start).total_seconds() - 3600, 3600.0)
        entry_ids: list[int] = []
        for n in range(RECORD_ENTRIES):
            at = start + dt.timedelta(seconds=span * (n + 1) / (RECORD_ENTRIES + 1))
            data = JournalAdd.model_validate(
                {
                    "kind": kinds[n % len(kinds)],
                    "at": at.replace(second=0, microsecond=0) + dt.timedelta(minutes=1),
                    "minutes": rng.randint(10, 120),
                    "child_alone": n % 3 == 0,
                    "participants": "Barnet, handläggaren",
                    "text": f"Syntetisk anteckning nr {n + 1}. " + "Samtalet rörde skolan. " * 25,
                }
            )
            entry = journal.create(session, actor=worker, case=case, data=data)
            if n % 4:
                journal.sign(session, actor=worker, case=case, entry_id=entry.id)
            entry_ids.append(entry.id)
        for n in range(RECORD_DOCUMENTS):
            pdf = _pdf(f"Intyg {n + 1}")
            documents.create(
                session,
                actor=worker,
                case=case,
                data=DocumentCreate(title=f"Intyg {n + 1}", journal_entry=entry_ids[n * 10]),
                filename=f"intyg-{n + 1}.pdf",
                content=pdf,
            )
    engine.dispose()
    return case_number


def run(backend: str, url: str, args: argparse.Namespace) -> None:
    """Measure one backend."""
    work, size = workload(url)
    started = time.perf_counter()
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:  # today's scan, as the app's job would
        scanned = deviation_scan.run_daily(session, as_of=today())
    engine.dispose()
    created = scanned.created if scanned else 0
    print(f"  deviation scan: today's, before serving: {created} created in "
          f"{time.perf_counter() - started:.1f} s (the app's job finds it done)")  # fmt: skip
    if args.record_case:
        work.record_case = add_record(url, work.case_numbers[0])
        print(f"  record case:    one case with {RECORD_ENTRIES} journal entries and "
              f"{RECORD_DOCUMENTS} PDFs; the mix adds its page and journal")  # fmt: skip
    print(f"[{backend}]")
    if backend == "postgresql":
        print("  server:         a throwaway PostgreSQL on loopback, default settings (fsync and "
              "synchronous_commit on)")  # fmt: skip
    else:
        print("  database:       one SQLite file in WAL mode (synchronous FULL, the default)")
    print(f"  data:           {size.reports} reports, {size.cases} cases, {size.children} "
          f"children; database {size.bytes / 2**20:.0f} MiB; the users' unit holds "
          f"{size.unit_cases} cases")  # fmt: skip
    print(f"  users:          {args.users} virtual case workers as {len(work.usernames)} accounts "
          f"of one unit, think time {args.think:g} s (±50 %), {args.duration:g} s, "
          f"{args.workers} app processes (barnskydd serve)")  # fmt: skip
    print(f"  load average:   {_load()} before serving (other work on this machine)")
    with serve(url, args.workers) as base:
        results, seconds = asyncio.run(
            load(base, work, args.users, args.duration, args.think, args.logins)
        )
    _print_results(results, seconds)
    print(f"  load average:   {_load()} at the end of the load")


def main() -> None:
    """Parse the options, build or reuse the data, serve, load and print."""
    parser = argparse.ArgumentParser(description="Load-test the desk (figures only).")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--years", type=int, default=10, help="years of data, 1-10 (10)")
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users (50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, s (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="app processes (2)")
    parser.add_argument(
        "--logins", type=int, default=4, help="users logging in at the same time (4)"
    )
    parser.add_argument(
        "--record-case",
        action="store_true",
        help=f"give one case {RECORD_ENTRIES} journal entries and {RECORD_DOCUMENTS} documents "
        "and add its page to the mix (issue 11)",
    )
    args = parser.parse_args()
    if not 1 <= args.years <= 10:  # the case number has six digits for the id
        parser.error("--years must be 1-10")
    OUT.mkdir(parents=True, exist_ok=True)
    end = today()
    print(f"machine:  {platform.platform()}, {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), RAM {_ram_gib()}")  # fmt: skip
    print(f"python:   {platform.python_implementation()} {platform.python_version()}; "
          f"load generator: asyncio + httpx {httpx.__version__} in the same machine")  # fmt: skip
    print(f"data:     municipality {MUNICIPALITY}, seed {SEED}: ONE year up to {end} generated "
          f"through the service layer, replicated to {args.years} years with INSERT ... SELECT "
          f"(dates shifted back by whole years, new ids and case numbers)")  # fmt: skip
    if args.backend in ("sqlite", "both"):
        path = build_sqlite(end, args.years)
        with tempfile.TemporaryDirectory(prefix="barnskydd-bench-") as tmp:
            work_copy = Path(tmp) / "bench.db"  # the run writes reports; the cache stays clean
            shutil.copy(path, work_copy)
            run("sqlite", f"sqlite:///{work_copy}", args)
    if args.backend in ("postgresql", "both"):
        with postgresql_database(end, args.years) as url:
            run("postgresql", url, args)


if __name__ == "__main__":
    main()
