"""The family on the desk and in the API: forms, refusals, contracts, hidden addresses."""

from __future__ import annotations

from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Guardian
from tests.web.conftest import TestClient, login, token
from tests.web.test_api import caller, count, register, report_body
from tests.web.test_pages import register as desk_register

MOTHER = {
    "identity": "19850412-4564",
    "first_name": "Lena",
    "last_name": "Lind",
    "relation": "mother",
    "phone": "070-123 45 67",
    "address": "Storgatan 1, Uddevalla",
    "shares_child_address": True,
    "interpreter": "so",
}


def test_a_guardian_through_the_api_post_get_patch_delete(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    path = f"/cases/{number}/guardians"
    created = api.post(path, MOTHER)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["identity"], body["custody"], body["contact_hidden"]) == (
        "19850412-4564",
        True,
        False,
    )
    listed = api.get(path, purpose="handläggning")
    assert [g["id"] for g in listed.json()] == [body["id"]]
    assert count(settings, AuditEntry, AuditEntry.entity == "guardian") == 2
    patched = client.patch(f"/api/v1{path}/{body['id']}", json={"phone": None}, headers=api.headers)
    assert patched.json()["phone"] is None
    gone = client.delete(f"/api/v1{path}/{body['id']}", headers=api.headers)
    assert gone.status_code == 204
    assert count(settings, Guardian) == 0


def test_an_invalid_guardian_identity_is_422_on_its_field_and_nothing_is_written(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    refused = api.post(f"/cases/{number}/guardians", {**MOTHER, "identity": "19850412-4563"})
    assert refused.status_code == 422
    assert "Kontrollsiffran" in refused.json()["errors"]["identity"]
    duplicate = api.post(f"/cases/{number}/guardians", {**MOTHER, "identity": "20150916-9874"})
    assert duplicate.json()["errors"] == {"identity": duplicate.json()["detail"]}
    assert count(settings, Guardian) == 0


def _protect(settings: Settings, number: str) -> None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        case.child.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    engine.dispose()


def test_a_protected_childs_shared_address_is_hidden_on_the_page_and_in_the_api(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = register(api)
    assert api.post(f"/cases/{number}/guardians", MOTHER).status_code == 201
    _protect(settings, number)
    client.cookies.clear()
    lead = caller(client, "arbetsledare")
    (seen,) = lead.get(f"/cases/{number}/guardians", purpose="handläggning").json()
    assert seen["contact_hidden"] is True
    assert (seen["address"], seen["phone"]) == (None, None)
    page = client.get(f"/arenden/{number}").text
    assert "Storgatan" not in page
    assert "070-123" not in page
    assert "Skyddad, visas inte" in page


def test_the_desk_form_adds_a_guardian_and_refuses_a_bad_one_next_to_the_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = desk_register(client)
    form = {"first_name": "Lena", "last_name": "Lind", "relation": "mother"}
    bad = client.post(
        f"/arenden/{number}/vardnadshavare",
        data={
            **form,
            "identity": "19850412-4563",
            "csrf_token": token(client, f"/arenden/{number}"),
        },
    )
    assert bad.status_code == 422
    assert 'id="g-identity-fel"' in bad.text
    assert count(settings, Guardian) == 0
    good = client.post(
        f"/arenden/{number}/vardnadshavare",
        data={**form, "phone": "0522-123 45", "csrf_token": token(client, f"/arenden/{number}")},
    )
    assert good.status_code == 200
    assert "Lena Lind" in good.text
    assert "0522-123 45" in good.text


def test_a_report_about_two_siblings_opens_two_linked_cases_or_none(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    sibling = {"identity": "20120512-9271", "first_name": "Elis", "last_name": "Lind"}
    response = api.post("/reports", report_body(siblings=[sibling]))
    assert response.status_code == 201, response.text
    (other,) = response.json()["sibling_case_numbers"]
    page = client.get(f"/arenden/{other}").text
    assert f'href="/arenden/{response.json()["case_number"]}"' in page
    before = count(settings, Case)
    bad = {**sibling, "identity": "20120512-9272"}
    refused = api.post(
        "/reports", report_body(child_identity="20140305-9809", siblings=[sibling, bad])
    )
    assert refused.status_code == 422
    assert "siblings.1.identity" in refused.json()["errors"]
    assert count(settings, Case) == before
    assert register(api, child_identity="20140305-9809") != other  # single child unchanged
