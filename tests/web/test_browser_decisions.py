"""A decision in real headless Chromium: refuse an application, open the letter, record told.

The case (under investigation, the mother a custodian) is prepared through the services; the
case worker then takes the refusal on the case page, opens the letter to the mother, records
that she was handed it, and sees the last day to appeal. axe-core runs on each page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnskydd.cases import chain, family
from barnskydd.cases import service as cases
from barnskydd.cases.chain import inputs as step
from barnskydd.cases.codes import Channel, Concern, PreliminaryOutcome, ReporterCategory
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.law.decisions import appeal_due
from barnskydd.staff import service as staff
from tests.factories import CHILD_PNR
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS


def _prepare(database: Path) -> str:
    """Register a report, open its investigation, record the mother; return the case number."""
    engine = make_engine(f"sqlite:///{database}")
    now = dt.datetime.now(SWEDEN)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        data = ReportCreate(
            child_identity=CHILD_PNR,
            child_first_name="Saga",
            child_last_name="Lind",
            received_at=now - dt.timedelta(days=3),
            channel=Channel.PHONE,
            reporter_category=ReporterCategory.SCHOOL,
            mandatory_reporter=True,
            reporter_organisation="Testskolan",
            concerns=[Concern.NEGLECT],
            free_text="Syntetisk anmälan i webbläsartest.",
            unit_id=worker.unit_id,
            assigned_to_id=worker.staff_id,
        )
        case = cases.register_report(session, actor=worker, data=data)
        for taken in (
            step.AssessProtection(
                assessed_at=now - dt.timedelta(days=3, hours=-1),
                immediate_protection_needed=False,
            ),
            step.DecidePreliminary(
                decided_on=today() - dt.timedelta(days=2),
                outcome=PreliminaryOutcome.INVESTIGATION_OPENED,
            ),
        ):
            chain.take(session, actor=worker, case=case, data=taken)
        mother = GuardianInput.from_text(
            {
                "first_name": "Lena",
                "last_name": "Lind",
                "relation": "mother",
                "address": "Storgatan 1, 451 30 Uddevalla",
            }
        )
        family.add_guardian(session, actor=worker, case=case, data=mother)
        number = case.case_number
    engine.dispose()
    return number


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """A Chromium page on a freshly served desk, and the prepared case's number."""
    database = tmp_path / "decisions.db"
    with serve(database) as url:
        number = _prepare(database)
        with open_page(url) as browser_page:
            yield browser_page, number


def test_refuse_open_the_letter_and_record_that_the_mother_was_told(
    served: tuple[Any, str],
) -> None:
    from playwright.sync_api import expect

    page, number = served
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()
    page.goto(f"/arenden/{number}")

    form = page.locator("form#refuse_intervention")
    form.get_by_role("combobox", name="Insats som söktes").select_option("contact_person_or_family")
    form.get_by_label("Ansökan inkom").fill(today().isoformat())
    form.get_by_label("Skäl för avslaget").fill("Behovet tillgodoses genom öppenvården.")
    form.get_by_role("button", name=re.compile("^Spara")).click()
    expect(page.get_by_role("status")).to_contain_text("Avslag på ansökan om insats: sparat.")
    section = page.locator("section[aria-labelledby=beslut]")
    expect(section).to_contain_text("Avslag på ansökan om kontaktperson/kontaktfamilj")
    expect(section).to_contain_text("11 kap. 1 § och 13 kap. 7 § socialtjänstlagen (2025:400)")
    expect(section.get_by_role("row").filter(has_text="Lena Lind")).to_contain_text(
        "Inte registrerat"
    )
    assert_accessible(page, "ärendesidan med beslut")

    section.get_by_role("link", name="Visa brevet till Lena Lind").click()
    expect(page.get_by_role("heading", name="Beslutsmeddelande till Lena Lind")).to_be_visible()
    letter = page.get_by_role("article", name="Brevet")
    expect(letter).to_contain_text("Storgatan 1, 451 30 Uddevalla")
    expect(letter.get_by_role("heading", name="Hur man överklagar")).to_be_visible()
    expect(letter).to_contain_text("inom tre veckor från den dag du fick del av beslutet")
    assert_accessible(page, "beslutsmeddelande")

    page.get_by_label("Hur").select_option("handed_over")
    page.get_by_role("button", name="Registrera delgivningen").click()
    expect(page.get_by_role("status")).to_contain_text("Delgivningen är registrerad.")
    row = (
        page.locator("section[aria-labelledby=beslut]")
        .get_by_role("row")
        .filter(has_text="Lena Lind")
    )
    expect(row).to_contain_text(f"{today().isoformat()} (Lämnat personligen)")
    expect(row).to_contain_text(appeal_due(today()).isoformat())
    assert_accessible(page, "ärendesidan efter delgivning")
