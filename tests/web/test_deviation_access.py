"""Every role against every deviation route, the Lex Sarah role included (issue 14 item 7).

The app-wide matrix (test_access_matrix.py) has no column for the municipality's `lex_sarah`
role and asks about one deviation; this one runs every route under /avvikelser and
/api/v1/deviations for every role, on a serious Lex Sarah deviation linked to an ordinary
case and on one linked to a protected child's case (skyddad folkbokföring, the reporting
case worker no longer assigned nor named). Anyone reports; the unit's team lead assesses;
the Lex Sarah role (and the admin) investigates, reports to IVO and makes the 34 kap. list.
The protected child's case number, name and identity number reach only those who may read
that case (its unit's team lead, the admin), on no deviation route.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from barnskydd.core.settings import Mode, Settings
from barnskydd.web.app import create_app
from tests.web.conftest import LEX_SARAH_PASSWORD, OTHER_PASSWORD, TestClient, login, token
from tests.web.test_access_matrix import (
    Outcome,
    _decide,
    _deviation,
    _outcome,
    _protect,
    _request,
    _routes,
)
from tests.web.test_pages import register

ROLES = ("handlaggare", "annan", "arbetsledare", "analytiker", "admin", "lexsarah", "anonym")
PASSWORDS = {"annan": OTHER_PASSWORD, "lexsarah": LEX_SARAH_PASSWORD}
PREFIXES = ("/avvikelser", "/api/v1/deviations")
PROTECTED_CHILD = ("20120512-9271", "201205129271", "Elis")


def _policy(*outcomes: Outcome) -> dict[str, Outcome]:
    return dict(zip(ROLES, outcomes, strict=True))


#                   reporter  other unit  team lead  analyst   admin  lex Sarah  anonymous
LOGGED_IN = _policy("ok", "ok", "ok", "ok", "ok", "ok", "login")
READERS = _policy("denied", "denied", "ok", "ok", "ok", "ok", "login")
MUNICIPALITY = _policy("denied", "denied", "denied", "denied", "ok", "ok", "login")
DEVIATION = _policy("ok", "hidden", "ok", "hidden", "ok", "ok", "login")
OWNER = _policy("denied", "hidden", "ok", "hidden", "ok", "ok", "login")
LEX_SARAH = _policy("denied", "hidden", "denied", "hidden", "ok", "ok", "login")
# The action is the team lead's: its owner and the deviation's owners mark it done.
ACTION = _policy("hidden", "hidden", "ok", "hidden", "ok", "ok", "login")

ROUTES: dict[tuple[str, str], dict[str, Outcome]] = {
    ("GET", "/avvikelser"): LOGGED_IN,
    ("GET", "/avvikelser/ny"): LOGGED_IN,
    ("POST", "/avvikelser/ny"): LOGGED_IN,
    ("GET", "/avvikelser/larande"): READERS,
    ("GET", "/avvikelser/34-kap"): MUNICIPALITY,
    ("POST", "/avvikelser/34-kap"): MUNICIPALITY,
    ("GET", "/avvikelser/34-kap.csv"): MUNICIPALITY,
    ("GET", "/avvikelser/34-kap.pdf"): MUNICIPALITY,
    ("GET", "/avvikelser/{deviation_id}"): DEVIATION,
    ("GET", "/avvikelser/{deviation_id}/ivo.pdf"): LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/bedomning"): OWNER,
    ("POST", "/avvikelser/{deviation_id}/utredning"): LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/ivo"): LEX_SARAH,
    ("POST", "/avvikelser/{deviation_id}/atgarder"): OWNER,
    ("POST", "/avvikelser/{deviation_id}/avsluta"): OWNER,
    ("POST", "/avvikelser/atgarder/{action_id}/klar"): ACTION,
    ("GET", "/api/v1/deviations"): LOGGED_IN,
    ("POST", "/api/v1/deviations"): LOGGED_IN,
    ("GET", "/api/v1/deviations/{deviation_id}"): DEVIATION,
    ("POST", "/api/v1/deviations/{deviation_id}/assess"): OWNER,
}
# Who may read the linked case, and so see its number: not the reporter once the child is
# protected and the case unassigned, not the Lex Sarah role (no unit: it reads no case).
SEES_CASE = {
    "plain": {"handlaggare", "arbetsledare", "admin"},
    "protected": {"arbetsledare", "admin"},
}


def test_every_deviation_route_has_an_entry() -> None:
    app = create_app(Settings(mode=Mode.DEMO, database_url="sqlite:///:memory:"))
    routes = {key for key in _routes(app.routes) if key[1].startswith(PREFIXES)}
    assert sorted(routes ^ ROUTES.keys()) == []


def _text(response: Any) -> str:
    """The response's text; a PDF's extracted text (the streams are compressed)."""
    if response.headers.get("content-type") != "application/pdf":
        return str(response.text)
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def _as(client: TestClient, role: str) -> str:
    client.cookies.clear()
    if role == "anonym":
        return token(client, "/logga-in")
    login(client, role, PASSWORDS.get(role, "demo"))
    return token(client, "/")


def test_every_role_against_every_deviation_route_plain_and_protected(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    numbers = {
        "plain": register(client),
        "protected": register(client, child_identity=PROTECTED_CHILD[0], child_first_name="Elis"),
    }
    for number in numbers.values():
        _decide(client, number)
    ids = {kind: _deviation(settings, number) for kind, number in numbers.items()}
    _protect(settings, numbers["protected"])
    wrong: list[str] = []
    leaks: list[str] = []
    for role in ROLES:
        csrf = _as(client, role)
        for method, template in sorted(ROUTES):
            for kind, (deviation_id, action_id) in ids.items():
                if role == "anonym":  # a fresh session each time, as the app-wide matrix
                    csrf = _as(client, role)
                values = {"deviation_id": deviation_id, "action_id": action_id}
                response = _request(client, method, template, values, csrf)
                got, expected = _outcome(template, response), ROUTES[method, template][role]
                if got != expected:
                    wrong.append(f"{role:12} {method:5} {template} ({kind}): {got}, not {expected}")
                body = _text(response)
                shown = numbers[kind] in body
                if shown and role not in SEES_CASE[kind]:
                    leaks.append(f"{role} {method} {template} ({kind}): the case number")
                if kind == "protected" and role not in SEES_CASE[kind]:
                    for text in PROTECTED_CHILD:
                        if text in body:
                            leaks.append(f"{role} {method} {template}: {text}")
    assert wrong == [], "\n" + "\n".join(wrong)
    assert leaks == [], "\n" + "\n".join(leaks)


def test_the_reporter_of_a_protected_childs_deviation_reads_the_report_not_the_investigation(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client, child_identity=PROTECTED_CHILD[0], child_first_name="Elis")
    _decide(client, number)
    deviation_id, _ = _deviation(settings, number)  # investigated: "a", "b", "c"; serious
    answers = re.compile(r"<p class=\"free-text\">[abc]</p>")
    assert answers.search(client.get(f"/avvikelser/{deviation_id}").text)  # still assigned
    _protect(settings, number)
    page = client.get(f"/avvikelser/{deviation_id}").text
    assert "Syntetisk händelse." in page  # what the reporter wrote
    assert "Allvarligt missförhållande" in page  # and how it was assessed
    assert answers.search(page) is None
    assert "Utredningens svar visas bara för den som får läsa ärendet." in page
    assert number not in page
    login(client, "arbetsledare")
    page = client.get(f"/avvikelser/{deviation_id}").text
    assert answers.search(page)
    assert number in page
