"""The municipality page, its downloads and its filters, on a small synthetic Göteborg.

Every number in the page's tables and in the CSV file is compared with the independent count
of tests/stats/test_municipal.py (plain SQL and Python over the database's tables); an empty
("–") cell must be one the service suppressed. No response holds an identity number, a name
or a case number of the generated children.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import REPORTER_LABELS, ReporterCategory
from barnskydd.cases.deadlines import RULE_LABELS
from barnskydd.cases.models import Case
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Mode, Settings
from barnskydd.people.models import Child
from barnskydd.staff import service as staff
from barnskydd.staff.models import StaffMember, Unit
from barnskydd.synth.generator import generate
from barnskydd.web.app import create_app
from tests.stats.test_municipal import END, PERIOD, START, expected
from tests.web.conftest import TestClient, login

TABLE_KEYS = {  # written out here, not read from the code under test
    "reports_by_month": ("month", "reporter_category"),
    "outcomes_by_reporter": ("reporter_category",),
    "outcomes_by_concern": ("concern",),
    "timeliness": ("rule",),
    "rereports": (),
}
QUERY = f"?fran={PERIOD.months[0]}&till={PERIOD.months[-1]}"
DASH = "–"


class Tables(HTMLParser):
    """Collect every table of a page: caption -> rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._text: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None:
            self._rows[-1].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "table" and self._caption is not None:
            self.tables[self._caption] = self._rows
            self._caption = None

    def handle_data(self, data: str) -> None:
        if self._in_caption and self._caption is not None:
            self._caption += data.strip()
        elif self._text is not None:
            self._text.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture(scope="module")
def goteborg(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A seeded SQLite desk with a small synthetic Göteborg (about 15 months)."""
    path = tmp_path_factory.mktemp("kommun") / "kommun.db"
    url = f"sqlite:///{path}"
    from barnskydd.core import migrate

    migrate.upgrade(url)  # the generator creates the demo accounts (password "demo")
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        generate(session, municipality_code="1480", start=START, end=END, seed=3, scale=0.006)
        staff.create_unit(session, name="Barn och unga Väster", municipality_code="1480")
    engine.dispose()
    return Settings(mode=Mode.DEMO, database_url=url)


@pytest.fixture
def db(goteborg: Settings) -> Session:
    engine = make_engine(goteborg.database_url)
    return session_factory(engine)()


def _shown(value: str) -> int | None:
    return None if value == DASH else int(value)


def test_every_number_on_the_page_and_in_the_csv_matches(goteborg: Settings, db: Session) -> None:
    want = expected(db, None, today=today())
    with TestClient(create_app(goteborg)) as client:
        login(client, "analytiker")
        page = client.get(f"/statistik/kommun{QUERY}")
        assert page.status_code == 200, page.text
        found = tables(page.text)
        downloaded = client.get(f"/statistik/kommun.csv{QUERY}")
        workbook = client.get(f"/statistik/kommun.xlsx{QUERY}")
    shown = hidden = 0

    def check(value: str, true: int) -> None:
        nonlocal shown, hidden
        if value == DASH:
            hidden += 1
            assert true > 0, "a zero is never suppressed here"
        else:
            shown += 1
            assert int(value) == true

    months = found["Anmälningar per månad och anmälarkategori"]
    assert [r[0] for r in months[1:]] == PERIOD.months
    categories = [c.value for c in ReporterCategory]
    for row in months[1:]:
        check(row[1], want["reports_by_month"][(row[0], "all")]["reports"])
        for value, category in zip(row[2:], categories, strict=True):
            check(value, want["reports_by_month"][(row[0], category)]["reports"])
    labels = {label: c.value for c, label in REPORTER_LABELS.items()} | {"Alla": "all"}
    columns = ("reports", "screened_out", "investigation_opened", "with_interventions")
    for row in found["Vad anmälningarna leder till, per anmälarkategori"][1:]:
        for value, column in zip(row[1:5], columns, strict=True):
            check(value, want["outcomes_by_reporter"][(labels[row[0]],)][column])
    rules = {label: rule for rule, label in RULE_LABELS.items()}
    for row in found["Frister per steg"][1:]:
        for value, column in zip(row[1:4], ("due", "on_time", "late"), strict=True):
            check(value, want["timeliness"][(rules[row[0]],)][column])
    (rere,) = found["Barn med en anmälan i perioden"][1:]
    check(rere[0], want["rereports"][()]["children"])
    check(rere[1], want["rereports"][()]["children_rereported_within_12_months"])
    assert shown > 50
    assert want["outcomes_by_reporter"][("all",)]["reports"] > 50

    # The CSV holds the same numbers, the workbook one sheet per table.
    assert downloaded.headers["content-type"].startswith("text/csv")
    for row in csv.DictReader(io.StringIO(downloaded.text)):
        key: tuple[str, ...] = tuple(k for k in (row["month"], row["category"]) if k)
        true = want[row["table"]].get(key, {}).get(row["column"])
        if true is not None and row["value"] != "":
            assert int(row["value"]) == true, row
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "Om statistiken"
    assert "timeliness" in book.sheetnames
    assert "Ingen nationell statistik är inläst" in page.text


def test_no_identity_number_name_or_case_number_in_any_response(
    goteborg: Settings, db: Session
) -> None:
    children = list(db.scalars(select(Child)))
    numbers = list(db.scalars(select(Case.case_number)))
    assert children
    assert numbers
    with TestClient(create_app(goteborg)) as client:
        login(client, "analytiker")
        texts = [
            client.get(f"/statistik/kommun{QUERY}").text,
            client.get(f"/statistik/kommun.csv{QUERY}").text,
            " ".join(
                str(c.value)
                for sheet in load_workbook(
                    io.BytesIO(client.get(f"/statistik/kommun.xlsx{QUERY}").content)
                )
                for row in sheet.iter_rows()
                for c in row
            ),
        ]
    for text in texts:
        assert not re.search(r"BU-\d{4}-", text)
        assert not re.search(r"\b(19|20)\d{6}[-+]?\d{4}\b", text)
        for child in children:
            assert child.identity_number not in text
            assert f"{child.first_name} {child.last_name}" not in text
        for number in numbers:
            assert number not in text


def test_team_lead_sees_own_unit_and_bad_input_is_named(goteborg: Settings, db: Session) -> None:
    lead = db.scalars(select(StaffMember).where(StaffMember.username == "arbetsledare")).one()
    own = db.get(Unit, lead.unit_id)
    other = db.scalars(select(Unit).where(Unit.id != lead.unit_id)).first()
    assert own is not None
    assert other is not None
    with TestClient(create_app(goteborg)) as client:
        login(client, "arbetsledare")
        page = client.get(f"/statistik/kommun{QUERY}")
        assert page.status_code == 200
        assert f"Kommunens siffror: {own.name}" in page.text
        assert 'name="enhet"' not in page.text
        refused = client.get(f"/statistik/kommun?enhet={other.id}")
        assert refused.status_code == 422  # not in the team lead's list
        assert "Välj en enhet i listan." in refused.text
        assert f"Kommunens siffror: {own.name}" in refused.text
        bad = client.get("/statistik/kommun?fran=2026-13&till=2026-01")
        assert bad.status_code == 422
        assert '<p class="error" id="fran-fel">&#39;2026-13&#39; är ingen månad' in bad.text
        assert 'aria-invalid="true"' in bad.text
        assert client.get("/statistik/kommun.csv?fran=x").status_code == 422
        login(client, "admin")
        assert client.get("/statistik/kommun?enhet=99999").status_code == 422


def test_comparison_with_a_loaded_national_release(goteborg: Settings, tmp_path: Path) -> None:
    release = tmp_path / "release"
    (release / "2025").mkdir(parents=True)
    (release / "release.json").write_text(
        json.dumps({"years": [2024, 2025], "protection": {"method": "suppression"}}),
        encoding="utf-8",
    )
    reporters = ["year,reporter_category,reports,investigation_opened,with_interventions"]
    reporters += [f"2025,{c.value},100,25,10" for c in ReporterCategory]
    (release / "2025" / "funnel_by_reporter.csv").write_text("\n".join(reporters) + "\n")
    (release / "2025" / "timeliness_by_municipality.csv").write_text(
        "year,municipality_code,preliminary_decided,preliminary_on_time,"
        "investigations_completed,investigations_on_time\n2025,0180,200,150,50,40\n"
        "2025,1480,,,50,30\n"
    )
    (release / "2025" / "rereports.csv").write_text(
        "year,children,children_rereported_within_12_months\n2025,1000,300\n"
    )
    settings = goteborg.model_copy(update={"national_release_dir": release})
    with TestClient(create_app(settings)) as client:
        login(client, "analytiker")
        page = client.get(f"/statistik/kommun{QUERY}")
    compared = tables(page.text)["Kommunen jämförd med den nationella statistiken 2025"]
    rows = {r[0]: r[1:] for r in compared[1:]}
    assert rows["Andel anmälningar där utredning inleds"][1] == "25 %"
    assert rows["Andel anmälningar från polis"][1] == "8 %"  # 100 of 1 200
    assert rows["Andel i tid: förhandsbedömning"][1] == "75 %"  # 150 of 200, suppressed left out
    assert rows["Andel i tid: utredning"][1] == "70 %"
    assert rows["Andel barn som anmäls igen inom 12 månader"][1] == "30 %"


def test_the_cli_prints_the_same_numbers(
    goteborg: Settings, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from barnskydd.cli import app
    from barnskydd.core.settings import get_settings

    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", goteborg.database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    args = ["stats", "kommun", "--from", PERIOD.months[0], "--to", PERIOD.months[-1]]
    result = runner.invoke(app, [*args, "--json", "--as", "analytiker"])
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    want = expected(db, None, today=today())
    shown = 0
    for table, rows in printed["tables"].items():
        keys = TABLE_KEYS[table]
        for row in rows:
            counts = want[table][tuple(row[k] for k in keys)]
            for column, true in counts.items():
                if row[column] is not None:
                    assert row[column] == true, (table, row, column)
                    shown += 1
    assert shown > 50
    assert printed["national"]["loaded"] is False
    text = runner.invoke(app, [*args, "--as", "analytiker"])
    assert "Kommunens siffror" in text.stdout
    assert runner.invoke(app, [*args, "--as", "handlaggare"]).exit_code == 4
    bad = runner.invoke(app, ["stats", "kommun", "--from", "2026-13", "--to", "2026-01"])
    assert bad.exit_code == 2
    assert "(--from)" in bad.stderr
    assert runner.invoke(app, [*args, "--unit", "Finns inte", "--as", "admin"]).exit_code == 3
    get_settings.cache_clear()
