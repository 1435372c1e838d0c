"""The JSON API under /api/v1: a sub-application with its own OpenAPI document.

Mounted by create_app, it sits inside the desk's middleware (session cookie, security
headers) and shares its state (settings, database sessions, login guard), so the API has the
same accounts, lock-out and audit trail as the desk; only its errors are JSON.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import State

from barnskydd.web.api import (
    cases,
    communication,
    competence,
    decisions,
    deviations,
    documents,
    errors,
    extracts,
    guardians,
    inbox,
    journal,
    plan,
    session,
    steps,
)

PREFIX = "/api/v1"
DESCRIPTION = (
    "The desk's operations as JSON: the inbox, registering a report, reading a case "
    "(audited with its purpose), each step of the chain, reassignment, the journal, guardians, "
    "documents, the investigation plan, communications before a decision, and decisions with "
    "their letters. Log in with POST /session (or the desk's login page); send the session's "
    "CSRF token as X-CSRF-Token on POST, PATCH and DELETE. Errors are ErrorRead: a Swedish "
    "message, and one per field for refused input. See docs/api.md."
)


def create_api(state: State) -> FastAPI:
    """Build the API app on the desk's state."""
    api = FastAPI(
        title="Barnskydd API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN, which the CSP refuses
        redoc_url=None,
    )
    api.state = state
    routers = (session.router, inbox.router, cases.router, steps.router, journal.router)
    records = (guardians.router, documents.router, plan.router, communication.router)
    for router in (*routers, *records, decisions.router, extracts.router):
        api.include_router(router)
    api.include_router(deviations.router)
    api.include_router(competence.router)
    errors.install(api)
    return api
