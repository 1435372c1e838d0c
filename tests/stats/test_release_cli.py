"""`barnskydd stats release` end to end, and bad input that must publish nothing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barnskydd.cli.stats import app
from barnskydd.stats.measures import MEASURES
from tests.stats.conftest import report, write_extract

runner = CliRunner()


def release(extracts: Path, out: Path, *options: str) -> tuple[int, str]:
    """Run the release command; return exit code and output."""
    result = runner.invoke(app, ["release", "--extracts", str(extracts), "--out", str(out),
                                 *options])  # fmt: skip
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def published(synthetic_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a suppression release of the synthetic extracts."""
    out = tmp_path_factory.mktemp("published") / "release"
    code, output = release(synthetic_dir, out)
    assert code == 0, output
    return out


def test_release_writes_every_table_per_year(published: Path) -> None:
    for year in (2023, 2024):
        for measure in MEASURES:
            with (published / str(year) / measure.file_name).open(encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            assert rows
            assert all(r["year"] == str(year) for r in rows)
            assert list(rows[0])[: 1 + len(measure.keys)] == ["year", *measure.keys]
    header = (published / "2024" / "reports_by_municipality.csv").read_text().splitlines()[0]
    assert header == "year,municipality_code,reports,children,reports_per_1000_children"


def test_release_json_describes_method_and_tables(published: Path) -> None:
    meta = json.loads((published / "release.json").read_text(encoding="utf-8"))
    assert meta["protection"]["method"] == "suppression"
    assert meta["protection"]["threshold"] == 5
    assert meta["years"] == [2023, 2024]
    assert len(meta["tables"]) == 2 * len(MEASURES)
    assert meta["population_0_17"]["estimated"] is True
    assert "inte SCB:s siffra" in meta["population_0_17"]["method"]


def test_report_workbook_and_charts_are_written(published: Path) -> None:
    html = (published / "report.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    assert "Läs detta först" in html
    assert "Uppskattning, inte SCB:s siffra" in html
    book = load_workbook(published / "barnskydd-statistik.xlsx", read_only=True)
    assert {m.name for m in MEASURES} <= set(book.sheetnames)
    book.close()
    assert sorted(p.suffix for p in (published / "charts").iterdir()) == [".svg", ".svg"]


def test_dp_release_adds_margins_and_budget(synthetic_dir: Path, tmp_path: Path) -> None:
    code, output = release(synthetic_dir, tmp_path / "dp", "--protection", "dp", "--epsilon", "2")
    assert code == 0, output
    meta = json.loads((tmp_path / "dp" / "release.json").read_text(encoding="utf-8"))
    assert meta["protection"]["epsilon_total"] == pytest.approx(2.0)
    header = (tmp_path / "dp" / "2024" / "reports_by_reporter.csv").read_text().splitlines()[0]
    assert header == "year,reporter_category,reports,reports_moe95"
    with (tmp_path / "dp" / "2024" / "reports_by_municipality.csv").open() as f:
        assert len(list(csv.DictReader(f))) == 290  # every municipality, data or not


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (report(municipality_code="0000"), "column municipality_code, row 2"),
        (report(received_month="2024-00"), "column received_month, row 2"),
        (report(concerns=["rumour"]), "column concerns, row 2: unknown code 'rumour'"),
    ],
)
def test_bad_input_names_file_column_row_and_publishes_nothing(
    synthetic_dir: Path, tmp_path: Path, row: dict[str, object], words: str
) -> None:
    extracts = tmp_path / "in"
    shutil.copytree(synthetic_dir, extracts)
    write_extract(extracts / "zz_bad.parquet", [report(), row])
    out = tmp_path / "out"
    code, output = release(extracts, out)
    assert code == 2
    assert "zz_bad.parquet" in output
    assert words in output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in"]  # no staging directory left behind


def test_refuses_to_publish_over_an_earlier_release(published: Path, synthetic_dir: Path) -> None:
    code, output = release(synthetic_dir, published)
    assert code == 2
    assert "not an empty directory" in output


def test_unknown_engine_or_protection_is_refused(synthetic_dir: Path, tmp_path: Path) -> None:
    assert release(synthetic_dir, tmp_path / "a", "--engine", "oracle")[0] == 2
    assert release(synthetic_dir, tmp_path / "b", "--protection", "none")[0] == 2
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()
