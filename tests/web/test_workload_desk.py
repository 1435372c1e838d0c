"""The workload desk: a bad rating or time is named next to its field and nothing is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.workload.records import LoadRating, MeasurementEntry
from tests.web.conftest import TestClient, login, token


def _count(settings: Settings, model: type) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        found = conn.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return found or 0


def test_a_bad_rating_is_named_by_its_field_and_nothing_is_stored(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    csrf = token(client, "/min-belastning")
    response = client.post("/min-belastning", data={"csrf_token": csrf, "rating": "9"})
    assert response.status_code == 422
    assert 'id="rating-fel"' in response.text
    assert "1–5" in response.text
    assert _count(settings, LoadRating) == 0
    response = client.post("/min-belastning", data={"csrf_token": csrf, "rating": "3"})
    assert response.status_code == 200
    assert "Din skattning är sparad" in response.text
    assert _count(settings, LoadRating) == 1


def test_time_outside_whole_quarters_is_refused_during_a_week(
    client: TestClient, settings: Settings
) -> None:
    login(client, "arbetsledare")
    csrf = token(client, "/enhet/tidsmatning")
    response = client.post("/enhet/tidsmatning", data={"csrf_token": csrf, "enhet": "1"})
    assert "Mätveckan är öppnad" in response.text
    login(client, "handlaggare")
    page = client.get("/min-belastning").text
    assert "Registrera tiden" in page
    csrf = token(client, "/min-belastning")
    week_id = page.split('name="week_id" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "week_id": week_id, "day": dt.date.today().isoformat()}
    response = client.post(
        "/min-belastning/tid", data={**form, "category": "child", "minutes": "20"}
    )
    assert response.status_code == 422
    assert 'id="minutes-fel"' in response.text
    assert _count(settings, MeasurementEntry) == 0
    response = client.post(
        "/min-belastning/tid", data={**form, "category": "child", "minutes": "30"}
    )
    assert "Tiden är registrerad" in response.text
    assert _count(settings, MeasurementEntry) == 1
