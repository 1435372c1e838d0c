"""The app's daily jobs, inside the running app: the deviation scan and closing measurement weeks.

Each worker process runs a loop that wakes every CHECK_EVERY seconds and, once a day (the
first wake-up on a new Swedish date), runs each job in a thread so that requests are not held
up. The deviation scan (deviations.scan.run_daily_in_batches) commits every BATCH deviations,
so SQLite's write lock is held for one batch at a time, never for the whole scan; closing the
measurement weeks runs in a transaction of its own. With several workers (gunicorn, or several
machines on one database) every one of them tries: the day's DeviationScanRun row lets only the
first scan, and a measurement week is claimed by one conditional UPDATE before it is closed, so
a second worker finds nothing left to close. A failed job is logged (no personal data: counts
and the error's type) and tried again at the next wake-up; the other job is not held up by it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.clock import today
from barnskydd.core.db import transaction
from barnskydd.deviations import scan
from barnskydd.workload import measurement

log = logging.getLogger(__name__)
CHECK_EVERY = 600.0  # seconds
BATCH = 500  # deviations per transaction


def run_once(factory: sessionmaker[Session], *, as_of: dt.date) -> scan.ScanResult | None:
    """Run the day's scan, in batches, unless a worker already has."""
    return scan.run_daily_in_batches(factory, as_of=as_of, batch=BATCH)


def close_weeks_once(factory: sessionmaker[Session], *, as_of: dt.date) -> int:
    """Close the measurement weeks whose last day has passed, in their own transaction."""
    with transaction(factory) as session:
        return measurement.close_due(session, today=as_of)


def _scan(factory: sessionmaker[Session], day: dt.date) -> None:
    result = run_once(factory, as_of=day)
    if result is not None:
        log.info("deviation scan %s: %s", day, result.to_dict())


def _weeks(factory: sessionmaker[Session], day: dt.date) -> None:
    closed = close_weeks_once(factory, as_of=day)
    if closed:
        log.info("measurement weeks closed %s: %d", day, closed)


JOBS = (("deviation scan", _scan), ("measurement weeks", _weeks))


async def _loop(factory: sessionmaker[Session], every: float) -> None:
    done: dict[str, dt.date] = {}
    while True:
        day = today()
        for name, job in JOBS:
            if done.get(name) == day:
                continue
            try:
                await asyncio.to_thread(job, factory, day)
            except Exception as error:  # logged; the next wake-up tries again
                log.warning("%s failed: %s", name, type(error).__name__)
            else:
                done[name] = day
        await asyncio.sleep(every)


def install(app: FastAPI, *, every: float = CHECK_EVERY) -> None:
    """Run the daily jobs for as long as the app runs (wraps the app's lifespan)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[Any]:
        async with inner(running) as state:
            task = asyncio.create_task(_loop(running.state.session_factory, every))
            try:
                yield state
            finally:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
