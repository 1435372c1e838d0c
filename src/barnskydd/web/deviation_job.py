"""The automatic deviation scan, daily, inside the running app.

Each worker process runs a loop that wakes every CHECK_EVERY seconds and, once a day (the
first wake-up on a new Swedish date), calls deviations.scan.run_daily_in_batches in a thread
so that requests are not held up; it commits every BATCH deviations, so SQLite's write lock is
held for one batch at a time, never for the whole scan. With several workers (gunicorn, or
several machines on one database) every one of them tries; the day's DeviationScanRun row lets
only the first scan, the others find the row and do nothing. A failed scan is logged (no personal
data: counts and the error's type) and tried again at the next wake-up.
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
from barnskydd.deviations import scan

log = logging.getLogger(__name__)
CHECK_EVERY = 600.0  # seconds
BATCH = 500  # deviations per transaction


def run_once(factory: sessionmaker[Session], *, as_of: dt.date) -> scan.ScanResult | None:
    """Run the day's scan, in batches, unless a worker already has."""
    return scan.run_daily_in_batches(factory, as_of=as_of, batch=BATCH)


async def _loop(factory: sessionmaker[Session], every: float) -> None:
    done: dt.date | None = None
    while True:
        day = today()
        if day != done:
            try:
                result = await asyncio.to_thread(run_once, factory, as_of=day)
            except Exception as error:  # logged; the next wake-up tries again
                log.warning("deviation scan failed: %s", type(error).__name__)
            else:
                done = day
                if result is not None:
                    log.info("deviation scan %s: %s", day, result.to_dict())
        await asyncio.sleep(every)


def install(app: FastAPI, *, every: float = CHECK_EVERY) -> None:
    """Run the daily scan for as long as the app runs (wraps the app's lifespan)."""
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
