"""The analyst's municipality page in real headless Chromium, with axe-core on every view.

Reports are registered through the service layer (two children, several reporters, months
apart); the analyst opens the page, reads a chart's text alternative and its table, filters
by unit with the keyboard, and fetches the CSV the link names. No child's name or number
is on any page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from barnskydd.cases.codes import ReporterCategory
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR, registered_case
from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS
REPORTERS = (
    ReporterCategory.SCHOOL,
    ReporterCategory.POLICE,
    ReporterCategory.HEALTH_CARE,
    ReporterCategory.SCHOOL,
    ReporterCategory.PRESCHOOL,
    ReporterCategory.SCHOOL,
)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[str]:
    """A served desk with a dozen reports about two children over the last months."""
    database = tmp_path / "kommun.db"
    with serve(database) as url:
        engine = make_engine(f"sqlite:///{database}")
        with transaction(session_factory(engine)) as session:
            worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
            assert worker.unit_id is not None
            first = today().replace(day=1)
            for n in range(12):
                month = first - dt.timedelta(days=28 * (n % 6 + 1))
                registered_case(
                    session,
                    worker.unit_id,
                    worker,
                    child_identity=CHILD_PNR if n % 2 else OTHER_CHILD_PNR,
                    child_first_name="Saga" if n % 2 else "Elis",
                    received_at=dt.datetime.combine(month, dt.time(10), SWEDEN),
                    reporter_category=REPORTERS[n % len(REPORTERS)],
                )
        engine.dispose()
        yield url


def test_the_analyst_reads_filters_and_downloads(desk: str) -> None:
    from playwright.sync_api import expect

    with open_page(desk) as page:
        page.goto("/logga-in")
        page.get_by_label("Användarnamn").fill("analytiker")
        page.get_by_label("Lösenord").fill("demo")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("link", name="Kommunens siffror").click()
        expect(page.get_by_role("heading", name="Kommunens siffror", exact=True)).to_be_visible()
        assert_accessible(page, "kommunens siffror")
        chart = page.get_by_role("img", name="Anmälningar per månad")
        expect(chart).to_be_visible()
        assert "Samma siffror står i tabellen." in (chart.locator("desc").text_content() or "")
        expect(page.get_by_role("table", name="Frister per steg")).to_be_visible()
        # Two children: a count below 5, shown only as suppressed.
        expect(page.get_by_role("table", name="Barn med en anmälan i perioden")).to_contain_text(
            "–"
        )
        html = page.content()
        for secret in ("Saga", "Elis", "Lind", "20150916", "20120512", "BU-"):
            assert secret not in html
        # The unit filter with the keyboard.
        page.get_by_label("Enhet").focus()
        page.get_by_label("Enhet").select_option(label="Barn och unga Centrum")
        page.get_by_role("button", name="Visa").press("Enter")
        expect(
            page.get_by_role("heading", name="Kommunens siffror: Barn och unga Centrum")
        ).to_be_visible()
        assert_accessible(page, "kommunens siffror för en enhet")
        href = page.get_by_role("link", name="CSV").get_attribute("href")
        assert href is not None
        assert "enhet=" in href  # the download is of what the page shows
        csv_file = page.request.get(href)  # the browser's session
        assert csv_file.ok
        assert csv_file.text().startswith("table,month,category,column,value")
        # A bad month is named next to its field.
        page.get_by_label("Från månad (ÅÅÅÅ-MM)").fill("2026-13")
        page.get_by_role("button", name="Visa").click()
        expect(page.locator("#fran-fel")).to_contain_text("är ingen månad")
        assert_accessible(page, "kommunens siffror med ett fel")
