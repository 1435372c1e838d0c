"""Reading a directory of extracts side by side refuses with the error the file-by-file read gave.

`sequential` is how read_extracts worked before (commit 439fcec, with extract version 2's
voice tables as the extractv branch read them): each file through read_extract in name order,
a version-2 file's voice table through read_voice right after it, then the voice tables
without their extract, and the check for report_ids repeated across files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from barnskydd.stats import schema
from tests.stats.conftest import report, write_extract

CODES = ["0114", "0115", "2401"]
VOICE_ROW = {
    "extract_version": 2,
    "municipality_code": "0114",
    "month": "2024-03",
    "theme": "safe",
    "band": "8-12",
    "child_gender": "girl",
    "intervention_category": None,
    "positive": True,
}


def sequential(directory: Path) -> list[schema.Extract]:
    """Read the extracts one by one, as read_extracts did before."""
    files = sorted(directory.glob("*.parquet"))
    paths = [p for p in files if not p.name.endswith(schema.VOICE_SUFFIX)]
    extracts = []
    for path in paths:
        table = schema.read_extract(path, municipality_codes=CODES)
        version = schema._version(table)
        voice = (
            schema.read_voice(schema.voice_path(path), municipality_codes=CODES)
            if version >= 2
            else None
        )
        extracts.append(schema.Extract(path, table, version, voice))
    for orphan in sorted(set(files) - set(paths) - {schema.voice_path(e.path) for e in extracts}):
        raise schema.ExtractError(orphan, "a voice table without its extract file (<name>.parquet)")
    for extract in extracts:
        if extract.version < 2 and schema.voice_path(extract.path).exists():
            raise schema.ExtractError(
                schema.voice_path(extract.path), "a voice table beside a version-1 extract"
            )
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
        "bad voice row before a repeat in a later file": {
            "a.parquet": [report(extract_version=2)],
            "a.voice.parquet": [VOICE_ROW, {**VOICE_ROW, "theme": "name"}],
            "b.parquet": [twice, twice],
        },
        "missing voice table before an error in a later file": {
            "a.parquet": [report(extract_version=2)],
            "b.parquet": [report(child_age=99)],
        },
        "error in an extract before its own bad voice table": {
            "a.parquet": [report(extract_version=2, municipality_code="9999")],
            "a.voice.parquet": [{**VOICE_ROW, "band": "99"}],
        },
        "bad voice row in a later file after a good version-2 file": {
            "a.parquet": [report(extract_version=2)],
            "a.voice.parquet": [VOICE_ROW],
            "b.parquet": [report(extract_version=2)],
            "b.voice.parquet": [{**VOICE_ROW, "month": "2024-13"}],
        },
        "voice table without its extract": {
            "a.parquet": [report()],
            "c.voice.parquet": [VOICE_ROW],
        },
        "voice table beside a version-1 extract": {
            "a.parquet": [report()],
            "a.voice.parquet": [VOICE_ROW],
        },
        "repeat across a version-1 and a version-2 file": {
            "a.parquet": [twice],
            "b.parquet": [{**twice, "extract_version": 2}],
            "b.voice.parquet": [VOICE_ROW],
        },
    }


@pytest.mark.parametrize("case", list(_broken_sets()))
def test_refused_with_the_same_error_as_file_by_file(tmp_path: Path, case: str) -> None:
    for name, rows in _broken_sets()[case].items():
        if isinstance(rows, bytes):
            (tmp_path / name).write_bytes(rows)
        elif name.endswith(schema.VOICE_SUFFIX):
            write_extract(tmp_path / name, rows, schema=schema.VOICE_SCHEMA)
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
    assert [e.version for e in after] == [e.version for e in before]
    assert [e.voice is None for e in after] == [e.voice is None for e in before]
    assert all(
        a.voice.equals(b.voice)
        for a, b in zip(after, before, strict=True)
        if a.voice is not None and b.voice is not None
    )


def test_version_2_files_read_with_their_voice_tables(tmp_path: Path) -> None:
    """Both versions side by side, each version-2 file with its own voice table."""
    write_extract(tmp_path / "a.parquet", [report()])
    for name, month in (("b", "2024-01"), ("c", "2024-02")):
        write_extract(tmp_path / f"{name}.parquet", [report(extract_version=2)])
        write_extract(
            tmp_path / f"{name}.voice.parquet",
            [{**VOICE_ROW, "month": month}] * 3,
            schema=schema.VOICE_SCHEMA,
        )
    after = schema.read_extracts(tmp_path, municipality_codes=CODES)
    before = sequential(tmp_path)
    assert [(e.path.name, e.version) for e in after] == [
        ("a.parquet", 1),
        ("b.parquet", 2),
        ("c.parquet", 2),
    ]
    assert after[0].voice is None
    for a, b in zip(after[1:], before[1:], strict=True):
        assert a.voice is not None
        assert b.voice is not None
        assert a.voice.equals(b.voice)
    assert after[2].voice is not None
    assert set(after[2].voice.column("month").to_pylist()) == {"2024-02"}
