"""Competence on the desk and the API: the records, the step check, Öppna jämförelser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from barnskydd.core.actor import SYSTEM
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings, get_settings
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.inputs import CompetenceSet
from barnskydd.staff.competence.models import QualificationWarning, StaffCompetence
from barnskydd.web.api.steps import WARNING
from tests.web.conftest import TestClient, login, token
from tests.web.test_api import caller
from tests.web.test_api import register as api_register
from tests.web.test_pages import register, step


@pytest.fixture
def refuse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BARNSKYDD_QUALIFICATION_CHECK", "refuse")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _no_degree(settings: Settings, username: str = "handlaggare") -> None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        competence.update(
            session,
            actor=SYSTEM,
            username=username,
            data=CompetenceSet.from_text({"degree": "none"}),
            today=today(),
        )
    engine.dispose()


def _warnings(settings: Settings) -> list[str]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        found = list(conn.scalars(select(QualificationWarning.shortfall)))
    engine.dispose()
    return [str(s) for s in found]


def _protected(client: TestClient) -> str:
    number = register(client)
    now = dt.datetime.now(SWEDEN).strftime("%Y-%m-%dT%H:%M")
    response = step(
        client, number, "assess_protection", assessed_at=now, immediate_protection_needed="nej"
    )
    assert response.status_code == 200
    return number


def test_the_desk_warns_by_default_and_records_the_warning(
    client: TestClient, settings: Settings
) -> None:
    _no_degree(settings)
    login(client, "handlaggare")
    number = _protected(client)
    response = step(
        client, number, "decide_preliminary", decided_on=today().isoformat(), outcome="not_opened"
    )
    assert response.status_code == 200
    assert "Varning:" in response.text
    assert "25 kap. 1 § första stycket socialtjänstlagen (2025:400)" in response.text
    assert _warnings(settings) == ["no_degree"]


@pytest.mark.usefixtures("refuse")
def test_the_desk_refuses_in_refuse_mode_naming_the_paragraph(
    client: TestClient, settings: Settings
) -> None:
    _no_degree(settings)
    login(client, "handlaggare")
    number = _protected(client)
    response = step(
        client, number, "decide_preliminary", decided_on=today().isoformat(), outcome="not_opened"
    )
    assert response.status_code == 422
    assert "saknar examen som ger behörighet" in response.text
    assert _warnings(settings) == []


def test_the_api_warns_in_a_header(client: TestClient, settings: Settings) -> None:
    _no_degree(settings)
    api = caller(client, "handlaggare")
    number = api_register(api)
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    assert (
        api.step(
            number, "assess_protection", assessed_at=now, immediate_protection_needed=False
        ).headers.get(WARNING)
        is None
    )
    taken = api.step(
        number, "decide_preliminary", decided_on=today().isoformat(), outcome="not_opened"
    )
    assert taken.status_code == 200
    assert taken.headers[WARNING] == "qualification=no_degree"


@pytest.mark.usefixtures("refuse")
def test_the_api_refuses_in_refuse_mode_with_409(client: TestClient, settings: Settings) -> None:
    _no_degree(settings)
    api = caller(client, "handlaggare")
    number = api_register(api)
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    api.step(number, "assess_protection", assessed_at=now, immediate_protection_needed=False)
    refused = api.step(
        number, "decide_preliminary", decided_on=today().isoformat(), outcome="not_opened"
    )
    assert refused.status_code == 409
    assert "25 kap. 1 §" in refused.text


def test_the_team_lead_records_a_degree_and_a_refusal_is_shown_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "arbetsledare")
    page = client.get("/kompetens")
    assert page.status_code == 200
    assert 'href="/kompetens/personal/handlaggare"' in page.text
    csrf = token(client, "/kompetens/personal/handlaggare")
    refused = client.post(
        "/kompetens/personal/handlaggare",
        data={"csrf_token": csrf, "degree": "other_relevant"},
    )
    assert refused.status_code == 422
    assert 'id="degree_kind-fel"' in refused.text
    saved = client.post(
        "/kompetens/personal/handlaggare",
        data={
            "csrf_token": csrf,
            "degree": "other_relevant",
            "degree_kind": "Beteendevetenskaplig examen med socialrätt",
            "experience_from": "2020-03-01",
            "earlier": "2015-01-01:2016-12-31",
        },
    )
    assert saved.status_code == 200
    assert "Kompetensen är sparad." in saved.text
    assert "Beteendevetenskaplig examen med socialrätt" in saved.text
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        degree = conn.scalar(select(StaffCompetence.degree).where(StaffCompetence.staff_id == 1))
    engine.dispose()
    assert str(degree) == "other_relevant"


def test_the_indicators_page_has_a_chart_a_table_a_text_alternative_and_a_csv(
    client: TestClient,
) -> None:
    login(client, "analytiker")
    on = today().isoformat()  # the seeded staff are employed from the day they were created
    page = client.get("/kompetens/oppna-jamforelser", params={"datum": on})
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.text
    assert "<figcaption>" in page.text
    assert "Socionomexamen och minst 3 års erfarenhet" in page.text
    assert "Handlaggare" not in page.text  # no person on the page
    csv = client.get("/kompetens/oppna-jamforelser.csv", params={"datum": on})
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "referensdatum;indikator;antal;antal_handlaggare;andel"
    # The seeded case workers (handlaggare, annan) are socionomer with no experience recorded.
    assert f"{on};Socionomexamen;2;2;1,000" in csv.text
    bad = client.get("/kompetens/oppna-jamforelser", params={"datum": "igår"})
    assert bad.status_code == 422
    assert 'id="datum-fel"' in bad.text
