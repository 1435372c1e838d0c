"""barnskydd import DIR --as USER: the summary, the progress, the exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

from barnskydd.cases.models import Case
from tests.cli.test_cli_chain import _count, _run, db  # noqa: F401  (db: a fixture)
from tests.importer.test_import import SAMPLE, _edit


def test_import_prints_the_summary_and_a_second_run_adds_nothing(db: str) -> None:  # noqa: F811
    code, out, err = _run("import", str(SAMPLE), "--as", "anna")
    assert code == 0, err
    assert "4 anmälningar med 15 steg" in out
    assert "4 av 4 anmälningar behandlade" in err  # the progress, on stderr
    code, out, err = _run("import", str(SAMPLE), "--as", "anna", "--quiet")
    assert code == 0, err
    assert "Fanns redan (importerade tidigare): 4 anmälningar." in out
    assert err == ""
    assert _count(db, Case) == 4


def test_a_refused_row_is_named_and_exits_2(db: str, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "source"
    shutil.copytree(SAMPLE, source)
    _edit(source, "children.jsonl", "B3", identity="20160404-1548")
    code, out, _ = _run("import", str(source), "--as", "anna", "--quiet")
    assert code == 2
    assert "children.jsonl rad 3, fält identity:" in out
    assert "(anmälan A3 importerades inte)" in out
    assert "20160404" not in out  # no identity number in the summary
    assert _count(db, Case) == 3


def test_a_directory_without_a_manifest_exits_2(db: str, tmp_path: Path) -> None:  # noqa: F811
    code, _, err = _run("import", str(tmp_path), "--as", "anna")
    assert code == 2
    assert "manifest.json saknas" in err
