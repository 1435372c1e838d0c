"""Notices in the desk: the team lead's list and page, the menu's badge, the case page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.settings import Mode, Settings
from barnskydd.lookup.models import LookupNotice
from barnskydd.staff import service as staff
from barnskydd.web.app import create_app
from tests.factories import OTHER_CHILD_PNR, registered_case
from tests.lookup.conftest import TestClient
from tests.web.conftest import OTHER_PASSWORD, login, seed


@dataclass
class Desk:
    """The desk, its database and the seeded notices."""

    client: TestClient
    url: str
    case_number: str
    ours: list[int]  # notices about the Centrum child, oldest first
    theirs: int  # a notice about a child of the other unit (Väster)


def _notice(child_id: int, n: int, *, hours_ago: int) -> LookupNotice:
    return LookupNotice(
        notification_id=n,
        child_id=child_id,
        asking_municipality="0180",
        asked_by=f"Handläggare {n}",
        contact="Barn och unga Norrmalm, växeln",
        purpose="Förhandsbedömning" if n % 2 else "Barnavårdsutredning",
        asked_at=utcnow() - dt.timedelta(hours=hours_ago),
        received_at=utcnow(),
    )


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    """Two notices about a child of the team lead's unit, one about another unit's child."""
    seed(database_url)
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        other = staff.actor_for(staff.get_by_username(session, username="annan"))
        assert worker.unit_id is not None
        assert other.unit_id is not None
        ours = registered_case(session, worker.unit_id, worker)
        theirs = registered_case(
            session, other.unit_id, other, child_identity=OTHER_CHILD_PNR, child_first_name="Elis"
        )
        rows = [
            _notice(ours.child_id, 1, hours_ago=5),
            _notice(ours.child_id, 2, hours_ago=1),
            _notice(theirs.child_id, 3, hours_ago=3),
        ]
        session.add_all(rows)
        session.flush()
        ids = [r.id for r in rows]
        number = ours.case_number
    engine.dispose()
    with TestClient(create_app(Settings(mode=Mode.DEMO, database_url=database_url))) as client:
        yield Desk(client, database_url, number, ids[:2], ids[2])


def _audited(url: str) -> list[tuple[int | None, int | None, str | None]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.entity_id, AuditEntry.child_id, AuditEntry.purpose)
            .where(AuditEntry.entity == "lookup_notice")
            .order_by(AuditEntry.seq)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _read_at(url: str, notice_id: int) -> dt.datetime | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.scalar(select(LookupNotice.read_at).where(LookupNotice.id == notice_id))
    engine.dispose()
    return value


def test_the_team_lead_lists_the_units_notices_newest_first_and_each_read_is_audited(
    desk: Desk,
) -> None:
    login(desk.client, "arbetsledare")
    home = desk.client.get("/").text
    assert 'href="/aviseringar">Aviseringar <span class="badge warn">2' in home
    page = desk.client.get("/aviseringar")
    assert page.status_code == 200
    text = page.text
    assert "Saga Lind" in text
    assert "Elis" not in text
    assert "Stockholm (0180)" in text
    assert desk.case_number in text
    assert text.index("Barnavårdsutredning") < text.index("Förhandsbedömning")  # newest first
    assert "2 olästa av 2." in text
    assert [entity for entity, _, _ in _audited(desk.url)] == [desk.ours[1], desk.ours[0]]
    assert {purpose for _, _, purpose in _audited(desk.url)} == {"avisering om riksuppslag"}


def test_opening_a_notice_marks_it_read_audits_it_and_lowers_the_badge(desk: Desk) -> None:
    login(desk.client, "arbetsledare")
    first = desk.ours[0]
    page = desk.client.get(f"/aviseringar/{first}")
    assert page.status_code == 200
    assert "Handläggare 1" in page.text
    assert "Barn och unga Norrmalm, växeln" in page.text
    assert 'class="badge warn">1' in page.text
    read_at = _read_at(desk.url, first)
    assert read_at is not None
    desk.client.get(f"/aviseringar/{first}")  # opened again: still read the first time
    assert _read_at(desk.url, first) == read_at
    assert [entity for entity, _, _ in _audited(desk.url)] == [first, first]
    assert "1 oläst av 2." in desk.client.get("/aviseringar").text
    assert _read_at(desk.url, desk.ours[1]) is None  # listing does not mark as read


def test_another_units_notice_is_hidden_from_the_team_lead_and_shown_to_the_admin(
    desk: Desk,
) -> None:
    login(desk.client, "arbetsledare")
    assert desk.client.get(f"/aviseringar/{desk.theirs}").status_code == 404
    assert desk.client.get("/aviseringar/999999").status_code == 404
    assert desk.client.get("/aviseringar/x1").status_code == 404
    assert _read_at(desk.url, desk.theirs) is None
    desk.client.cookies.clear()
    login(desk.client, "admin")
    text = desk.client.get("/aviseringar").text
    assert "Saga Lind" in text
    assert "Elis" in text
    assert 'badge warn">3' not in desk.client.get("/").text  # the badge is the team lead's
    assert desk.client.get(f"/aviseringar/{desk.theirs}").status_code == 200
    assert _read_at(desk.url, desk.theirs) is not None


@pytest.mark.parametrize(
    ("username", "password"),
    [("handlaggare", "demo"), ("annan", OTHER_PASSWORD), ("analytiker", "demo")],
)
def test_other_roles_are_refused_and_nothing_is_read(
    desk: Desk, username: str, password: str
) -> None:
    login(desk.client, username, password)
    assert "/aviseringar" not in desk.client.get("/").text
    assert desk.client.get("/aviseringar").status_code == 403
    assert desk.client.get(f"/aviseringar/{desk.ours[0]}").status_code == 403
    assert _read_at(desk.url, desk.ours[0]) is None
    assert _audited(desk.url) == []


def test_anonymous_is_sent_to_the_login_page(desk: Desk) -> None:
    response = desk.client.get("/aviseringar", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/logga-in?next=/aviseringar"


def test_the_case_page_shows_the_childs_notices_to_the_case_worker(desk: Desk) -> None:
    login(desk.client, "handlaggare")
    text = desk.client.get(f"/arenden/{desk.case_number}").text
    assert "Riksuppslag från andra kommuner" in text
    assert text.count("Stockholm (0180)") == 2
    assert "Handläggare 2" in text
    assert "Handläggare 3" not in text
    assert _read_at(desk.url, desk.ours[0]) is None
