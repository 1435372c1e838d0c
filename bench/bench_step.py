"""Taking a step on the desk: the time and the SQL statements of one step POST.

    .venv/bin/python bench/bench_step.py [--cases 200] [--warmup 10]

Builds a fresh SQLite database in a temporary folder (migrated; one unit, a case worker and a
team lead), registers --cases reports through the service layer, then logs in on the desk app
in this process (Starlette's TestClient, no network) and POSTs the protection assessment
(`/arenden/{n}/steg/assess_protection`) once per case, without following the redirect. It
prints p50 and p95 of those POSTs, the SQL statements each issued (counted on the engine), the
data size and the machine. Figures only, nothing is asserted; on a loaded machine the times
say little on their own, compare them with a run of the other version on the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import event

from barnskydd.cases import service as cases
from barnskydd.cases.codes import Channel, Concern, ReporterCategory
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# Synthetic identity numbers with a valid check digit (made up, as in the tests).
CHILDREN = ["20150916-9874", "20120512-9271"]


def build(url: str, count: int) -> list[str]:
    """Migrate, create the staff and register `count` reports; return their case numbers."""
    migrate.upgrade(url)
    engine = make_engine(url)
    received = dt.datetime.now(SWEDEN) - dt.timedelta(hours=2)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name="Barn och unga Centrum", municipality_code="1480")
        worker = staff.create(
            session,
            username="handlaggare",
            display_name="Handläggare",
            role=Role.CASE_WORKER,
            unit_id=unit.id,
        )
        staff.create(
            session,
            username="arbetsledare",
            display_name="Arbetsledare",
            role=Role.TEAM_LEAD,
            unit_id=unit.id,
        )
        actor = staff.actor_for(worker)
        numbers = []
        for i in range(count):
            data = ReportCreate(
                child_identity=CHILDREN[i % len(CHILDREN)],
                child_first_name="Saga",
                child_last_name="Lind",
                received_at=received,
                channel=Channel.PHONE,
                reporter_category=ReporterCategory.SCHOOL,
                mandatory_reporter=True,
                reporter_organisation="Testskolan",
                concerns=[Concern.NEGLECT],
                free_text="Syntetisk anmälan för mätning.",
                unit_id=unit.id,
                assigned_to_id=worker.id,
            )
            numbers.append(cases.register_report(session, actor=actor, data=data).case_number)
    engine.dispose()
    return numbers


def run(numbers: list[str], settings: Settings, username: str, warmup: int) -> dict[str, Any]:
    """POST the protection assessment on every case; return the times and statement counts."""
    app = create_app(settings)
    engine = app.state.session_factory.kw["bind"]
    statements = [0]

    def _count(*_args: Any) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", _count)
    times: list[float] = []
    counts: list[int] = []
    with TestClient(app) as client:
        login = client.get("/logga-in").text
        client.post(
            "/logga-in",
            data={
                "username": username,
                "password": "demo",
                "csrf_token": TOKEN.findall(login)[0],
                "next": "/",
            },
        )
        token = TOKEN.findall(client.get(f"/arenden/{numbers[0]}").text)[0]
        at = (dt.datetime.now(SWEDEN) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        for i, number in enumerate(numbers):
            form = {
                "csrf_token": token,
                "assessed_at": at,
                "immediate_protection_needed": "nej",
                "notes": "",
            }
            statements[0] = 0
            start = time.perf_counter()
            response = client.post(
                f"/arenden/{number}/steg/assess_protection", data=form, follow_redirects=False
            )
            elapsed = time.perf_counter() - start
            if response.status_code != 303:
                sys.exit(f"step refused ({response.status_code}): {response.text[:400]}")
            if i >= warmup:
                times.append(elapsed)
                counts.append(statements[0])
    return {"times": times, "counts": counts}


def main() -> None:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite:///{path}"
        numbers = build(url, 2 * args.cases)
        settings = Settings(mode=Mode.DEMO, database_url=url)
        size = path.stat().st_size
        results = {
            "handlaggare": run(numbers[: args.cases], settings, "handlaggare", args.warmup),
            "arbetsledare": run(numbers[args.cases :], settings, "arbetsledare", args.warmup),
        }
    print(
        f"machine: {platform.platform()}, python {platform.python_version()}, "
        f"{os.cpu_count()} cpus, load average {os.getloadavg()}"
    )
    print(f"data: SQLite, {2 * args.cases} cases (2 children), {size / 1e6:.1f} MB")
    for who, result in results.items():
        times = sorted(result["times"])
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        counts = sorted(set(result["counts"]))
        print(
            f"{who}: {len(times)} POST assess_protection (after {args.warmup} warm-up), "
            f"p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"SQL statements per POST {counts}"
        )


if __name__ == "__main__":
    main()
