"""The index: a national service of pseudonymous entries, answering lookups minimally.

It holds, per pseudonym, which municipality has a report, the month of the latest one, a
status class and whom to call; nothing that identifies a child. Its schema is its own and is
created at start (create_all); see docs/lookup.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Annotated

import structlog
from fastapi import Depends, FastAPI, Query, Request
from sqlalchemy.orm import Session

from barnskydd.core.bounds import INT32_MAX
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.lookup import index
from barnskydd.lookup.auth import INDEX, Registry
from barnskydd.lookup.batching import Batcher
from barnskydd.lookup.edge import (
    BodyLimit,
    RateLimiter,
    add_error_handlers,
    municipality_dependency,
)
from barnskydd.lookup.index_models import IndexBase
from barnskydd.lookup.schemas import (
    LookupRequest,
    LookupResponse,
    LookupsRequest,
    LookupsResponse,
    Match,
    NotificationsResponse,
    UpsertRequest,
    UpsertResponse,
)

log = structlog.get_logger("barnskydd.lookup.index")
Asked = tuple[str, list[LookupRequest], dt.datetime]  # who asks, their lookups, when
Municipality = Annotated[str, Depends(municipality_dependency(INDEX))]


def _session(request: Request) -> AbstractContextManager[Session]:
    """Return one session in one transaction for the request (commit, or roll back on error).

    Entered in the endpoint itself, so a request costs one hop to a worker thread: FastAPI
    runs each step of a generator dependency in a worker thread of its own, which was most of
    a lookup's time at the index.
    """
    return transaction(request.app.state.session_factory)


# Notification ids are an integer column: a larger "after" is refused (422), not a 500.
After = Annotated[int, Query(ge=0, le=INT32_MAX)]


def create_app(database_url: str, registry: Registry, limiter: RateLimiter) -> FastAPI:
    """Build the index on a database (created if empty), a municipality registry and limits."""
    engine = make_engine(database_url)
    IndexBase.metadata.create_all(engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title="Barnskydd lookup index", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.registry = registry
    app.state.session_factory = session_factory(engine)
    app.add_middleware(BodyLimit)
    add_error_handlers(app)

    @app.put("/v1/entries")
    def put_entries(
        body: UpsertRequest, municipality: Municipality, request: Request
    ) -> UpsertResponse:
        """Store or replace the caller's own entries and remove withdrawn ones."""
        limiter.take(municipality, len(body.entries) + len(body.withdrawals), today())
        with _session(request) as session:
            stored, withdrawn = index.upsert(
                session,
                municipality=municipality,
                entries=body.entries,
                withdrawals=body.withdrawals,
                now=utcnow(),
            )
        log.info("entries", municipality=municipality, stored=stored, withdrawn=withdrawn)
        return UpsertResponse(stored=stored, withdrawn=withdrawn)

    factory = app.state.session_factory

    def commit_together(asked: list[Asked]) -> list[list[list[Match]]]:
        """Answer, log and notify the lookups of concurrent requests in one transaction."""
        with transaction(factory) as session:
            return [
                [index.lookup(session, municipality=who, request=r, now=now) for r in requests]
                for who, requests, now in asked
            ]

    # Every lookup is logged before it is answered, so a commit per lookup was what bounded
    # the index's rate (one durable commit at a time on SQLite); concurrent requests now
    # share one.
    lookups: Batcher[Asked, list[list[Match]]] = Batcher(commit_together)

    @app.post("/v1/lookup")
    def post_lookup(body: LookupRequest, municipality: Municipality) -> LookupResponse:
        """Answer which other municipalities hold an entry; log and notify."""
        limiter.take(municipality, 1, today())
        (matches,) = lookups((municipality, [body], utcnow()))
        log.info("lookup", municipality=municipality, purpose=body.purpose, matches=len(matches))
        return LookupResponse(matches=matches)

    @app.post("/v1/lookups")
    def post_lookups(body: LookupsRequest, municipality: Municipality) -> LookupsResponse:
        """Answer several lookups at once; each is logged and notified as if asked alone.

        A municipality's client sends the lookups its users make at the same moment together
        (barnskydd.lookup.client), so that they share one request and one commit.
        """
        limiter.take(municipality, len(body.lookups), today())
        found = lookups((municipality, body.lookups, utcnow()))
        for item, matches in zip(body.lookups, found, strict=True):
            log.info(
                "lookup", municipality=municipality, purpose=item.purpose, matches=len(matches)
            )
        return LookupsResponse(answers=[LookupResponse(matches=m) for m in found])

    @app.get("/v1/notifications")
    def get_notifications(
        municipality: Municipality, request: Request, after: After = 0
    ) -> NotificationsResponse:
        """Return the caller's notifications after an id."""
        with _session(request) as session:
            found = index.notifications(session, municipality=municipality, after=after)
        return NotificationsResponse(notifications=found)

    return app
