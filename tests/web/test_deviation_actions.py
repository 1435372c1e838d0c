"""Overdue actions on the owner's inbox and the team lead's unit page (issue 14 item 4).

The owner of an action reads the deviation it follows from, unless the deviation is linked to
a case the owner may not read (a protected child's, for a case worker not named): then the
action is listed without a link to the deviation and can still be marked done.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.deviations.models import DeviationAction
from barnskydd.staff import service as staff
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token
from tests.web.test_access_matrix import _protect
from tests.web.test_deviations import post, reported
from tests.web.test_pages import register

TASK = "Gå igenom rutinen för överlämning vid semester."


def _staff_id(settings: Settings, username: str) -> int:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        found = staff.get_by_username(session, username=username).id
    engine.dispose()
    return found


def _done_on(settings: Settings) -> dt.date | None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        found = session.scalars(
            select(DeviationAction.done_on).where(DeviationAction.description == TASK)
        ).one()
    engine.dispose()
    return found


def _lead_reports_and_gives_the_worker_an_overdue_action(
    client: TestClient, settings: Settings, days: int = -2, **fields: str
) -> int:
    """The team lead reports (so the worker is not the reporter) and gives the worker a task.

    Due `days` from today: two days ago unless told.
    """
    login(client, "arbetsledare")
    deviation_id = reported(client, **fields)
    page = f"/avvikelser/{deviation_id}"
    response = post(
        client,
        f"{page}/atgarder",
        page,
        description=TASK,
        owner_id=str(_staff_id(settings, "handlaggare")),
        due_on=(dt.date.today() + dt.timedelta(days=days)).isoformat(),
    )
    assert response.status_code == 200, response.text
    return deviation_id


def test_the_owner_sees_the_overdue_action_opens_its_deviation_and_marks_it_done(
    client: TestClient, settings: Settings
) -> None:
    deviation_id = _lead_reports_and_gives_the_worker_an_overdue_action(client, settings)
    link = f'href="/avvikelser/{deviation_id}"'
    team = client.get("/enhet").text
    assert TASK in team
    assert "ansvarig Handlaggare" in team  # the team lead sees whose it is
    assert TASK not in client.get("/").text  # not the team lead's own

    login(client, "handlaggare")
    inbox = client.get("/").text
    assert "Dina försenade åtgärder efter avvikelser" in inbox
    assert TASK in inbox
    assert link in inbox
    page = client.get(f"/avvikelser/{deviation_id}")
    assert page.status_code == 200  # the action's owner reads the deviation
    assert "Rapporterad av" not in page.text  # but not who reported it
    assert TASK in client.get("/avvikelser").text

    login(client, "annan", OTHER_PASSWORD)
    assert TASK not in client.get("/").text
    assert TASK not in client.get("/avvikelser").text
    assert client.get(f"/avvikelser/{deviation_id}").status_code == 404

    login(client, "handlaggare")
    action_id = client.get("/").text.split('action="/avvikelser/atgarder/', 1)[1].split("/", 1)[0]
    done = client.post(
        f"/avvikelser/atgarder/{action_id}/klar",
        data={"csrf_token": token(client, "/"), "tillbaka": "inkorg"},
    )
    assert done.status_code == 200
    assert str(done.url).endswith("/")
    assert "Åtgärden är markerad som klar." in done.text
    assert TASK not in done.text
    assert _done_on(settings) == dt.date.today()
    login(client, "arbetsledare")
    assert TASK not in client.get("/enhet").text


def test_an_action_on_a_protected_childs_deviation_is_listed_without_its_deviation(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client, child_identity="20120512-9271", child_first_name="Elis")
    _protect(settings, number)  # skyddad folkbokföring; the worker is neither named nor assigned
    deviation_id = _lead_reports_and_gives_the_worker_an_overdue_action(
        client, settings, case_number=number
    )
    assert number in client.get(f"/avvikelser/{deviation_id}").text  # the team lead reads it
    assert f'href="/avvikelser/{deviation_id}"' in client.get("/enhet").text

    login(client, "handlaggare")
    inbox = client.get("/").text
    assert TASK in inbox  # the task is the worker's
    assert f'href="/avvikelser/{deviation_id}"' not in inbox  # the deviation is not
    assert client.get(f"/avvikelser/{deviation_id}").status_code == 404
    assert client.get(f"/api/v1/deviations/{deviation_id}").status_code == 404
    action_id = inbox.split('action="/avvikelser/atgarder/', 1)[1].split("/", 1)[0]
    done = client.post(
        f"/avvikelser/atgarder/{action_id}/klar",
        data={"csrf_token": token(client, "/"), "tillbaka": "inkorg"},
    )
    assert done.status_code == 200
    assert _done_on(settings) == dt.date.today()


def test_an_action_not_yet_due_is_listed_for_its_owner_on_the_deviations_page_only(
    client: TestClient, settings: Settings
) -> None:
    deviation_id = _lead_reports_and_gives_the_worker_an_overdue_action(client, settings, days=5)
    assert TASK not in client.get("/enhet").text  # not overdue: not the team lead's concern yet
    login(client, "handlaggare")
    assert TASK not in client.get("/").text
    listed = client.get("/avvikelser").text
    coming = listed.split('id="kommande-atgarder"', 1)[1]
    assert TASK in coming
    assert "Försenad" not in coming
    assert f'href="/avvikelser/{deviation_id}"' in coming
    action_id = coming.split('action="/avvikelser/atgarder/', 1)[1].split("/", 1)[0]
    done = client.post(
        f"/avvikelser/atgarder/{action_id}/klar",
        data={"csrf_token": token(client, "/avvikelser"), "tillbaka": "lista"},
    )
    assert done.status_code == 200
    assert str(done.url).endswith("/avvikelser")
    assert TASK not in done.text
    assert _done_on(settings) == dt.date.today()
