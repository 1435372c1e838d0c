"""Import reports with their steps: the import's fast path against the service layer, one run.

Writes a synthetic history in the exchange format (docs/import.md): N reports of N/1.6
children, each with the chain a real case has (protection assessment, preliminary decision,
and for four in ten an investigation with three BBIC notes and its completion; half of those
with an intervention, a follow-up, its end and the closing). Then, on SQLite (a file) and on
PostgreSQL (a throwaway server with fsync and synchronous commit on, PostgreSQL's defaults):

- `barnskydd import`'s path (importer.service.run) into an empty database, then once more
  (idempotent: nothing added) and `audit verify`;
- the service layer (cases.register_report and chain.take per step, one transaction) over
  the first M reports of the same data, into another empty database.

Prints reports per second of each and their ratio, with data size and machine. Figures only;
nothing here fails on time. Run from the repository root:

    .venv/bin/python bench/bench_import.py [--reports N] [--service M] [--backend ...]
    [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

from sqlalchemy import text
from tests.postgres_server import postgres_server

from barnskydd.audit import service as audit
from barnskydd.cases import chain
from barnskydd.cases import service as cases
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core import migrate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.importer import format as fmt
from barnskydd.importer import service as importer
from barnskydd.lookup import outbox
from barnskydd.staff import service as staff
from barnskydd.synth.identities import ChildFactory

UNIT, USER = "Barn och unga Import", "importer"
START = dt.date(2023, 1, 2)


def _day(d: dt.date) -> str:
    return d.isoformat()


def write_exchange(directory: Path, reports: int, seed: int = 1) -> int:
    """Write a synthetic history of `reports` reports; return the number of step rows."""
    rng = random.Random(seed)
    factory = ChildFactory(rng, end=dt.date(2025, 12, 31))
    (directory / fmt.MANIFEST).write_text(
        json.dumps({"format": fmt.FORMAT, "system": "Benchsystemet"}), encoding="utf-8"
    )
    files: dict[str, list[dict[str, Any]]] = {name: [] for name in fmt.STEP_FILES}
    children: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    steps = 0
    for n in range(reports):
        received = dt.datetime.combine(
            START + dt.timedelta(days=n * 700 // reports), dt.time(9 + n % 8), tzinfo=SWEDEN
        )
        if not children or rng.random() < 1 / 1.6:
            synth = factory.new(received.date())
            child_id = f"B{len(children) + 1}"
            children.append(
                {
                    "id": child_id,
                    "identity": synth.identity,
                    "first_name": synth.first_name,
                    "last_name": synth.last_name,
                }
            )
            child = child_id
        else:
            child = rng.choice(children)["id"]
        report = f"A{n + 1}"
        rows.append(
            {
                "id": report,
                "child": child,
                "received_at": received.isoformat(),
                "channel": "phone",
                "reporter_category": "school",
                "mandatory_reporter": True,
                "reporter_organisation": "Skolan",
                "concerns": ["neglect"],
                "free_text": "Syntetisk anmälan (testdata).",
                "unit": UNIT,
            }
        )
        day = received.date()
        chain_rows: list[tuple[str, dict[str, Any]]] = [
            (
                "protection.jsonl",
                {
                    "assessed_at": (received + dt.timedelta(hours=2)).isoformat(),
                    "immediate_protection_needed": False,
                },
            )
        ]
        opened = rng.random() < 0.4
        decided = day + dt.timedelta(days=10)
        chain_rows.append(
            (
                "preliminary.jsonl",
                {
                    "decided_on": _day(decided),
                    "outcome": "investigation_opened" if opened else "not_opened",
                },
            )
        )
        if opened:
            for side, area in (
                ("child_development", "health"),
                ("parenting_capacity", "basic_care"),
                ("family_and_environment", "housing"),
            ):
                chain_rows.append(("bbic.jsonl", {"side": side, "area": area, "text": "Text."}))
            completed = decided + dt.timedelta(days=90)
            if rng.random() < 0.5:
                chain_rows.append(
                    (
                        "intervention.jsonl",
                        {
                            "id": f"I{n}",
                            "category": "open_care",
                            "legal_basis": "sol",
                            "decided_on": _day(completed),
                        },
                    )
                )
                chain_rows.append(
                    (
                        "complete.jsonl",
                        {"completed_on": _day(completed), "outcome": "interventions"},
                    )
                )
                later = completed + dt.timedelta(days=120)
                chain_rows += [
                    (
                        "follow-up.jsonl",
                        {"followed_up_on": _day(later), "voice_status": "declined_by_child"},
                    ),
                    (
                        "end-intervention.jsonl",
                        {
                            "intervention": f"I{n}",
                            "ended_on": _day(later),
                            "reason": "Enligt plan.",
                        },
                    ),
                    ("close.jsonl", {"closed_on": _day(later + dt.timedelta(days=5))}),
                ]
            else:
                chain_rows.append(
                    (
                        "complete.jsonl",
                        {"completed_on": _day(completed), "outcome": "no_intervention"},
                    )
                )
        for order, (name, fields) in enumerate(chain_rows, start=1):
            files[name].append(
                {"id": fields.pop("id", f"{report}-{order}"), "report": report, "order": order}
                | fields
            )
            steps += 1
    for name, content in ((fmt.CHILDREN, children), (fmt.REPORTS, rows), *files.items()):
        with (directory / name).open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in content)
    return steps


def _prepare(url: str) -> Actor:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name=UNIT, municipality_code="1480")
        member = staff.create(
            session, username=USER, display_name="Import", role=Role.ADMIN, unit_id=unit.id
        )
        who = staff.actor_for(member)
    engine.dispose()
    return who


def _server_cpu(engine: Any) -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes (None on SQLite)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    tick = os.sysconf("SC_CLK_TCK")

    def stat(pid: str) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    postmaster = stat(str(backend))[1]
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = stat(entry.name)
        except OSError:
            continue
        if entry.name == postmaster or fields[1] == postmaster:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def fast(url: str, directory: Path, who: Actor, profile: bool) -> tuple[float, str]:
    """Import the directory twice; return reports/s of the first run and what the second did.

    Also the import process's own CPU time and, on PostgreSQL, the server processes': on a
    shared machine the wall clock counts the other processes' turns too, and with two cores
    the import and the server run side by side, so the larger of the two bounds the rate.
    """
    engine = make_engine(url)
    factory = session_factory(engine)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    server = _server_cpu(engine)
    cpu = time.process_time()
    first = importer.run(factory, directory, actor=who)
    cpu = time.process_time() - cpu
    after = _server_cpu(engine)
    server_part = (
        ""
        if server is None or after is None
        else f", serverns CPU-tid {first.reports / (after - server):_.0f} anmälningar/s"
    )
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    second = importer.run(factory, directory, actor=who)
    with transaction(factory) as session:
        broken = audit.verify(session)
        entries = session.scalar(text("SELECT count(*) FROM audit_entry"))
    engine.dispose()
    assert not first.refused, first.lines()[:5]
    again = (
        f"importens egen CPU-tid {first.reports / cpu:_.0f} anmälningar/s{server_part}; "
        "andra körningen: "
        f"{second.reports} nya, {second.already} fanns redan; "
        f"revisionslogg {entries} poster, {'hel' if broken is None else 'BRUTEN'}"
    )
    return first.reports / first.seconds, again


def service(url: str, directory: Path, who: Actor, limit: int) -> float:
    """Register and step the first `limit` reports through the service layer; reports/s."""
    outbox.subscribe()
    source = fmt.read(directory)
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        units = {UNIT: staff.get_by_username(session, username=USER).unit_id}
        for row in source.reports[:limit]:
            child = source.children[row.data["child"]].data
            fields = {k: v for k, v in row.data.items() if k not in ("child", "unit")}
            data = ReportCreate.model_validate(
                fields
                | {
                    "unit_id": units[UNIT],
                    "child_identity": child["identity"],
                    "child_first_name": child["first_name"],
                    "child_last_name": child["last_name"],
                }
            )
            case = cases.register_report(session, actor=who, data=data)
            interventions: dict[str, int] = {}
            for step_row in source.steps_of(row.id):
                spec = fmt.STEP_FILES[step_row.file]
                values = dict(step_row.data)
                if "intervention" in values:
                    values["intervention_id"] = interventions[values.pop("intervention")]
                loaded = cases.load(session, case.id, whole_chain=False)
                taken = chain.take(
                    session, actor=who, case=loaded, data=spec.input.model_validate(values)
                )
                if step_row.file == "intervention.jsonl":
                    interventions[step_row.id] = taken.record.id
    seconds = time.perf_counter() - started
    engine.dispose()
    return limit / seconds


def _ram() -> str:
    try:
        return f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.1f} GiB"
    except (ValueError, OSError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--service", type=int, default=500, help="reports via the service layer")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile the import (SQLite)")
    args = parser.parse_args()
    outbox.subscribe()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = work / "source"
    source.mkdir()
    steps = write_exchange(source, args.reports)
    size = sum(f.stat().st_size for f in source.iterdir()) / 2**20
    print(
        f"Data: {args.reports} anmälningar, {steps} steg ({size:.1f} MiB JSON Lines); "
        f"tjänstelagret: de första {args.service}"
    )
    print(
        f"Maskin: {platform.machine()}, {os.cpu_count()} kärnor, {_ram()}, "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if backend == "sqlite":
            urls = [f"sqlite:///{work}/fast.db", f"sqlite:///{work}/service.db"]
            run(backend, urls, source, args)
        else:
            with postgres_server(durable=True) as admin:
                engine = make_engine(admin, isolation_level="AUTOCOMMIT")
                with engine.connect() as conn:
                    conn.execute(text("CREATE DATABASE fast"))
                    conn.execute(text("CREATE DATABASE service"))
                    fsync = conn.execute(text("SHOW fsync")).scalar()
                engine.dispose()
                base = admin.rsplit("/", 1)[0]
                print(f"PostgreSQL: fsync={fsync}")
                run(backend, [f"{base}/fast", f"{base}/service"], source, args)


def run(backend: str, urls: list[str], source: Path, args: argparse.Namespace) -> None:
    """Bench one backend: the fast path, then the service layer, then their ratio."""
    rate, again = fast(urls[0], source, _prepare(urls[0]), args.profile)
    slow = service(urls[1], source, _prepare(urls[1]), args.service)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{backend} (belastning {load}): import {rate:_.0f} anmälningar/s, "
        f"tjänstelagret {slow:_.0f} anmälningar/s, kvot {rate / slow:.1f}; {again}".replace(
            "_", " "
        )
    )


if __name__ == "__main__":
    main()
