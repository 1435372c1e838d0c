"""The desk and the API: a registration never lowers a child's protected identity.

And each registration parses the child's identity number once, into the value the services
pass along.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.people import rules
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.staff import passwords
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app
from tests.web.conftest import TestClient, login
from tests.web.test_api import caller
from tests.web.test_api import register as api_register
from tests.web.test_pages import register as desk_register

BERIT_ID = 7  # after the six staff tests/web/conftest.py seeds (lexsarah last)
BERIT_PASSWORD = "berits-losen"


@pytest.fixture
def berit(settings: Settings) -> Iterator[TestClient]:
    """A second case worker in the Centrum unit, logged in on a client of her own."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        member = staff.create(
            session, username="berit", display_name="Berit", role=Role.CASE_WORKER, unit_id=1
        )
        passwords.set_password(session, member=member, password=BERIT_PASSWORD)
        assert member.id == BERIT_ID
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield client


def _level(settings: Settings) -> ProtectedIdentity:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        level = conn.scalars(select(Child.protected_identity)).one()
    engine.dispose()
    return ProtectedIdentity(level)


@pytest.mark.parametrize("lower", ["confidentiality_marking", "none"])
def test_the_desk_form_never_lowers_a_childs_protection(
    client: TestClient, berit: TestClient, settings: Settings, lower: str
) -> None:
    login(client, "handlaggare")
    earlier = desk_register(client, protected_identity="protected_registration")
    login(berit, "berit", BERIT_PASSWORD)
    later = desk_register(berit, protected_identity=lower, assigned_to_id=str(BERIT_ID))
    assert _level(settings) is ProtectedIdentity.PROTECTED_REGISTRATION
    assert berit.get(f"/arenden/{later}").status_code == 200
    assert berit.get(f"/arenden/{earlier}").status_code == 404


@pytest.mark.parametrize("lower", ["confidentiality_marking", "none"])
def test_the_api_never_lowers_a_childs_protection(
    client: TestClient, berit: TestClient, settings: Settings, lower: str
) -> None:
    earlier = api_register(
        caller(client, "handlaggare"), protected_identity="protected_registration"
    )
    api = caller(berit, "berit", BERIT_PASSWORD)
    later = api_register(api, protected_identity=lower, assigned_to_id=BERIT_ID)
    assert _level(settings) is ProtectedIdentity.PROTECTED_REGISTRATION
    assert api.get(f"/cases/{later}", purpose="handläggning").status_code == 200
    assert api.get(f"/cases/{earlier}", purpose="handläggning").status_code == 404


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count every call of parse_identity, under whatever name a module imported it."""
    calls: list[str] = []
    original = rules.parse_identity

    def counted(text: str, **kwargs: Any) -> rules.Identity:
        calls.append("parse")
        return original(text, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("barnskydd") and getattr(module, "parse_identity", None) is original:
            monkeypatch.setattr(module, "parse_identity", counted)
    return calls


def test_a_desk_registration_parses_the_identity_number_once(
    client: TestClient, parses: list[str]
) -> None:
    login(client, "handlaggare")
    parses.clear()
    desk_register(client)
    assert parses == ["parse"]


def test_an_api_registration_parses_the_identity_number_once(
    client: TestClient, parses: list[str]
) -> None:
    api = caller(client, "handlaggare")
    parses.clear()
    api_register(api)
    assert parses == ["parse"]
