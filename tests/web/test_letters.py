"""Återkoppling to a mandatory reporter: offered after the decision, as HTML and PDF, recorded."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import ReporterFeedback
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from tests.factories import CHILD_PNR
from tests.web.conftest import OTHER_PASSWORD, TestClient, login, token
from tests.web.test_pages import count, register, report_form, step

CHILD_DATA = ("Saga", "Lind", CHILD_PNR, "Syntetisk anmälan för test.")


def decided(client: TestClient, outcome: str = "not_opened", **report: str) -> str:
    """Register a report, assess protection and decide after the preliminary assessment."""
    login(client, "handlaggare")
    number = register(client, **report)
    received = report_form(client)["received_at"]
    step(
        client, number, "assess_protection", assessed_at=received, immediate_protection_needed="nej"
    )
    response = step(client, number, "decide_preliminary", decided_on=received[:10], outcome=outcome)
    assert response.status_code == 200, response.text
    return number


def test_the_case_page_offers_the_letter_after_the_decision(client: TestClient) -> None:
    number = decided(client)
    page = client.get(f"/arenden/{number}").text
    assert "Återkoppling till anmälaren" in page
    assert "får veta att en utredning inte har inletts, men inget mer" in page
    assert f'href="/arenden/{number}/aterkoppling.pdf" hx-boost="false"' in page
    assert "Ingen återkoppling är registrerad." in page


def test_the_letter_says_the_outcome_and_nothing_about_the_child(client: TestClient) -> None:
    number = decided(client)
    page = client.get(f"/arenden/{number}/aterkoppling")
    assert page.status_code == 200
    letter = page.text.split('<article class="letter"', 1)[1].split("</article>", 1)[0]
    assert "Testskolan" in letter
    assert "att inte inleda en utredning" in letter
    assert "19 kap. 6 § socialtjänstlagen (2025:400)" in letter
    assert number in letter
    for secret in CHILD_DATA:
        assert secret not in letter


def test_an_opened_investigation_is_told_as_opened(client: TestClient) -> None:
    number = decided(client, outcome="investigation_opened")
    assert "att inleda en utredning." in client.get(f"/arenden/{number}/aterkoppling").text


def test_the_pdf_has_the_swedish_text_and_nothing_about_the_child(client: TestClient) -> None:
    number = decided(client)
    response = client.get(f"/arenden/{number}/aterkoppling.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="aterkoppling-{number}.pdf"' in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    assert "Återkoppling på er anmälan om oro för ett barn" in flat
    assert "Socialnämnden beslutade den" in flat
    assert "att inte inleda en utredning" in flat
    assert "Återkopplingen lämnas enligt 19 kap. 6 § socialtjänstlagen (2025:400)" in flat
    assert "Med vänlig hälsning" in flat
    assert reader.metadata is not None
    assert reader.metadata.title == "Återkoppling på er anmälan om oro för ett barn"
    for secret in CHILD_DATA:
        assert secret not in flat


def test_recording_the_feedback_is_stored_audited_and_shown(
    client: TestClient, settings: Settings
) -> None:
    number = decided(client)
    data = {"csrf_token": token(client, f"/arenden/{number}/aterkoppling")}
    response = client.post(f"/arenden/{number}/aterkoppling", data=data)
    assert response.status_code == 200
    assert "Återkopplingen till anmälaren är registrerad." in response.text
    assert "Återkoppling lämnad" in response.text
    assert "av Handlaggare" in response.text
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        row = conn.execute(select(ReporterFeedback.outcome, ReporterFeedback.given_by)).one()
        audited = conn.scalar(
            select(AuditEntry.action).where(AuditEntry.entity == "reporter_feedback")
        )
    engine.dispose()
    assert tuple(row) == ("not_opened", "handlaggare")
    assert audited == "create"


def test_no_letter_for_a_reporter_without_the_duty_to_report(
    client: TestClient, settings: Settings
) -> None:
    number = decided(
        client,
        reporter_category="private_person",
        mandatory_reporter="",
        reporter_organisation="",
        reporter_name="Granne",
    )
    assert "Återkoppling till anmälaren" not in client.get(f"/arenden/{number}").text
    assert client.get(f"/arenden/{number}/aterkoppling").status_code == 404
    assert client.get(f"/arenden/{number}/aterkoppling.pdf").status_code == 404
    data = {"csrf_token": token(client, f"/arenden/{number}")}
    assert client.post(f"/arenden/{number}/aterkoppling", data=data).status_code == 409
    assert count(settings, ReporterFeedback) == 0


def test_no_letter_before_the_decision(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    assert "Återkoppling till anmälaren" not in client.get(f"/arenden/{number}").text
    assert client.get(f"/arenden/{number}/aterkoppling").status_code == 404


def test_other_units_and_the_analyst_get_no_letter(client: TestClient) -> None:
    number = decided(client)
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "annan", OTHER_PASSWORD)
    assert client.get(f"/arenden/{number}/aterkoppling").status_code == 404
    client.post("/logga-ut", data={"csrf_token": token(client, "/")})
    login(client, "analytiker")
    assert client.get(f"/arenden/{number}/aterkoppling.pdf").status_code == 403


def test_the_report_form_records_that_the_reporter_asked(client: TestClient) -> None:
    number = decided(client, feedback_requested="ja")
    page = client.get(f"/arenden/{number}").text
    assert "Anmälaren begärde återkoppling" in page
    assert 'action="/arenden/' + number + '/aterkoppling/begaran"' not in page


def test_feedback_asked_of_a_private_person_is_refused_next_to_its_field(
    client: TestClient,
) -> None:
    login(client, "handlaggare")
    form = report_form(
        client,
        reporter_category="private_person",
        mandatory_reporter="",
        reporter_organisation="",
        feedback_requested="ja",
    )
    response = client.post("/anmalan/ny", data=form)
    assert response.status_code == 422
    assert 'id="feedback_requested-fel"' in response.text
    assert "bara till en anmälningsskyldig anmälare" in response.text


def test_a_later_request_is_recorded_and_a_bad_day_refused_by_its_field(
    client: TestClient, settings: Settings
) -> None:
    number = decided(client)
    page = client.get(f"/arenden/{number}").text
    assert "Anmälaren har inte begärt återkoppling." in page
    url = f"/arenden/{number}/aterkoppling/begaran"
    bad = client.post(url, data={"csrf_token": token(client, f"/arenden/{number}"),
                                 "requested_on": "2020-01-01"})  # fmt: skip
    assert bad.status_code == 422
    assert 'id="aterkoppling-requested_on-fel"' in bad.text
    assert "före anmälan" in bad.text
    received = report_form(client)["received_at"][:10]
    good = client.post(url, data={"csrf_token": token(client, f"/arenden/{number}"),
                                  "requested_on": received})  # fmt: skip
    assert good.status_code == 200
    assert "Anmälarens begäran om återkoppling är registrerad." in good.text
    assert f'Anmälaren begärde återkoppling <time datetime="{received}">' in good.text
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        audited = conn.scalars(select(AuditEntry.entity).where(AuditEntry.action == "update")).all()
    engine.dispose()
    assert "report" in audited
