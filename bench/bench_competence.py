"""The competence check and the Öppna jämförelser figures: what they cost.

    .venv/bin/python bench/bench_competence.py [--workers 300] [--repeat 50]

Builds a fresh SQLite database in a temporary folder (migrated; one unit, --workers case
workers, each with a competence record, two experience periods and, for every tenth, an
introduction), then times (a) `standing`, the read the chain's qualification check adds to
every reserved step, for a worker who works independently and for one in introduction (who
also needs the co-signers), and (b) the Öppna jämförelser indicators of the whole staff. It
prints p50 and p95 of each, the SQL statements of one call, the data size and the machine.
Figures only, nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from barnskydd.core import migrate
from barnskydd.core.actor import SYSTEM, Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from barnskydd.staff.competence import report
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.inputs import CompetenceSet, EarlierPeriod, IntroductionStart
from barnskydd.staff.competence.standing import standing

DAY = dt.date(2026, 1, 1)


def build(session: Session, workers: int) -> tuple[str, str]:
    """Create the staff; return an independent worker's and a new worker's username."""
    unit = staff.create_unit(session, name="Barn och unga Centrum", municipality_code="1480")
    staff.create(
        session, username="ledare", display_name="Ledare", role=Role.TEAM_LEAD, unit_id=unit.id
    )
    for n in range(workers):
        username = f"hl{n:04d}"
        staff.create(
            session,
            username=username,
            display_name=username,
            role=Role.CASE_WORKER,
            unit_id=unit.id,
        )
        start = DAY - dt.timedelta(days=30 + 11 * n)
        competence.update(
            session,
            actor=SYSTEM,
            username=username,
            data=CompetenceSet.from_text(
                {"degree": "socionom", "experience_from": start.isoformat()}
            ),
            earlier=[EarlierPeriod.from_text({"start_on": "2010-01-01", "end_on": "2011-06-30"})],
            today=DAY,
        )
        if n % 10 == 0:
            competence.start_introduction(
                session,
                actor=SYSTEM,
                username=username,
                data=IntroductionStart.from_text(
                    {"started_on": start.isoformat(), "mentor": "ledare"}
                ),
                today=DAY,
            )
    return "hl0001", "hl0000"


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return p50 and p95 in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        statements = [0]
        event.listen(
            engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
        )
        with transaction(session_factory(engine)) as session:
            alone, new = build(session, args.workers)
        with transaction(session_factory(engine)) as session:
            actors = {
                name: staff.actor_for(staff.get_by_username(session, username=name))
                for name in (alone, new)
            }
            print(
                f"data: {args.workers} case workers, SQLite; machine: {platform.machine()}, "
                f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
            )
            for label, name in (("independent worker", alone), ("worker in introduction", new)):
                statements[0] = 0
                standing(session, actors[name], DAY, co_signed_by=None)
                count = statements[0]
                p50, p95 = timed(
                    lambda n=name: standing(session, actors[n], DAY, co_signed_by=None), args.repeat
                )
                print(f"standing, {label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, {count} statements")
            statements[0] = 0
            report.compute(session, DAY)
            count = statements[0]
            p50, p95 = timed(lambda: report.compute(session, DAY), max(5, args.repeat // 5))
            print(f"indicators: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {count} statements")
        engine.dispose()


if __name__ == "__main__":
    main()
