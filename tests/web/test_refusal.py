"""One way to refuse a form: the page comes again with the errors, and its audited reads stay.

A refused reassignment or access change used to show the case page (the child's name and
identity number) and then roll the request back, audited read of the case and all.
"""

from __future__ import annotations

from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.people.models import Child
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import register, report_form

HANDLAGGARE, ANNAN = "1", "5"  # staff ids as seeded (tests/web/conftest.py)
CHANGES = ("create", "update", "grant", "revoke")  # what a refused change must not leave


def _count(settings: Settings, *where: object) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(AuditEntry).where(*where))  # type: ignore[arg-type]
    engine.dispose()
    return total or 0


def _case_reads(settings: Settings) -> int:
    return _count(settings, AuditEntry.action == "read", AuditEntry.entity == "case")


def _rows(settings: Settings, model: type[object]) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return total or 0


def test_a_refused_team_form_keeps_the_audited_read_of_the_page_it_shows(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client, protected_identity="protected_registration")
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "arbetsledare")
    page = f"/arenden/{number}"
    forms = {
        # (path, fields, what the page shown again says next to the field)
        "reassign, back to the case": (
            f"{page}/omfordela",
            {"staff_id": ANNAN, "tillbaka": "arende"},
            'id="reassign-staff_id-fel">Handläggaren finns inte i ärendets enhet.',
        ),
        "reassign, back to the team": (
            f"{page}/omfordela",
            {"staff_id": ANNAN, "tillbaka": "enhet"},
            f'id="{number}-staff_id-fel">Handläggaren finns inte i ärendets enhet.',
        ),
        "grant": (
            f"{page}/atkomst",
            {"staff_id": ANNAN},
            'id="grant-staff_id-fel">Välj en handläggare i ärendets enhet.',
        ),
        "revoke": (
            f"{page}/atkomst/ta-bort",
            {"staff_id": HANDLAGGARE},
            'role="alert">Personen har ingen namngiven åtkomst.',
        ),
    }
    for name, (path, fields, shown) in forms.items():
        csrf = token(client, page)
        before = _case_reads(settings)
        changes = _count(settings, AuditEntry.action.in_(CHANGES))
        refused = client.post(path, data={"csrf_token": csrf, **fields})
        assert refused.status_code == 422, name
        assert shown in refused.text, name
        assert _case_reads(settings) == before + 1, name  # the read of the case shown
        assert _count(settings, AuditEntry.action.in_(CHANGES)) == changes, name


def test_a_refused_report_keeps_nothing_of_what_the_savepoint_wrote(
    client: TestClient, settings: Settings
) -> None:
    """The child is created before the age check refuses the report: it is undone with it."""
    login(client, "handlaggare")
    before = _count(settings)
    response = client.post(
        "/anmalan/ny",
        data=report_form(client, child_identity="19900101-0017"),
    )
    assert response.status_code == 422
    assert 'id="child_identity-fel"' in response.text
    assert 'value="19900101-0017"' in response.text
    assert _rows(settings, Child) == 0
    assert _rows(settings, Case) == 0
    assert _count(settings) == before
