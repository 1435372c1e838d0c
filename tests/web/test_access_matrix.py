"""Every role against every route of the app, allowed or refused, on both dialects.

The routes are read from the app itself (the desk, the static files and the mounted API), so
a new route without an entry in ROUTES fails `test_every_route_has_an_entry`. Each request is
sent with the session's CSRF token and empty or minimal input: an allowed request then ends
in a page, a redirect, a validation answer (422) or a conflict (409); a refused one in a login
redirect (401 for the API), 403, or 404 where the service hides another unit's case or a
protected child's case from a case worker who is not named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from barnskydd.cases import chain
from barnskydd.cases.chain.inputs import RefuseIntervention
from barnskydd.cases.codes import InterventionCategory, JournalKind
from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd
from barnskydd.cases.communication.models import Recipient
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case, FollowUp
from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd
from barnskydd.cases.plan.models import PlanItemKind
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import Mode, Settings
from barnskydd.deviations import service as deviations
from barnskydd.deviations.codes import Assessment, DeviationKind
from barnskydd.deviations.schemas import ActionCreate, DeviationCreate, InvestigationUpdate
from barnskydd.dictation.models import DictationJob, JobStatus
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import Requester
from barnskydd.lookup.models import LookupNotice
from barnskydd.people.codes import ProtectedIdentity, Relation
from barnskydd.people.models import Guardian
from barnskydd.people.rules import parse_identity
from barnskydd.staff import service as staff
from barnskydd.voice.codes import VoiceContext, VoiceMode, VoiceStatus
from barnskydd.voice.itemset import CURRENT
from barnskydd.voice.models import ChildVoiceRecord
from barnskydd.web.app import create_app
from barnskydd.workload import measurement
from tests.documents import samples
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token
from tests.web.test_pages import register, step

Outcome = str | int  # "ok", "login", "denied", "hidden", or an exact status code
ROLES = ("handlaggare", "annan", "arbetsledare", "analytiker", "admin", "anonym")
PASSWORDS = {"annan": OTHER_PASSWORD}


def _policy(*outcomes: Outcome) -> dict[str, Outcome]:
    return dict(zip(ROLES, outcomes, strict=True))


#                  same unit  other unit  team lead  analyst   admin  anonymous
PUBLIC = _policy("ok", "ok", "ok", "ok", "ok", "ok")
LOGGED_IN = _policy("ok", "ok", "ok", "ok", "ok", "login")
HANDLER = _policy("ok", "ok", "ok", "denied", "ok", "login")
CASE = _policy("ok", "hidden", "ok", "denied", "ok", "login")
TEAM = _policy("denied", "denied", "ok", "denied", "ok", "login")
READERS = _policy("denied", "denied", "ok", "ok", "ok", "login")
NOBODY = _policy("hidden", "hidden", "hidden", "hidden", "hidden", "hidden")
LOGIN_FORM = _policy(401, 401, 401, 401, 401, 401)  # a wrong password, answered to anyone
LOGOUT = _policy("login", "login", "login", "login", "login", "login")  # ends at the login page
# Autosave answers an ended session with 401 (the page keeps the input and says so).
DRAFT = _policy("ok", "ok", "ok", "denied", "ok", 401)
DRAFT_CASE = _policy("ok", "hidden", "ok", "denied", "ok", 401)
# The national service is not configured in tests: an allowed lookup is audited, then 503.
LOOKUP = _policy(503, "hidden", 503, "denied", "denied", "login")
# Deviations (the one asked is a serious Lex Sarah report of the case worker's, in Centrum):
# its reporter and owners read it, the unit's team lead and the admin handle it, the Lex Sarah
# role (and the admin) investigate; the municipality's lists are the Lex Sarah role's.
DEVIATION = _policy("ok", "hidden", "ok", "hidden", "ok", "login")
DEVIATION_OWNER = _policy("denied", "hidden", "ok", "hidden", "ok", "login")
DEVIATION_LEX_SARAH = _policy("denied", "hidden", "denied", "hidden", "ok", "login")
OWN_LOAD = _policy("ok", "ok", "ok", "denied", "denied", "login")
WORKLOAD_PREFIXES = ("/enhet/belastning", "/enhet/tidsmatning", "/min-belastning")
MUNICIPALITY = _policy("denied", "denied", "denied", "denied", "ok", "login")
# A dictation is its author's alone (the case worker's here): anyone else is told it is not there.
DICTATION_JOB = _policy("ok", "hidden", "hidden", "denied", "hidden", "login")

# (method, path) -> who may; a path with {case_number} also runs against a protected child's
# case, where the same-unit case worker (not named, not assigned) is refused as "hidden".
ROUTES: dict[tuple[str, str], dict[str, Outcome]] = {
    ("GET", "/static/{path}"): PUBLIC,
    ("GET", "/logga-in"): PUBLIC,
    ("POST", "/logga-in"): LOGIN_FORM,
    ("POST", "/logga-ut"): LOGOUT,
    ("GET", "/"): LOGGED_IN,
    ("GET", "/anmalan/ny"): HANDLER,
    ("POST", "/anmalan/ny"): HANDLER,
    ("POST", "/anmalan/kontrollera-id"): HANDLER,
    ("GET", "/arenden/{case_number}"): CASE,
    ("POST", "/arenden/{case_number}/steg/{step}"): CASE,
    ("POST", "/anmalan/ny/utkast"): DRAFT,
    ("POST", "/anmalan/ny/utkast/radera"): HANDLER,
    ("POST", "/arenden/{case_number}/steg/{step}/utkast"): DRAFT_CASE,
    ("POST", "/arenden/{case_number}/steg/{step}/utkast/radera"): CASE,
    ("POST", "/arenden/{case_number}/journal"): CASE,
    ("POST", "/arenden/{case_number}/journal/{entry_id}/signera"): CASE,
    ("POST", "/arenden/{case_number}/journal/{entry_id}/radera"): CASE,
    ("POST", "/arenden/{case_number}/journal/utkast"): DRAFT_CASE,
    ("POST", "/arenden/{case_number}/journal/utkast/radera"): CASE,
    ("GET", "/diktat/status"): LOGGED_IN,
    ("GET", "/arenden/{case_number}/diktat"): CASE,
    ("POST", "/arenden/{case_number}/diktat"): CASE,
    ("GET", "/arenden/{case_number}/diktat/{job_id}"): DICTATION_JOB,
    ("GET", "/arenden/{case_number}/diktat/{job_id}/ljud"): DICTATION_JOB,
    ("POST", "/arenden/{case_number}/diktat/{job_id}/godta"): DICTATION_JOB,
    ("POST", "/arenden/{case_number}/diktat/{job_id}/kasta"): DICTATION_JOB,
    ("GET", "/arenden/{case_number}/aterkoppling"): CASE,
    ("GET", "/arenden/{case_number}/aterkoppling.pdf"): CASE,
    ("POST", "/arenden/{case_number}/aterkoppling"): CASE,
    ("POST", "/arenden/{case_number}/aterkoppling/begaran"): CASE,
    ("POST", "/arenden/{case_number}/riksuppslag"): LOOKUP,
    ("POST", "/arenden/{case_number}/vardnadshavare"): CASE,
    ("POST", "/arenden/{case_number}/vardnadshavare/{guardian_id}"): CASE,
    ("POST", "/arenden/{case_number}/vardnadshavare/{guardian_id}/ta-bort"): CASE,
    ("POST", "/arenden/{case_number}/utredningsplan"): CASE,
    ("POST", "/arenden/{case_number}/utredningsplan/{item_id}"): CASE,
    ("POST", "/arenden/{case_number}/utredningsplan/{item_id}/ta-bort"): CASE,
    ("POST", "/arenden/{case_number}/kommunicering"): CASE,
    ("POST", "/arenden/{case_number}/kommunicering/{communication_id}/svar"): CASE,
    ("GET", "/arenden/{case_number}/beslut/{decision_id}/brev/{party}"): CASE,
    ("GET", "/arenden/{case_number}/beslut/{decision_id}/brev/{party}/pdf"): CASE,
    ("POST", "/arenden/{case_number}/beslut/{decision_id}/delgivning"): CASE,
    ("GET", "/api/v1/cases/{case_number}/decisions"): CASE,
    ("GET", "/api/v1/cases/{case_number}/decisions/{decision_id}/letters/{party}"): CASE,
    ("POST", "/api/v1/cases/{case_number}/decisions/{decision_id}/told"): CASE,
    ("GET", "/api/v1/cases/{case_number}/guardians"): CASE,
    ("POST", "/api/v1/cases/{case_number}/guardians"): CASE,
    ("PATCH", "/api/v1/cases/{case_number}/guardians/{guardian_id}"): CASE,
    ("DELETE", "/api/v1/cases/{case_number}/guardians/{guardian_id}"): CASE,
    ("GET", "/sok"): HANDLER,
    ("POST", "/sok"): HANDLER,
    ("GET", "/enhet"): TEAM,
    ("GET", "/aviseringar"): TEAM,
    ("GET", "/aviseringar/{notice_id}"): TEAM,
    ("POST", "/arenden/{case_number}/omfordela"): TEAM,
    ("POST", "/arenden/{case_number}/atkomst"): TEAM,
    ("POST", "/arenden/{case_number}/atkomst/ta-bort"): TEAM,
    ("POST", "/arenden/{case_number}/dokument"): CASE,
    ("GET", "/arenden/{case_number}/dokument/{document_id}"): CASE,
    ("POST", "/api/v1/cases/{case_number}/documents"): CASE,
    ("GET", "/api/v1/cases/{case_number}/documents"): CASE,
    ("GET", "/api/v1/cases/{case_number}/documents/{document_id}"): CASE,
    ("GET", "/registerutdrag"): TEAM,
    ("POST", "/registerutdrag"): TEAM,
    ("GET", "/registerutdrag/{request_id}"): TEAM,
    ("POST", "/registerutdrag/{request_id}/granskning"): TEAM,
    ("GET", "/registerutdrag/{request_id}/utdrag.pdf"): TEAM,
    ("GET", "/api/v1/extracts"): TEAM,
    ("POST", "/api/v1/extracts"): TEAM,
    ("GET", "/api/v1/extracts/{request_id}"): TEAM,
    ("PUT", "/api/v1/extracts/{request_id}/decisions"): TEAM,
    ("GET", "/api/v1/extracts/{request_id}/pdf"): TEAM,
    ("POST", "/api/v1/extracts/{request_id}/extension"): TEAM,
    ("POST", "/registerutdrag/{request_id}/forlangning"): TEAM,
    ("POST", "/arenden/{case_number}/rost/{record_id}/barnlage"): CASE,
    ("POST", "/arenden/{case_number}/rost/{record_id}/lank"): CASE,
    ("GET", "/arenden/{case_number}/rost/{record_id}/svar"): CASE,
    ("POST", "/arenden/{case_number}/rost/{record_id}/svar"): CASE,
    # Child mode answers only the session a worker handed over: to anyone else, 404.
    ("GET", "/rost/barnlage"): NOBODY,
    ("POST", "/rost/barnlage"): NOBODY,
    # A one-time link needs no login; a code that is not waiting is 404 to everyone.
    ("GET", "/rost/l/{code}"): NOBODY,
    ("POST", "/rost/l/{code}"): NOBODY,
    ("GET", "/rost/statistik"): READERS,
    # Competence: one's own, the team lead's unit, the admin's all; the rest is 404 (not there).
    ("GET", "/kompetens"): LOGGED_IN,
    ("GET", "/kompetens/personal/{username}"): _policy(
        "ok", "hidden", "ok", "hidden", "ok", "login"
    ),
    **{
        ("POST", f"/kompetens/personal/{{username}}{tail}"): _policy(
            "hidden", "hidden", "ok", "hidden", "ok", "login"
        )
        for tail in ("", "/introduktion", "/introduktion/del", "/medundertecknare")
    },
    # Only the co-signer named may confirm (tests/web/test_competence.py): a co-signature
    # that awaits no one is not there for anyone logged in.
    ("POST", "/kompetens/medundertecknande/{signature_id}"): _policy(
        "hidden", "hidden", "hidden", "hidden", "hidden", "login"
    ),
    ("GET", "/kompetens/oppna-jamforelser"): READERS,
    ("GET", "/kompetens/oppna-jamforelser.csv"): READERS,
    ("GET", "/statistik/kommun"): READERS,
    ("GET", "/statistik/kommun.csv"): READERS,
    ("GET", "/statistik/kommun.xlsx"): READERS,
    ("GET", "/avvikelser"): LOGGED_IN,
    ("GET", "/avvikelser/ny"): LOGGED_IN,
    ("POST", "/avvikelser/ny"): LOGGED_IN,
    ("GET", "/avvikelser/larande"): _policy("denied", "denied", "ok", "ok", "ok", "login"),
    ("GET", "/avvikelser/34-kap"): MUNICIPALITY,
    ("POST", "/avvikelser/34-kap"): MUNICIPALITY,
    ("GET", "/avvikelser/34-kap.csv"): MUNICIPALITY,
    ("GET", "/avvikelser/34-kap.pdf"): MUNICIPALITY,
    ("GET", "/avvikelser/{deviation_id}"): DEVIATION,
    ("GET", "/avvikelser/{deviation_id}/ivo.pdf"): DEVIATION_LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/bedomning"): DEVIATION_OWNER,
    ("POST", "/avvikelser/{deviation_id}/utredning"): DEVIATION_LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/ivo"): DEVIATION_LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/atgarder"): DEVIATION_OWNER,
    ("POST", "/avvikelser/{deviation_id}/avsluta"): DEVIATION_OWNER,
    # The action is the team lead's own.
    ("POST", "/avvikelser/atgarder/{action_id}/klar"): _policy(
        "hidden", "hidden", "ok", "hidden", "ok", "login"
    ),
    # Workload (issue 15): per worker only for the unit's team lead and the admin; a worker
    # rates their own month and records their own time (admins have no load of their own).
    ("GET", "/enhet/belastning"): TEAM,
    ("GET", "/enhet/tidsmatning"): TEAM,
    ("POST", "/enhet/tidsmatning"): TEAM,
    ("POST", "/enhet/tidsmatning/{week_id}/stang"): TEAM,
    ("GET", "/min-belastning"): OWN_LOAD,
    ("POST", "/min-belastning"): OWN_LOAD,
    ("POST", "/min-belastning/tid"): OWN_LOAD,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("POST", "/api/v1/session"): PUBLIC,
    ("GET", "/api/v1/session"): LOGGED_IN,
    ("DELETE", "/api/v1/session"): LOGGED_IN,
    ("GET", "/api/v1/inbox"): HANDLER,
    ("POST", "/api/v1/reports"): HANDLER,
    ("GET", "/api/v1/cases/{case_number}"): CASE,
    ("POST", "/api/v1/cases/{case_number}/reassign"): _policy(
        "denied", "hidden", "ok", "denied", "ok", "login"
    ),
    # The entry in the path is signed: an allowed change is a conflict (409, the desk's 422).
    ("GET", "/api/v1/cases/{case_number}/journal"): CASE,
    ("POST", "/api/v1/cases/{case_number}/journal"): CASE,
    ("PATCH", "/api/v1/cases/{case_number}/journal/{id}"): CASE,
    ("DELETE", "/api/v1/cases/{case_number}/journal/{id}"): CASE,
    ("POST", "/api/v1/cases/{case_number}/journal/{id}/sign"): CASE,
    ("GET", "/api/v1/cases/{case_number}/plan"): CASE,
    ("POST", "/api/v1/cases/{case_number}/plan"): CASE,
    ("PATCH", "/api/v1/cases/{case_number}/plan/{item_id}"): CASE,
    ("DELETE", "/api/v1/cases/{case_number}/plan/{item_id}"): CASE,
    ("GET", "/api/v1/cases/{case_number}/communications"): CASE,
    ("GET", "/api/v1/cases/{case_number}/voice"): CASE,
    # Competence as on the desk: one's own, the team lead's unit, the admin's all; the rest 404.
    ("GET", "/api/v1/staff/{username}/competence"): _policy(
        "ok", "hidden", "ok", "hidden", "ok", "login"
    ),
    **{
        (method, f"/api/v1/staff/{{username}}{tail}"): _policy(
            "hidden", "hidden", "ok", "hidden", "ok", "login"
        )
        for method, tail in (
            ("PATCH", "/competence"),
            ("POST", "/competence/introduction"),
            ("POST", "/competence/introduction/items"),
            ("POST", "/competence/co-signers"),
            ("PATCH", "/employment"),
        )
    },
    ("GET", "/api/v1/co-signatures"): LOGGED_IN,
    ("POST", "/api/v1/co-signatures/{signature_id}/confirm"): _policy(
        "hidden", "hidden", "hidden", "hidden", "hidden", "login"
    ),
    ("GET", "/api/v1/deviations"): LOGGED_IN,
    ("POST", "/api/v1/deviations"): LOGGED_IN,
    ("GET", "/api/v1/deviations/{deviation_id}"): DEVIATION,
    ("POST", "/api/v1/deviations/{deviation_id}/assess"): DEVIATION_OWNER,
    ("POST", "/api/v1/cases/{case_number}/communications"): CASE,
    ("POST", "/api/v1/cases/{case_number}/communications/{communication_id}/answer"): CASE,
    **{
        ("POST", f"/api/v1/cases/{{case_number}}/steps/{step}"): CASE
        for step in (
            "assess_protection",
            "decide_preliminary",
            "offer_early_help",
            "give_early_help",
            "extend_preliminary",
            "record_bbic",
            "extend_investigation",
            "decide_intervention",
            "refuse_intervention",
            "complete_investigation",
            "end_intervention",
            "follow_up",
            "review_placement",
            "close",
        )
    },
}
# Where the plain case's outcome does not carry over to the protected child's case.
PROTECTED = {
    # The API loads the case (404 for a worker not named) before the service checks the role.
    ("POST", "/api/v1/cases/{case_number}/reassign"): _policy(
        "hidden", "hidden", "ok", "denied", "ok", "login"
    ),
}
LOGOUTS = {("POST", "/logga-ut"), ("DELETE", "/api/v1/session")}  # sent last, logged in again
# Valid input where a route validates before it authorises, so the role check is reached.
QUERIES = {
    "/api/v1/cases/{case_number}": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/journal": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/plan": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/communications": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/voice": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/guardians": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/decisions": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/documents": {"purpose": "handläggning"},
    "/api/v1/cases/{case_number}/documents/{document_id}": {"purpose": "handläggning"},
    "/api/v1/extracts/{request_id}": {"purpose": "registerutdrag"},
    "/api/v1/extracts/{request_id}/decisions": {"purpose": "registerutdrag"},
    "/api/v1/extracts/{request_id}/pdf": {"purpose": "registerutdrag"},
}
FORMS = {
    "/logga-in": {"username": "okand-{role}", "password": "fel"},  # one each: no lock-out
    "/arenden/{case_number}/riksuppslag": {"purpose": "forhandsbedomning"},
}
BODIES = {
    "/api/v1/cases/{case_number}/reassign": {"staff_id": 2},  # to the team lead
    "/api/v1/deviations/{deviation_id}/assess": {"lex_sarah": True},  # assessed already: 409
    # Competence edits that pass the access check and are then refused (422): nothing changes.
    "/api/v1/staff/{username}/competence": {"degree": "other_relevant"},  # which degree?
    "/api/v1/staff/{username}/competence/introduction": {
        "started_on": "2025-01-10",
        "planned_end": "2025-01-01",
    },
    "/api/v1/staff/{username}/competence/introduction/items": {
        "item": "finns-inte",
        "completed_on": "2025-01-01",
    },
    "/api/v1/staff/{username}/competence/co-signers": {"co_signer": "finns-inte"},
    "/api/v1/staff/{username}/employment": {"start_on": "2025-01-02", "end_on": "2025-01-01"},
}
REFUSED = {"login", "denied", "hidden", 401}


def _routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield (method, path) for every route, descending into mounted apps."""
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            yield "GET", f"{prefix}{route.path}/{{path}}"
        elif isinstance(route, Mount):
            yield from _routes(getattr(route.app, "routes", []), prefix + route.path)
        else:
            for method in sorted((context.methods or set()) - {"HEAD"}):
                yield method, f"{prefix}{context.path}"


def test_every_route_has_an_entry() -> None:
    app = create_app(Settings(mode=Mode.DEMO, database_url="sqlite:///:memory:"))
    routes = set(_routes(app.routes))
    assert sorted(routes - ROUTES.keys()) == [], "routes without an entry in ROUTES"
    assert sorted(ROUTES.keys() - routes) == [], "entries for routes that no longer exist"


def test_no_workload_route_ranks_or_exports_per_person() -> None:
    """The workload pages are HTML for the team lead; no download, no sorting by load."""
    workload_routes = [k for k in ROUTES if k[1].startswith(WORKLOAD_PREFIXES)]
    assert len(workload_routes) == 7
    for method, path in workload_routes:
        assert not path.endswith((".csv", ".xlsx", ".json", ".pdf")), path
        assert "export" not in path, path
        if method == "GET" and path.startswith("/enhet/"):
            assert ROUTES[method, path] is TEAM, path


def _outcome(path: str, response: Any) -> Outcome:
    status: int = response.status_code
    location = response.headers.get("location", "")
    if (status == 303 and location.startswith("/logga-in")) or (
        status == 401 and path.startswith("/api/")
    ):
        return "login"
    if status == 403:
        return "denied"
    if status == 404:
        return "hidden"
    if status < 400 or status in (409, 422):  # past the checks: a conflict or a form error
        return "ok"
    return status


def _client(client: TestClient, role: str) -> str:
    """Log the client in as the role (or leave it anonymous); return its CSRF token."""
    client.cookies.clear()
    if role == "anonym":
        return token(client, "/logga-in")
    login(client, role, PASSWORDS.get(role, "demo"))
    return token(client, "/")


def _request(
    client: TestClient, method: str, template: str, values: dict[str, str], csrf: str
) -> Any:
    path = template.format(**values)
    headers = {"X-CSRF-Token": csrf}
    query = QUERIES.get(template)
    if template.startswith("/api/"):
        body = BODIES.get(template, {}) if method in ("POST", "PATCH") else None
        return client.request(method, path, params=query, json=body, headers=headers)
    if method == "GET":
        return client.get(path, params=query, follow_redirects=False)
    data = {k: v.format(**values) for k, v in FORMS.get(template, {}).items()}
    return client.request(method, path, data=data, headers=headers, follow_redirects=False)


def _protect(settings: Settings, number: str) -> None:
    """Give the case's child skyddad folkbokföring and leave the case unassigned."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        case.child.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
        case.assigned_to_id = None
    engine.dispose()


def _notice(settings: Settings, number: str) -> int:
    """Store a notice that another municipality looked up the case's child; return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        notice = LookupNotice(
            notification_id=1,
            child_id=case.child_id,
            asking_municipality="0180",
            asked_by="Handläggare i Stockholm",
            contact="Barn och unga Norrmalm",
            purpose="Förhandsbedömning",
            asked_at=utcnow(),
            received_at=utcnow(),
        )
        session.add(notice)
        session.flush()
        notice_id = notice.id
    engine.dispose()
    return notice_id


def _signed_entry(settings: Settings, number: str) -> str:
    """Add a signed journal entry to the case (by its case worker); return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        data = JournalAdd(
            kind=JournalKind.OTHER, at=utcnow(), minutes=5, text="Syntetisk anteckning."
        )
        entry = journal.create(session, actor=worker, case=case, data=data)
        journal.sign(session, actor=worker, case=case, entry_id=entry.id)
        entry_id = str(entry.id)
    engine.dispose()
    return entry_id


def _guardian(settings: Settings, number: str) -> int:
    """Record a guardian of the case's child; return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        guardian = Guardian(
            child_id=case.child_id,
            first_name="Lena",
            last_name="Lind",
            relation=Relation.MOTHER,
            custody=False,
            updated_by="test",
        )
        session.add(guardian)
        session.flush()
        guardian_id = guardian.id
    engine.dispose()
    return guardian_id


def _plan_item(settings: Settings, number: str) -> int:
    """Add a question to the case's investigation plan (by the admin); return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        worker = staff.actor_for(staff.get_by_username(session, username="admin"))
        data = PlanAdd(kind=PlanItemKind.QUESTION, text="Syntetisk fråga?")
        item_id = plan.add(session, actor=worker, case=case, data=data).id
    engine.dispose()
    return item_id


def _communication(settings: Settings, number: str) -> str:
    """Record a communication to the case's guardian (by its case worker); return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        sent_on = dt.datetime.now(SWEDEN).date()
        data = CommunicationAdd(
            recipient_kind=Recipient.GUARDIAN,
            recipient="Lena Lind",
            material="Utredningen.",
            sent_on=sent_on,
            answer_by=sent_on + dt.timedelta(days=14),
        )
        item_id = str(communication.add(session, actor=worker, case=case, data=data).id)
    engine.dispose()
    return item_id


def _refusal(settings: Settings, number: str) -> tuple[str, str]:
    """Refuse an application in the case, its mother a custodian; return decision and party."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        mother = Guardian(
            child_id=case.child_id,
            first_name="Mona",
            last_name="Lind",
            relation=Relation.MOTHER,
            custody=True,
            updated_by="test",
        )
        session.add(mother)
        session.flush()
        today = dt.datetime.now(SWEDEN).date()
        data = RefuseIntervention(
            category=InterventionCategory.OPEN_CARE,
            applied_on=today,
            decided_on=today,
            reason="Syntetiskt avslag.",
        )
        decision = chain.take(session, actor=worker, case=case, data=data).record
        found = (str(decision.id), f"guardian:{mother.id}")
    engine.dispose()
    return found


def _extract_request(settings: Settings) -> str:
    """Register a request for an extract about the first child, by the unit's team lead."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        lead = staff.actor_for(staff.get_by_username(session, username="arbetsledare"))
        request = extracts.create(
            session,
            actor=lead,
            identity=parse_identity("20150916-9874"),
            received_on=dt.date.today(),
            requester=Requester.SELF,
            today=dt.date.today(),
        )
        request_id = str(request.id)
    engine.dispose()
    return request_id


def _voice_record(settings: Settings, number: str) -> int:
    """Record a follow-up whose child answers with the worker reading aloud; return its id."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        follow_up = FollowUp(case_id=case.id, followed_up_on=dt.date.today(), recorded_by="test")
        session.add(follow_up)
        session.flush()
        record = ChildVoiceRecord(
            case_id=case.id,
            follow_up_id=follow_up.id,
            taken_on=follow_up.followed_up_on,
            context=VoiceContext.INTERVENTION_FOLLOW_UP,
            status=VoiceStatus.ANSWERED,
            mode=VoiceMode.READ_ALOUD,
            band="8-12",
            item_set_version=CURRENT,
            recorded_by="test",
        )
        session.add(record)
        session.flush()
        record_id = record.id
    engine.dispose()
    return record_id


def _dictation_job(settings: Settings, number: str) -> int:
    """Queue a recording of the case worker's in the case (a few bytes: never transcribed)."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        job = DictationJob(
            case_id=case.id,
            field="journal-text",
            author="handlaggare",
            status=JobStatus.QUEUED,
            audio=b"OggS",
            audio_type="ogg",
            seconds=1.0,
            expires_at=utcnow() + dt.timedelta(days=1),
        )
        session.add(job)
        session.flush()
        job_id = job.id
    engine.dispose()
    return job_id


def _decide(client: TestClient, number: str) -> None:
    """Take the case to an investigation, so that every route (the letter too) has a subject."""
    now = dt.datetime.now(SWEDEN)
    for name, fields in (
        (
            "assess_protection",
            {"assessed_at": now.strftime("%Y-%m-%dT%H:%M"), "immediate_protection_needed": "nej"},
        ),
        (
            "decide_preliminary",
            {"decided_on": now.date().isoformat(), "outcome": "investigation_opened"},
        ),
    ):
        assert step(client, number, name, **fields).status_code == 200


def _upload(client: TestClient, number: str) -> str:
    """Upload a PDF to the case on the desk and return its document id."""
    response = client.post(
        f"/arenden/{number}/dokument",
        data={"csrf_token": token(client, f"/arenden/{number}"), "title": "Intyg"},
        files={"file": ("intyg.pdf", samples.pdf(), "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(f"/arenden/{number}").text
    return page.split(f'href="/arenden/{number}/dokument/', 1)[1].split('"', 1)[0]


def _deviation(settings: Settings, number: str) -> tuple[str, str]:
    """File the case worker's Lex Sarah report on the case, assessed serious, with an action."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        admin = staff.actor_for(staff.get_by_username(session, username="admin"))
        assert worker.unit_id is not None
        deviation = deviations.create(
            session,
            actor=worker,
            data=DeviationCreate(
                what_happened="Syntetisk händelse.",
                occurred_on=dt.date.today(),
                unit_id=worker.unit_id,
                kind=DeviationKind.LEX_SARAH_REPORT,
                case_number=number,
                immediate_measures="Syntetisk åtgärd.",
                immediate_measures_at=utcnow(),
            ),
        )
        deviations.triage(session, actor=admin, deviation_id=deviation.id, lex_sarah=True)
        answers = InvestigationUpdate(
            what_happened="a", why="b", prevention="c", assessment=Assessment.SERIOUS
        )
        deviations.investigate(session, actor=admin, deviation_id=deviation.id, data=answers)
        action = deviations.add_action(
            session,
            actor=admin,
            deviation_id=deviation.id,
            data=ActionCreate(description="Syntetisk.", owner_id=2, due_on=dt.date.today()),
        )
        ids = str(deviation.id), str(action.id)
    engine.dispose()
    return ids


def _week(settings: Settings) -> int:
    """Return Centrum's open measurement week, opening one (as the admin) if there is none."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        admin = staff.actor_for(staff.get_by_username(session, username="admin"))
        lead = staff.get_by_username(session, username="arbetsledare")
        assert lead.unit_id is not None
        today = dt.date.today()
        week = measurement.current_week(session, unit_id=lead.unit_id, today=today)
        if week is None:
            week = measurement.open_week(
                session, actor=admin, unit_id=lead.unit_id, starts_on=today, today=today
            )
        week_id = week.id
    engine.dispose()
    return week_id


def _expected(key: tuple[str, str], role: str, kind: str) -> Outcome:
    if kind == "protected" and key in PROTECTED:
        return PROTECTED[key][role]
    expected = ROUTES[key][role]
    if kind == "protected" and role == "handlaggare" and expected not in REFUSED:
        return "hidden"  # not named for the child and not assigned the case
    return expected


def test_every_role_against_every_route(client: TestClient, settings: Settings) -> None:
    login(client, "handlaggare")
    cases = {
        "plain": register(client),
        "protected": register(client, child_identity="20120512-9271", child_first_name="Elis"),
    }
    for number in cases.values():
        _decide(client, number)
    entries = {kind: _signed_entry(settings, number) for kind, number in cases.items()}
    # A refusal waits for a communication's answer (FL 25 §): refuse before communicating.
    refusals = {kind: _refusal(settings, number) for kind, number in cases.items()}
    sent = {kind: _communication(settings, number) for kind, number in cases.items()}
    documents = {kind: _upload(client, number) for kind, number in cases.items()}
    _protect(settings, cases["protected"])
    notice_id = str(_notice(settings, cases["plain"]))
    request_id = _extract_request(settings)
    deviation_id, action_id = _deviation(settings, cases["plain"])
    ordered = sorted(ROUTES, key=lambda key: (key in LOGOUTS, key))
    wrong: list[str] = []
    for role in ROLES:
        csrf = _client(client, role)
        for method, template in ordered:
            kinds = ("plain", "protected") if "{case_number}" in template else ("plain",)
            for kind in kinds:
                if (method, template) in LOGOUTS or role == "anonym":
                    csrf = _client(client, role)
                values = {"case_number": cases[kind], "step": "assess_protection", "role": role}
                values["path"] = "style.css"
                values["notice_id"] = notice_id
                values["request_id"] = request_id
                values["deviation_id"], values["action_id"] = deviation_id, action_id
                values["entry_id"] = values["id"] = entries[kind]
                if "{guardian_id}" in template:  # a fresh one: a removal takes it away
                    values["guardian_id"] = str(_guardian(settings, cases[kind]))
                values["document_id"] = documents[kind]
                values["communication_id"] = sent[kind]
                if "{item_id}" in template:  # a fresh one: a removal takes it away
                    values["item_id"] = str(_plan_item(settings, cases[kind]))
                values["decision_id"], values["party"] = refusals[kind]
                values["code"] = "finns-inte"
                values["signature_id"] = "999999"  # awaits no one: nobody may confirm it
                if "{week_id}" in template:  # the open one, or a fresh one: closing ends it
                    values["week_id"] = str(_week(settings))
                values["username"] = "handlaggare"  # Centrum's case worker
                if "{job_id}" in template:  # a fresh one: a discard closes it
                    values["job_id"] = str(_dictation_job(settings, cases[kind]))
                if "{record_id}" in template:  # a fresh one: answering it uses it up
                    values["record_id"] = str(_voice_record(settings, cases[kind]))
                response = _request(client, method, template, values, csrf)
                got = _outcome(template, response)
                expected = _expected((method, template), role, kind)
                if got != expected:
                    wrong.append(f"{role:12} {method:6} {template} ({kind}): {got}, not {expected}")
    assert wrong == [], "\n" + "\n".join(wrong)
