"""One answer for a case, draft, letter or notice that is not there and one the actor may not see.

Every route that takes an identifier is asked three ways: a number that does not exist,
another unit's case, and a protected child's case the case worker is not named for. The
answers must be the same byte for byte: status, body and headers. Only headers that change
with every request by nature are left out: `date` (not sent by the TestClient, sent by
uvicorn) and the value of the session cookie (signed with the time of the request); the
cookie's name and attributes are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.routing import Mount

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import ProtectedIdentity
from barnskydd.core.actor import Actor
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import Mode, Settings
from barnskydd.deviations import service as deviations
from barnskydd.deviations.schemas import ActionCreate, DeviationCreate
from barnskydd.documents import service as documents
from barnskydd.documents.schemas import DocumentCreate
from barnskydd.extract.codes import Requester
from barnskydd.extract.models import ExtractRequest
from barnskydd.lookup.models import LookupNotice
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app
from barnskydd.web.security import CSRF_HEADER
from barnskydd.workload import measurement
from tests.conftest import DIALECTS, migrated_database
from tests.documents import samples
from tests.factories import OTHER_CHILD_PNR, registered_case
from tests.web.conftest import TestClient, login, seed, token

MISSING = "BU-1999-999999"
MISSING_NOTICE = "999999"
MISSING_REQUEST = "999999"
PROTECTED_PNR = "20140305-9809"
API = "/api/v1"


@dataclass
class World:
    """The desk, its database and the identifiers of what is hidden from whom."""

    client: TestClient
    url: str
    other_unit: str  # a case of Väster (the users below are Centrum's)
    protected: str  # a Centrum case of a child with protected identity, assigned to the team lead
    other_case_id: int
    protected_case_id: int
    other_notice: str  # a notice about Väster's child
    other_request: str  # a register extract request of Väster's
    other_deviation: str = ""  # a deviation Väster's case worker reported in Väster
    other_action: str = ""  # an action of that deviation
    other_week: str = ""  # a measurement week of Väster's


@pytest.fixture(scope="module", params=DIALECTS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One database per dialect for the module: nothing asked here changes what is hidden."""
    database_url = migrated_database(request.param, request, tmp_path_factory.mktemp("hidden"))
    seed(database_url)
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        lead = staff.actor_for(staff.get_by_username(session, username="arbetsledare"))
        other = staff.actor_for(staff.get_by_username(session, username="annan"))
        assert worker.unit_id is not None
        assert other.unit_id is not None
        theirs = registered_case(
            session, other.unit_id, other, child_identity=OTHER_CHILD_PNR, child_first_name="Elis"
        )
        protected = registered_case(
            session,
            worker.unit_id,
            lead,
            child_identity=PROTECTED_PNR,
            child_first_name="Vera",
            protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
            assigned_to_id=lead.staff_id,
        )
        documents.create(  # document 1, in a case hidden from Centrum's users
            session,
            actor=other,
            case=theirs,
            data=DocumentCreate(title="Intyg"),
            filename="intyg.pdf",
            content=samples.pdf(),
        )
        notice = LookupNotice(
            notification_id=1,
            child_id=theirs.child_id,
            asking_municipality="0180",
            asked_by="Handläggare i Stockholm",
            contact="Barn och unga Norrmalm, växeln",
            purpose="Förhandsbedömning",
            asked_at=utcnow() - dt.timedelta(hours=1),
            received_at=utcnow(),
        )
        session.add(notice)
        request_row = ExtractRequest(
            identity_number=OTHER_CHILD_PNR.replace("-", ""),
            requester=Requester.SELF,
            custody_checked=False,
            received_on=dt.date(2025, 6, 20),
            due=dt.date(2025, 7, 21),
            unit_id=other.unit_id,
            registered_by="annan",
        )
        session.add(request_row)
        session.flush()
        ids = (theirs.case_number, protected.case_number, theirs.id, protected.id, notice.id)
        request_id = str(request_row.id)
        deviation, action = _deviation(session, other)
        admin = staff.actor_for(staff.get_by_username(session, username="admin"))
        today = dt.date.today()
        week = measurement.open_week(
            session, actor=admin, unit_id=other.unit_id, starts_on=today, today=today
        )
        week_id = str(week.id)
    engine.dispose()
    with TestClient(create_app(Settings(mode=Mode.DEMO, database_url=database_url))) as client:
        world = World(client, database_url, ids[0], ids[1], ids[2], ids[3], str(ids[4]), request_id)
        world.other_deviation, world.other_action = deviation, action
        world.other_week = week_id
        yield world


def _deviation(session: Session, reporter: Actor) -> tuple[str, str]:
    """Report a deviation in the reporter's unit with one action; return both ids."""
    assert reporter.unit_id is not None
    admin = staff.actor_for(staff.get_by_username(session, username="admin"))
    deviation = deviations.create(
        session,
        actor=reporter,
        data=DeviationCreate(
            what_happened="Syntetisk avvikelse.",
            occurred_on=dt.date(2026, 1, 5),
            unit_id=reporter.unit_id,
        ),
    )
    action = deviations.add_action(
        session,
        actor=admin,
        deviation_id=deviation.id,
        data=ActionCreate(
            description="Syntetisk åtgärd.",
            owner_id=reporter.staff_id or 0,
            due_on=dt.date(2026, 2, 1),
        ),
    )
    return str(deviation.id), str(action.id)


@dataclass(frozen=True)
class Route:
    """One way of asking for something by its identifier."""

    method: str
    path: str  # with {case_number} or {notice_id}, as the app declares it
    user: str = "handlaggare"
    data: dict[str, str] | None = None  # a desk form (the CSRF token is added)
    json: dict[str, Any] | None = None  # an API body (the CSRF header is added)
    query: str = ""


STEP_FORM = {"closed_on": "2025-06-20"}
DESK = [
    Route("GET", "/arenden/{case_number}"),
    *(Route("POST", f"/arenden/{{case_number}}/steg/{s.value}", data=STEP_FORM) for s in Step),
    *(
        Route("POST", f"/arenden/{{case_number}}/steg/{s.value}/utkast", data=STEP_FORM)
        for s in Step
    ),
    *(
        Route("POST", f"/arenden/{{case_number}}/steg/{s.value}/utkast/radera", data={})
        for s in Step
    ),
    Route("POST", "/arenden/{case_number}/journal", data={"text": "x"}),
    Route("POST", "/arenden/{case_number}/journal/{entry_id}/signera", data={}),
    Route("POST", "/arenden/{case_number}/journal/{entry_id}/radera", data={}),
    Route("GET", "/arenden/{case_number}/beslut/{decision_id}/brev/{party}"),
    Route("GET", "/arenden/{case_number}/beslut/{decision_id}/brev/{party}/pdf"),
    Route("POST", "/arenden/{case_number}/beslut/{decision_id}/delgivning", data={}),
    Route("POST", "/arenden/{case_number}/journal/utkast", data={"text": "x"}),
    Route("POST", "/arenden/{case_number}/journal/utkast/radera", data={}),
    Route("GET", "/arenden/{case_number}/aterkoppling"),
    Route("GET", "/arenden/{case_number}/aterkoppling.pdf"),
    Route("POST", "/arenden/{case_number}/aterkoppling", data={}),
    Route(
        "POST", "/arenden/{case_number}/aterkoppling/begaran", data={"requested_on": "2026-01-20"}
    ),
    Route("POST", "/arenden/{case_number}/riksuppslag", data={"purpose": "utredning"}),
    Route("POST", "/arenden/{case_number}/omfordela", "arbetsledare", data={"staff_id": "1"}),
    Route("POST", "/arenden/{case_number}/atkomst", "arbetsledare", data={"staff_id": "1"}),
    Route("POST", "/arenden/{case_number}/atkomst/ta-bort", "arbetsledare", data={"staff_id": "1"}),
    Route("GET", "/aviseringar/{notice_id}", "arbetsledare"),
    Route("POST", "/arenden/{case_number}/vardnadshavare", data={"first_name": "Lena"}),
    Route("POST", "/arenden/{case_number}/vardnadshavare/{guardian_id}", data={}),
    Route("POST", "/arenden/{case_number}/vardnadshavare/{guardian_id}/ta-bort", data={}),
    Route("POST", "/arenden/{case_number}/utredningsplan", data={"kind": "question"}),
    Route("POST", "/arenden/{case_number}/utredningsplan/{item_id}/ta-bort", data={}),
    Route("POST", "/arenden/{case_number}/kommunicering", data={"recipient": "Lena"}),
    Route("POST", "/arenden/{case_number}/kommunicering/{communication_id}/svar", data={}),
    Route("POST", "/arenden/{case_number}/dokument", data={"title": "Intyg"}),
    Route("GET", "/arenden/{case_number}/dokument/{document_id}"),
    Route("GET", "/registerutdrag/{request_id}", "arbetsledare"),
    Route("POST", "/registerutdrag/{request_id}/granskning", "arbetsledare", data={}),
    Route("GET", "/registerutdrag/{request_id}/utdrag.pdf", "arbetsledare"),
    Route("POST", "/arenden/{case_number}/rost/{record_id}/barnlage", data={}),
    Route("POST", "/arenden/{case_number}/rost/{record_id}/lank", data={}),
    Route("GET", "/arenden/{case_number}/rost/{record_id}/svar"),
    Route("POST", "/arenden/{case_number}/rost/{record_id}/svar", data={"item_safe": "1"}),
    # A one-time code: unknown, used and expired are one answer (tests/web/test_voice.py).
    Route("GET", "/rost/l/{code}"),
    Route("GET", "/arenden/{case_number}/diktat"),
    Route("POST", "/arenden/{case_number}/diktat", data={"field": "journal-text"}),
    Route("GET", "/arenden/{case_number}/diktat/{job_id}"),
    Route("GET", "/arenden/{case_number}/diktat/{job_id}/ljud"),
    Route("POST", "/arenden/{case_number}/diktat/{job_id}/godta", data={}),
    Route("POST", "/arenden/{case_number}/diktat/{job_id}/kasta", data={}),
    Route("POST", "/rost/l/{code}", data={"item_safe": "1"}),
    *(
        Route(method, path, user, data={} if method == "POST" else None)
        for method, path in (
            ("GET", "/avvikelser/{deviation_id}"),
            ("GET", "/avvikelser/{deviation_id}/ivo.pdf"),
            ("POST", "/avvikelser/{deviation_id}/bedomning"),
            ("POST", "/avvikelser/{deviation_id}/utredning"),
            ("POST", "/avvikelser/{deviation_id}/ivo"),
            ("POST", "/avvikelser/{deviation_id}/atgarder"),
            ("POST", "/avvikelser/{deviation_id}/avsluta"),
            ("POST", "/avvikelser/atgarder/{action_id}/klar"),
        )
        for user in ("handlaggare", "arbetsledare")
    ),
    Route("POST", "/enhet/tidsmatning/{week_id}/stang", "arbetsledare", data={}),
    # A staff member's competence: another unit's worker is answered as one who is not there.
    *(
        Route(method, path, user, data={} if method == "POST" else None)
        for method, path in (
            ("GET", "/kompetens/personal/{username}"),
            ("POST", "/kompetens/personal/{username}"),
            ("POST", "/kompetens/personal/{username}/introduktion"),
            ("POST", "/kompetens/personal/{username}/introduktion/del"),
            ("POST", "/kompetens/personal/{username}/medundertecknare"),
        )
        for user in ("handlaggare", "arbetsledare")
    ),
]
API_ROUTES = [
    Route("GET", API + "/cases/{case_number}", query="?purpose=handl%C3%A4ggning"),
    Route("POST", API + "/cases/{case_number}/reassign", "arbetsledare", json={"staff_id": 1}),
    Route("POST", API + "/cases/{case_number}/reassign", "arbetsledare", json={}),
    *(
        Route("POST", f"{API}/cases/{{case_number}}/steps/{s.value}", json={})
        for s in Step
        if s is not Step.EXTEND_PRELIMINARY  # not in the API yet (issue 10, the steps' work)
    ),
    Route("POST", API + "/cases/{case_number}/steps/close", json={"closed_on": "2025-06-20"}),
    Route("GET", API + "/cases/{case_number}/journal", query="?purpose=handl%C3%A4ggning"),
    Route("POST", API + "/cases/{case_number}/journal", json={}),
    Route("PATCH", API + "/cases/{case_number}/journal/{id}", json={"text": "x"}),
    Route("DELETE", API + "/cases/{case_number}/journal/{id}", json={}),
    Route("POST", API + "/cases/{case_number}/journal/{id}/sign", json={}),
    Route("GET", API + "/cases/{case_number}/guardians", query="?purpose=handl%C3%A4ggning"),
    Route("GET", API + "/cases/{case_number}/decisions", query="?purpose=handl%C3%A4ggning"),
    Route("GET", API + "/cases/{case_number}/decisions/{decision_id}/letters/{party}"),
    Route("POST", API + "/cases/{case_number}/decisions/{decision_id}/told", json={}),
    Route("POST", API + "/cases/{case_number}/guardians", json={"first_name": "Lena"}),
    Route("PATCH", API + "/cases/{case_number}/guardians/{guardian_id}", json={}),
    Route("DELETE", API + "/cases/{case_number}/guardians/{guardian_id}", json={}),
    Route("POST", API + "/cases/{case_number}/documents", json={}),
    Route("GET", API + "/cases/{case_number}/plan", query="?purpose=utredning"),
    Route("POST", API + "/cases/{case_number}/plan", json={}),
    Route("PATCH", API + "/cases/{case_number}/plan/{item_id}", json={"text": "x"}),
    Route("DELETE", API + "/cases/{case_number}/plan/{item_id}", json={}),
    Route("GET", API + "/cases/{case_number}/communications", query="?purpose=utredning"),
    Route("POST", API + "/cases/{case_number}/communications", json={}),
    Route("POST", API + "/cases/{case_number}/communications/{communication_id}/answer", json={}),
    Route("GET", API + "/cases/{case_number}/documents", query="?purpose=utredning"),
    Route("GET", API + "/cases/{case_number}/voice", query="?purpose=utredning"),
    *(
        Route(method, API + path, user, json={"lex_sarah": False} if method == "POST" else None)
        for method, path in (
            ("GET", "/deviations/{deviation_id}"),
            ("POST", "/deviations/{deviation_id}/assess"),
        )
        for user in ("handlaggare", "arbetsledare")
    ),
    Route("GET", API + "/cases/{case_number}/documents/{document_id}", query="?purpose=utredning"),
    Route("GET", API + "/extracts/{request_id}", "arbetsledare", query="?purpose=registerutdrag"),
    Route(
        "PUT",
        API + "/extracts/{request_id}/decisions",
        "arbetsledare",
        json={"decisions": {}},
        query="?purpose=registerutdrag",
    ),
    Route(
        "GET", API + "/extracts/{request_id}/pdf", "arbetsledare", query="?purpose=registerutdrag"
    ),
]
ROUTES = DESK + API_ROUTES
# Team leads see their unit's protected children; they are asked about another unit's only.
HIDDEN = ["other_unit", "protected"]


def _login(client: TestClient, username: str) -> dict[str, str]:
    client.cookies.clear()
    login(client, username)
    return {CSRF_HEADER: token(client, "/sok")}


def _ask(world: World, route: Route, identifier: str, csrf: dict[str, str]) -> httpx.Response:
    path = route.path.replace("{case_number}", identifier).replace("{notice_id}", identifier)
    path = path.replace("{request_id}", identifier)
    path = path.replace("{entry_id}", "1").replace("{id}", "1")  # an entry of no case asked
    path = path.replace("{guardian_id}", "1").replace("{job_id}", "1")
    path = path.replace("{document_id}", "1")
    path = path.replace("{item_id}", "1").replace("{communication_id}", "1")
    path = path.replace("{decision_id}", "1").replace("{party}", "child")
    path = path.replace("{record_id}", "1").replace("{code}", identifier)
    path = path.replace("{deviation_id}", identifier).replace("{action_id}", identifier)
    path = path.replace("{week_id}", identifier)
    path = path.replace("{username}", identifier)
    url = path + route.query
    if route.data is not None:
        form = {**route.data, "csrf_token": csrf[CSRF_HEADER]}
        return world.client.request(route.method, url, data=form, follow_redirects=False)
    if route.json is not None:
        return world.client.request(
            route.method, url, json=route.json, headers=csrf, follow_redirects=False
        )
    return world.client.request(route.method, url, follow_redirects=False)


def _answer(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Return what must not depend on existence: status, body, headers (see the module doc)."""
    headers = []
    for name, value in response.headers.multi_items():
        if name == "date":
            continue
        if name == "set-cookie":
            cookie, _, attributes = value.partition(";")
            value = cookie.split("=", 1)[0] + ";" + attributes
        headers.append((name, value))
    return response.status_code, response.content, sorted(headers)


def _identifiers(world: World, route: Route) -> tuple[str, list[str]]:
    if "{notice_id}" in route.path:
        return MISSING_NOTICE, [world.other_notice]
    if "{request_id}" in route.path:
        return MISSING_REQUEST, [world.other_request]
    if "{deviation_id}" in route.path:  # another unit's, reported by another: not theirs
        return MISSING_NOTICE, [world.other_deviation]
    if "{action_id}" in route.path:
        return MISSING_NOTICE, [world.other_action]
    if "{week_id}" in route.path:  # another unit's week: as if there were none
        return MISSING_NOTICE, [world.other_week]
    if "{username}" in route.path:  # Väster's case worker, to Centrum's users
        return "finns-inte", ["annan"]
    hidden = [world.other_unit] if route.user == "arbetsledare" else []
    if route.user == "handlaggare":
        hidden = [world.other_unit, world.protected]
    return MISSING, hidden


def test_every_route_with_an_identifier_is_asked(world: World) -> None:
    """A new route that takes an identifier fails here until it is in ROUTES."""
    desk = world.client.app
    assert isinstance(desk, FastAPI)
    mounted = next(r for r in desk.routes if isinstance(r, Mount) and r.path == API)
    assert isinstance(mounted.app, FastAPI)
    declared = {
        (method, prefix + route.path.replace("{step}", step.value))
        for prefix, app in (("", desk), (API, mounted.app))
        for route in app.routes
        if isinstance(route, APIRoute) and "{" in route.path
        for method in route.methods
        for step in (Step if "{step}" in route.path else [Step.CLOSE])
    }
    assert declared - {(r.method, r.path) for r in ROUTES} == set()


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path} {r.user}" for r in ROUTES])
def test_a_hidden_case_is_answered_as_one_that_does_not_exist(world: World, route: Route) -> None:
    csrf = _login(world.client, route.user)
    missing, hidden = _identifiers(world, route)
    expected = _answer(_ask(world, route, missing, csrf))
    assert expected[0] in (404, 422), expected
    for identifier in hidden:
        answer = _answer(_ask(world, route, identifier, csrf))
        assert answer == expected, identifier
    body = expected[1].decode()
    for leaked in (str(world.other_case_id), str(world.protected_case_id), missing):
        assert f"Ärende {leaked}" not in body
        assert f"Ärendenummer {leaked}" not in body


def _entries(url: str, action: str, case_id: int) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.case_id == case_id)
        )
    engine.dispose()
    return count or 0


@pytest.mark.parametrize(
    "path",
    [
        "/arenden/{case_number}",
        API + "/cases/{case_number}?purpose=handl%C3%A4ggning",
        "/arenden/{case_number}/dokument/1",
        API + "/cases/{case_number}/documents/1?purpose=utredning",
        "/arenden/{case_number}/diktat/1",  # dictation: no record read, the refusal audited
    ],
)
@pytest.mark.parametrize("which", HIDDEN)
def test_a_refused_read_leaves_an_audit_entry(world: World, path: str, which: str) -> None:
    _login(world.client, "handlaggare")
    number = getattr(world, which)
    case_id = world.other_case_id if which == "other_unit" else world.protected_case_id
    before = _entries(world.url, "refused", case_id)
    response = world.client.get(path.replace("{case_number}", number))
    assert response.status_code == 404
    assert _entries(world.url, "refused", case_id) == before + 1
    assert _entries(world.url, "read", case_id) == 0  # nothing of the child was shown
