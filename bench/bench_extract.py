"""Time the register extract of a child with ten years of history, and size its PDF.

A fresh SQLite database gets one child with a report a year for ten years (2014-2023), each
with its journal (signed entries) and reads of the case; a sibling's report each year adds
rows that must stay out. The extract is then collected (the JSON of `person extract`),
reviewed (the proposals, as `person review --proposed`) and produced as PDF. Prints figures
only; nothing here fails on time.

    PYTHONPATH=src .venv/bin/python bench/bench_extract.py [--entries N] [--reads N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from barnskydd.cases import service as cases
from barnskydd.cases.codes import Channel, Concern, JournalKind, ReporterCategory
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.schemas import ReportCreate, SiblingCreate
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import Requester
from barnskydd.extract.schemas import ExtractRead
from barnskydd.people.rules import parse_identity
from barnskydd.staff import service as staff
from barnskydd.web.extract_pdf import render_pdf

CHILD, SIBLING = "20100316-9883", "20120512-9271"  # synthetic, valid check digits
YEARS = range(2014, 2024)
KINDS = list(JournalKind)
TEXT = "Syntetisk anteckning om samtal, hembesök och nätverksmöte, med barnets egna ord. " * 4
PURPOSE = "registerutdrag"


def build(url: str, *, entries: int, reads: int) -> None:
    """Write the unit, the staff and ten years of the child's cases."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name="Barn och unga", municipality_code="1480")
        worker = staff.actor_for(
            staff.create(
                session,
                username="anna",
                display_name="Anna",
                role=Role.CASE_WORKER,
                unit_id=unit.id,
            )
        )
        for year in YEARS:
            received = dt.datetime(year, 3, 1, 9, 0, tzinfo=SWEDEN)
            case = cases.register_report(
                session,
                actor=worker,
                data=ReportCreate(
                    child_identity=CHILD,
                    child_first_name="Saga",
                    child_last_name="Lind",
                    received_at=received,
                    channel=Channel.PHONE,
                    reporter_category=ReporterCategory.SCHOOL,
                    mandatory_reporter=True,
                    reporter_name="Rut Rektor",
                    concerns=[Concern.NEGLECT],
                    free_text=f"Anmälan {year}: oro för Saga Lind och Elis Lind.",
                    unit_id=unit.id,
                    siblings=[SiblingCreate(identity=SIBLING, first_name="Elis", last_name="Lind")],
                ),
            )
            for n in range(entries):
                at = received + dt.timedelta(days=1 + n * 300 // max(entries, 1))
                data = JournalAdd(kind=KINDS[n % len(KINDS)], at=at, minutes=30 + n % 60, text=TEXT)
                entry = journal.create(session, actor=worker, case=case, data=data)
                journal.sign(session, actor=worker, case=case, entry_id=entry.id)
            for _ in range(reads):
                cases.get(session, actor=worker, case_id=case.id, purpose="handläggning")
        staff.create(
            session, username="lisa", display_name="Lisa", role=Role.TEAM_LEAD, unit_id=unit.id
        )
    engine.dispose()


def main() -> None:
    """Build the history, run the extract and print the figures."""
    parser = argparse.ArgumentParser(description="Time the register extract.")
    parser.add_argument("--entries", type=int, default=40, help="journal entries a year")
    parser.add_argument("--reads", type=int, default=50, help="audited reads of each case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        started = time.perf_counter()
        build(url, entries=args.entries, reads=args.reads)
        built = time.perf_counter() - started
        engine = make_engine(url)
        factory = session_factory(engine)
        with transaction(factory) as session:
            lead = staff.actor_for(staff.get_by_username(session, username="lisa"))
            request = extracts.create(
                session,
                actor=lead,
                identity=parse_identity(CHILD),
                received_on=dt.date(2024, 1, 8),
                requester=Requester.SELF,
                today=dt.date(2024, 1, 8),
            )
            request_id = request.id
        with transaction(factory) as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            found = extracts.collect(
                session, actor=lead, number=parse_identity(CHILD).number, purpose=PURPOSE
            )
            as_json = json.dumps(ExtractRead.of(found).model_dump(mode="json"), ensure_ascii=False)
            collected = time.perf_counter() - started
            collected_cpu = time.process_time() - cpu_started
        with transaction(factory) as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            current = extracts.collect_for(
                session, actor=lead, request_id=request_id, purpose=PURPOSE
            )
            extracts.decide(
                session,
                actor=lead,
                request_id=request_id,
                decisions={i.key: i.proposed for i in current.undecided},
                purpose=PURPOSE,
            )
            reviewed = time.perf_counter() - started
            reviewed_cpu = time.process_time() - cpu_started
        with transaction(factory) as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            produced = extracts.produce(session, actor=lead, request_id=request_id, purpose=PURPOSE)
            pdf = render_pdf(produced, municipality="Göteborg", today=dt.date(2024, 1, 8))
            rendered = time.perf_counter() - started
            rendered_cpu = time.process_time() - cpu_started
        engine.dispose()
    kinds = {i.kind for i in found.items}
    audit = sum(1 for i in found.items if i.kind == "audit_entry")
    cpu = platform.processor() or platform.machine()
    print(f"machine:    {platform.platform()}, {os.cpu_count()} CPUs ({cpu})")
    print(
        f"data:       {len(YEARS)} years, {len(YEARS)} cases (+ a sibling's each year), "
        f"{len(YEARS) * args.entries} journal entries, {len(YEARS) * args.reads} case reads"
    )
    print(f"items:      {len(found.items)} ({audit} audit entries; {len(kinds)} kinds)")
    print(f"build:      {built:.1f} s (not part of the extract)")
    print(
        f"collect:    {collected * 1000:.0f} ms ({collected_cpu * 1000:.0f} ms CPU), "
        f"JSON {len(as_json) / 1024:.0f} KiB"
    )
    print(
        f"review:     {reviewed * 1000:.0f} ms ({reviewed_cpu * 1000:.0f} ms CPU; "
        "the proposals for every item)"
    )
    print(
        f"pdf:        {rendered * 1000:.0f} ms ({rendered_cpu * 1000:.0f} ms CPU, with its "
        f"collection), {len(pdf) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
