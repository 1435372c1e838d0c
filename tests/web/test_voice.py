"""The child's voice on the desk: the follow-up form, child mode, the one-time link."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update

from barnskydd.core.db import make_engine, utcnow
from barnskydd.core.settings import Settings
from barnskydd.voice.models import ChildVoiceRecord
from tests.voice.desk import case_at_follow_up
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import step

TODAY = dt.date.today().isoformat()
LINK = re.compile(r"/rost/l/([A-Za-z0-9_-]+)")


def test_the_follow_up_form_asks_how_the_childs_view_was_obtained(client: TestClient) -> None:
    login(client, "handlaggare")
    number = case_at_follow_up(client)
    page = client.get(f"/arenden/{number}").text
    assert 'name="voice_status"' in page
    assert "Efter barnets ålder den dagen (idag: 8–12 år)" in page  # born 2015-09-16
    refused = step(client, number, "follow_up", followed_up_on=TODAY)
    assert refused.status_code == 422
    assert 'id="follow_up-voice_status-fel"' in refused.text
    assert "Ange hur barnets synpunkter inhämtades" in refused.text
    refused = step(client, number, "follow_up", followed_up_on=TODAY, voice_status="not_offered")
    assert refused.status_code == 422
    assert 'id="follow_up-voice_reason-fel"' in refused.text
    saved = step(
        client,
        number,
        "follow_up",
        followed_up_on=TODAY,
        voice_status="not_offered",
        voice_reason="not_reached",
    )
    assert saved.status_code == 200
    assert "Barnets röst: Frågorna erbjöds inte (barnet nåddes inte)" in saved.text


def _answered(client: TestClient, mode: str) -> tuple[str, str]:
    """Take a follow-up where the child answers in this mode; return the case and record path."""
    login(client, "handlaggare")
    number = case_at_follow_up(client)
    page = step(
        client, number, "follow_up", followed_up_on=TODAY, voice_status="answered", voice_mode=mode
    ).text
    assert "svaren väntas" in page
    record = re.search(rf"/arenden/{number}/rost/(\d+)/", page)
    assert record
    return number, f"/arenden/{number}/rost/{record.group(1)}"


def test_child_mode_ends_the_session_and_shows_nothing_of_the_case(client: TestClient) -> None:
    number, record = _answered(client, "self_on_worker_device")
    csrf = token(client, f"/arenden/{number}")
    child = client.post(f"{record}/barnlage", data={"csrf_token": csrf})
    assert str(child.url).endswith("/rost/barnlage")
    html = child.text
    for secret in ("Saga", "Lind", "20150916", "150916", number, "<nav", "Barnskydd</a>"):
        assert secret not in html
    csrf = token(client, "/rost/barnlage")
    thanks = client.post(
        "/rost/barnlage",
        data={"csrf_token": csrf, "item_safe": "1", "item_school": "4", "open_good": "Fotboll"},
    )
    assert thanks.status_code == 200
    assert "Tack för dina svar" in thanks.text
    assert client.get("/rost/barnlage").status_code == 404  # finished: nothing more to answer
    gone = client.get(f"/arenden/{number}", follow_redirects=False)
    assert gone.headers["location"].startswith("/logga-in")  # the worker's session ended
    login(client, "handlaggare")
    case = client.get(f"/arenden/{number}").text
    assert "Fotboll" in case
    assert "Följ upp:" in case
    inbox = client.get("/").text
    assert "Barnet svarade att hen inte känner sig trygg" in inbox


def test_the_link_works_once_and_then_answers_like_an_unknown_code(
    client: TestClient, settings: Settings
) -> None:
    number, record = _answered(client, "self_remote_link")
    made = client.post(f"{record}/lank", data={"csrf_token": token(client, f"/arenden/{number}")})
    code = LINK.search(made.text)
    assert code
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    path = f"/rost/l/{code.group(1)}"
    page = client.get(path)
    assert page.status_code == 200
    assert "Saga" not in page.text
    assert number not in page.text
    done = client.post(path, data={"csrf_token": token(client, path), "item_safe": "5"})
    assert "Tack för dina svar" in done.text
    used = client.get(path)
    unknown = client.get("/rost/l/finns-inte")
    assert used.status_code == unknown.status_code == 404
    assert used.text == unknown.text
    # An expired link: a new one, its time run out.
    login(client, "handlaggare")
    number, record = _answered(client, "self_remote_link")
    made = client.post(f"{record}/lank", data={"csrf_token": token(client, f"/arenden/{number}")})
    code = LINK.search(made.text)
    assert code
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(
            update(ChildVoiceRecord)
            .where(ChildVoiceRecord.code_expires_at.is_not(None))
            .values(code_expires_at=utcnow() - dt.timedelta(minutes=1))
        )
    engine.dispose()
    expired = client.get(f"/rost/l/{code.group(1)}")
    assert expired.status_code == 404
    assert expired.text == unknown.text


def test_read_aloud_the_worker_fills_in_the_answers(client: TestClient) -> None:
    _, record = _answered(client, "read_aloud_with_worker")
    form = client.get(f"{record}/svar")
    assert "Läs upp frågorna" in form.text
    bad = client.post(
        f"{record}/svar", data={"csrf_token": token(client, f"{record}/svar"), "item_safe": "9"}
    )
    assert bad.status_code == 422
    assert 'id="item_safe-fel"' in bad.text
    saved = client.post(
        f"{record}/svar",
        data={"csrf_token": token(client, f"{record}/svar"), "item_safe": "4"},
    )
    assert "Barnets svar: sparade." in saved.text
    assert "Stämmer ganska bra" in saved.text


def test_team_leads_see_their_unit_and_the_municipality_protected(client: TestClient) -> None:
    login(client, "handlaggare")
    for status in ("declined_by_child", "declined_by_child"):
        number = case_at_follow_up(client)
        step(client, number, "follow_up", followed_up_on=TODAY, voice_status=status)
    login(client, "arbetsledare")
    page = client.get(f"/rost/statistik?ar={TODAY[:4]}")
    assert page.status_code == 200
    assert "Barn och unga Centrum" in page.text
    assert "Barn och unga Väster" not in page.text
    assert "data:image/svg+xml;base64," in page.text
    row = page.text.split("Barn och unga Centrum</th>", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" not in row  # two follow-ups: suppressed
    assert "–" in row


def test_the_review_form_asks_for_the_childs_voice_as_the_follow_up_does(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    number = case_at_follow_up(client)
    placed = step(
        client,
        number,
        "decide_intervention",
        category="family_home",
        legal_basis="sol",
        decided_on=TODAY,
    )
    assert placed.status_code == 200, placed.text
    option = re.search(r'<option value="(\d+)">Familjehem från', placed.text)
    assert option
    placement = option.group(1)
    refused = step(client, number, "review_placement", intervention_id=placement, reviewed_on=TODAY)
    assert refused.status_code == 422
    assert 'id="review_placement-voice_status-fel"' in refused.text
    assert "Ange hur barnets synpunkter inhämtades" in refused.text
    refused = step(
        client,
        number,
        "review_placement",
        intervention_id=placement,
        reviewed_on=TODAY,
        voice_status="not_possible",
    )
    assert refused.status_code == 422
    assert 'id="review_placement-voice_reason-fel"' in refused.text
    saved = step(
        client,
        number,
        "review_placement",
        intervention_id=placement,
        reviewed_on=TODAY,
        voice_status="answered",
        voice_mode="read_aloud_with_worker",
    )
    assert saved.status_code == 200, saved.text
    assert f"Övervägande av placering {TODAY}: Barnet svarade, svaren väntas" in saved.text
    record = re.search(rf"/arenden/{number}/rost/(\d+)/svar", saved.text)
    assert record
    csrf = token(client, record.group(0))
    answered = client.post(record.group(0), data={"csrf_token": csrf, "open_good": "Hästarna"})
    assert answered.status_code == 200
    assert "Hästarna" in answered.text
