"""Reading a directory of extracts side by side refuses with the error the file-by-file read gave.

`sequential` is how read_extracts worked before (commit 439fcec): each file through
read_extract in name order, then the check for report_ids repeated across files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from barnskydd.stats import schema
from tests.stats.conftest import report, write_extract

CODES = ["0114", "0115", "2401"]


def sequential(directory: Path) -> list[schema.Extract]:
    """Read the extracts one by one, as read_extracts did before."""
    paths = sorted(directory.glob("*.parquet"))
    extracts = [schema.Extract(p, schema.read_extract(p, municipality_codes=CODES)) for p in paths]
    schema._refuse_duplicates_across_files(extracts)
    return extracts


def error_of(read: Callable[[Path], Any], directory: Path) -> str:
    """Return the message a read of the directory refuses with."""
    with pytest.raises(schema.ExtractError) as refused:
        read(directory)
    return str(refused.value)


def _broken_sets() -> dict[str, dict[str, list[dict[str, Any]] | bytes]]:
    twice = report()
    return {
        "repeat in a file before a later column's error": {
            "a.parquet": [report(), twice, report(child_key="NOT-HEX"), twice],
        },
        "repeat across files": {
            "a.parquet": [twice, report()],
            "b.parquet": [report(), twice],
        },
        "repeat in a later file, error in an earlier one": {
            "a.parquet": [report(child_age=99)],
            "b.parquet": [twice, twice],
        },
        "errors in two files": {
            "a.parquet": [report(), report(reporter_category="neighbour")],
            "b.parquet": [report(municipality_code="9999")],
        },
        "unreadable file after a repeat across files": {
            "a.parquet": [twice],
            "b.parquet": [twice],
            "c.parquet": b"not parquet",
        },
        "unreadable file before a repeat": {
            "a.parquet": b"not parquet",
            "b.parquet": [twice, twice],
        },
    }


@pytest.mark.parametrize("case", list(_broken_sets()))
def test_refused_with_the_same_error_as_file_by_file(tmp_path: Path, case: str) -> None:
    for name, rows in _broken_sets()[case].items():
        if isinstance(rows, bytes):
            (tmp_path / name).write_bytes(rows)
        else:
            write_extract(tmp_path / name, rows)
    expected = error_of(sequential, tmp_path)
    assert error_of(lambda d: schema.read_extracts(d, municipality_codes=CODES), tmp_path) == (
        expected
    )


def test_valid_files_read_as_before(synthetic_dir: Path) -> None:
    before = sequential(synthetic_dir)
    after = schema.read_extracts(synthetic_dir, municipality_codes=CODES)
    assert [e.path for e in after] == [e.path for e in before]
    assert all(a.table.equals(b.table) for a, b in zip(after, before, strict=True))
