"""The dictation audio's days, kept inside the running app even when no worker runs.

A worker deletes expired recordings and drafts at each pass, the app at its start and at each
upload; this loop does it every PURGE_EVERY seconds as well, so that the setting's days hold
for an app left running for days with no worker (BARNSKYDD_DICTATION_WORKERS=0 and none
started) and no upload. It runs in a thread so that requests are not held up; a failure is
logged by its type only and tried again at the next wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.db import transaction
from barnskydd.dictation import service

log = logging.getLogger(__name__)
PURGE_EVERY = 3600.0  # seconds: an hour past the days at most


def purge_once(factory: sessionmaker[Session]) -> int:
    """Delete the audio and draft of every expired job; return how many."""
    with transaction(factory) as session:
        return service.purge_expired(session)


async def _loop(factory: sessionmaker[Session], every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            count = await asyncio.to_thread(purge_once, factory)
        except Exception as error:  # logged; the next wake-up tries again
            log.warning("dictation purge failed: %s", type(error).__name__)
        else:
            if count:
                log.info("dictation purge: %s expired recording(s) deleted", count)


def install(app: FastAPI, *, every: float = PURGE_EVERY) -> None:
    """Purge expired dictations for as long as the app runs (wraps the app's lifespan)."""
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
