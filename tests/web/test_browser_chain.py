"""The whole chain in real headless Chromium, as a case worker and then as the team lead.

The case worker registers a report, assesses protection, opens an investigation, records a
BBIC note, decides an intervention, completes the investigation with interventions and follows
it up, checking the inbox and the deadlines (days left, legal reference) along the way. The
team lead then finds the case in the unit's view, reassigns it to another case worker and sees
that on the case page. axe-core runs on every page visited; the main pages are saved as the
screenshots the README shows (docs/screenshots/, written there by `make screenshots` alone).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.cases import service as cases
from barnskydd.cases.codes import Channel, Concern, ReporterCategory
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS

OTHER_WORKER = "Kim Berg"  # a second case worker in the team lead's unit
THIRD_CHILD_PNR = "20170312-2307"
DAYS_LEFT = re.compile(r"\d+ dagar? kvar|Sista dagen idag")
REFERENCE = re.compile(r"\d+ kap\. \d+ § .*socialtjänstlagen \(\d{4}:\d+\)")


def _prepare(database: Path) -> None:
    """Add a second case worker and two older reports, so the unit's view has some risk."""
    engine = make_engine(f"sqlite:///{database}")
    admin = Actor(username="admin", role=Role.ADMIN)
    now = dt.datetime.now(SWEDEN)
    with transaction(session_factory(engine)) as session:
        kim = staff.create(
            session,
            username="kberg",
            display_name=OTHER_WORKER,
            role=Role.CASE_WORKER,
            unit_id=1,
        )
        for identity, first, days_ago in ((OTHER_CHILD_PNR, "Alva", 20), (None, "Noah", 12)):
            data = ReportCreate(
                child_identity=identity or THIRD_CHILD_PNR,
                child_first_name=first,
                child_last_name="Ek",
                received_at=now - dt.timedelta(days=days_ago),
                channel=Channel.EMAIL,
                reporter_category=ReporterCategory.POLICE,
                mandatory_reporter=True,
                reporter_organisation="Polisen",
                concerns=[Concern.PARENTAL_SUBSTANCE_ABUSE],
                free_text="Syntetisk anmälan i webbläsartest.",
                unit_id=1,
                assigned_to_id=kim.id,
            )
            cases.register_report(session, actor=admin, data=data)
    engine.dispose()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A Chromium page on a freshly served desk with the extra worker and reports."""
    database = tmp_path / "chain.db"
    with serve(database) as url:
        _prepare(database)
        with open_page(url) as browser_page:
            yield browser_page


def _login(page: Any, username: str) -> None:
    from playwright.sync_api import expect

    page.goto("/logga-in")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert_accessible(page, "logga in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()
    assert_accessible(page, f"inkorg ({username})")


def _take(page: Any, step: str, saved: str) -> None:
    """Submit a step's form and wait for the case page to say it was saved."""
    from playwright.sync_api import expect

    page.locator(f"form#{step}").get_by_role("button", name=re.compile("^Spara")).click()
    expect(page.get_by_role("status")).to_contain_text(f"{saved}: sparat.")
    assert_accessible(page, f"ärendesidan efter {step}")


def _deadline(page: Any, label: str) -> Any:
    """Return the row of the case page's deadline table for a step."""
    return page.locator("section[aria-labelledby=frister] tr").filter(has_text=label)


def _timeline(page: Any) -> Any:
    return page.locator("ol.timeline")


def _fact(page: Any, label: str) -> Any:
    """Return one fact (label and value) of the case page's first list."""
    return (
        page.locator("dl.facts")
        .first.locator("div")
        .filter(has=page.locator("dt", has_text=re.compile(f"^{label}$")))
    )


def test_the_chain_from_report_to_follow_up_and_reassignment(page: Any, screenshots: Path) -> None:
    from playwright.sync_api import expect

    # The case worker: the report.
    _login(page, "handlaggare")
    expect(page.get_by_text("Inga öppna steg.")).to_be_visible()  # nothing of their own yet
    page.get_by_role("link", name="Registrera anmälan").click()
    expect(page.get_by_role("heading", name="Registrera orosanmälan")).to_be_visible()
    page.get_by_label(re.compile("^Personnummer")).fill(CHILD_PNR)
    page.get_by_label(re.compile("^Förnamn")).fill("Saga")
    page.get_by_label(re.compile("^Efternamn")).fill("Lind")
    page.get_by_label("Hur anmälan kom in").select_option("phone")
    page.get_by_label("Försummelse").check()
    page.get_by_label("Anmälans innehåll").fill("Syntetisk anmälan i webbläsartest.")
    page.get_by_label("Anmälare", exact=False).first.select_option("school")
    page.get_by_label("Anmälningsskyldig").check()
    page.get_by_label("Anmälaren vill ha återkoppling").check()
    page.get_by_label("Organisation").fill("Testskolan")
    assert_accessible(page, "registrera anmälan")
    page.screenshot(path=str(screenshots / "anmalan.png"), full_page=True)
    page.get_by_role("button", name="Registrera anmälan").click()
    heading = page.get_by_role("heading", name=re.compile(r"Ärende BU-\d{4}-\d{6}"))
    expect(heading).to_be_visible()
    number = heading.inner_text().removeprefix("Ärende ")
    expect(page.get_by_role("status")).to_contain_text("Gör skyddsbedömningen nu")
    expect(_deadline(page, "Skyddsbedömning")).to_contain_text("Sista dagen idag")
    expect(_deadline(page, "Skyddsbedömning")).to_contain_text(REFERENCE)
    expect(_deadline(page, "Förhandsbedömning")).to_contain_text(DAYS_LEFT)
    assert_accessible(page, "nytt ärende")

    # The inbox has the protection assessment, due today.
    page.get_by_role("link", name="Inkorg").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Sista dagen idag")
    assert_accessible(page, "inkorg med skyddsbedömning")
    row.get_by_role("link", name=number).click()

    # Protection and preliminary assessments; an investigation opens.
    protection = page.locator("form#assess_protection")
    protection.get_by_label("Nej").check()
    protection.get_by_label("Anteckning").fill("Inget behov av omedelbart skydd.")
    _take(page, "assess_protection", "Skyddsbedömning")
    expect(_timeline(page)).to_contain_text("inget behov av omedelbart skydd")
    expect(_deadline(page, "Skyddsbedömning")).to_contain_text("Klart")
    preliminary = page.locator("form#decide_preliminary")
    preliminary.get_by_role("combobox", name="Beslut").select_option("investigation_opened")
    _take(page, "decide_preliminary", "Beslut efter förhandsbedömning")
    expect(_timeline(page)).to_contain_text("Utredning inleddes")
    investigation = _deadline(page, "Utredning")
    expect(investigation).to_contain_text(DAYS_LEFT)
    expect(investigation).to_contain_text(REFERENCE)

    # The inbox now has the investigation, with days left, and the reporter's feedback week.
    page.get_by_role("link", name="Inkorg").click()
    rows = page.get_by_role("row").filter(has_text=number)
    expect(rows.filter(has_text="Återkoppling till anmälaren")).to_contain_text("19 kap. 6 §")
    row = rows.filter(has_text="Utredning")
    expect(row).to_contain_text(DAYS_LEFT)
    assert_accessible(page, "inkorg med utredning")
    page.screenshot(path=str(screenshots / "inkorg.png"), full_page=True)
    row.get_by_role("link", name=number).click()

    # BBIC, an intervention, completion with interventions, follow-up.
    bbic = page.locator("form#record_bbic")
    bbic.get_by_label("BBIC-område").select_option("child_development:health")
    bbic.get_by_label("Text").fill("Syntetisk text om barnets hälsa.")
    _take(page, "record_bbic", "Dokumentera enligt BBIC")
    intervention = page.locator("form#decide_intervention")
    intervention.get_by_label("Insats").select_option("open_care")
    _take(page, "decide_intervention", "Beslut om insats")
    expect(_timeline(page)).to_contain_text("Beslut om insats: Öppenvård (SoL)")
    completion = page.locator("form#complete_investigation")
    completion.get_by_label("Utfall").select_option("interventions")
    _take(page, "complete_investigation", "Avsluta utredningen")
    expect(_timeline(page)).to_contain_text("Utredningen avslutades: Insats beviljas")
    expect(_deadline(page, "Utredning")).to_contain_text("Klart")
    page.locator("form#follow_up").get_by_label("Anteckning").fill("Insatsen följdes upp.")
    page.locator("form#follow_up").get_by_label("Barnets röst").select_option("declined_by_child")
    _take(page, "follow_up", "Uppföljning")
    expect(_timeline(page)).to_contain_text("Uppföljning")
    page.screenshot(path=str(screenshots / "arende.png"), full_page=True)

    # Of the case only the reporter's feedback is left in the inbox: the chain's steps are done.
    page.get_by_role("link", name="Inkorg").click()
    left = page.get_by_role("row").filter(has_text=number)
    expect(left).to_have_count(1)
    expect(left).to_contain_text("Återkoppling till anmälaren")
    assert_accessible(page, "inkorg efter kedjan")

    # A new report about the same child: a second case, its protection assessment due today.
    page.get_by_role("link", name="Registrera anmälan").click()
    page.get_by_label(re.compile("^Personnummer")).fill(CHILD_PNR)
    page.get_by_label(re.compile("^Förnamn")).fill("Saga")
    page.get_by_label(re.compile("^Efternamn")).fill("Lind")
    page.get_by_label("Hur anmälan kom in").select_option("letter")
    page.get_by_label("Skolfrånvaro").check()
    page.get_by_label("Anmälans innehåll").fill("Ny syntetisk anmälan i webbläsartest.")
    page.get_by_label("Anmälare", exact=False).first.select_option("police")
    page.get_by_role("button", name="Registrera anmälan").click()
    heading = page.get_by_role("heading", name=re.compile(r"Ärende BU-\d{4}-\d{6}"))
    expect(heading).not_to_have_text(f"Ärende {number}")
    second = heading.inner_text().removeprefix("Ärende ")
    expect(_timeline(page)).to_contain_text("Orosanmälan inkom")
    page.get_by_role("link", name="Inkorg").click()
    expect(page.get_by_role("row").filter(has_text=second)).to_contain_text("Sista dagen idag")
    page.get_by_role("button", name="Logga ut").click()
    # Wait for the logout to land: its cookie, arriving after the next login page's, would
    # erase that page's CSRF token.
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()

    # The team lead: the unit's view with deadline risk, reassignment, the case page.
    _login(page, "arbetsledare")
    page.get_by_role("link", name="Enhetens ärenden").click()
    expect(page.get_by_role("heading", name=re.compile("^Enhetens ärenden"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Försenad").first).to_be_visible()
    row = page.get_by_role("row").filter(has_text=second)
    expect(row).to_contain_text("Skyddsbedömning")
    expect(row).to_contain_text("Handlaggare")
    assert_accessible(page, "enhetens ärenden")
    page.screenshot(path=str(screenshots / "enhet.png"), full_page=True)
    row.get_by_label(f"Handläggare för {second}").select_option(label=OTHER_WORKER)
    row.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Ärende {second} är fördelat till {OTHER_WORKER}"
    )
    assert_accessible(page, "enhetens ärenden efter omfördelning")
    page.get_by_role("link", name=second).click()
    expect(_fact(page, "Handläggare")).to_contain_text(OTHER_WORKER)
    assert_accessible(page, "omfördelat ärende")

    # The completed case, reassigned from its case page.
    page.goto(f"/arenden/{number}")
    expect(_fact(page, "Handläggare")).to_contain_text("Handlaggare")
    assert_accessible(page, "avslutad utredning")
    reassign = page.locator("form#reassign")
    reassign.get_by_label("Handläggare").select_option(label=OTHER_WORKER)
    reassign.get_by_role("button", name="Fördela om").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Ärende {number} är fördelat till {OTHER_WORKER}"
    )
    expect(_fact(page, "Handläggare")).to_contain_text(OTHER_WORKER)
    assert_accessible(page, "ärendesidan efter omfördelning")

    # Search finds both of the child's cases.
    page.get_by_role("link", name="Sök", exact=True).click()
    assert_accessible(page, "sök")
    page.get_by_label("Personnummer, namn eller ärendenummer").fill("saga lind")
    page.get_by_label("Syfte med sökningen").select_option("new_report")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", name="2 träffar")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=number)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=second)).to_be_visible()
    assert_accessible(page, "sökträffar")
    page.screenshot(path=str(screenshots / "sok.png"), full_page=True)
