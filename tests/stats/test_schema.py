"""The extract schema v1: what read_extract accepts and how it names what it refuses."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from barnskydd.cases.codes import Concern, ReporterCategory
from barnskydd.stats.schema import (
    CONCERNS,
    EXTRACT_SCHEMA,
    PRELIMINARY_OUTCOMES,
    REPORTER_CATEGORIES,
    ExtractError,
    read_extract,
    read_extracts,
)
from tests.stats.conftest import report, write_extract

CODES = ["0114", "0115", "2401"]


def refused(tmp_path: Path, *rows: dict[str, object]) -> ExtractError:
    """Write rows and return the error reading them raises."""
    path = write_extract(tmp_path / "bad.parquet", list(rows))
    with pytest.raises(ExtractError) as caught:
        read_extract(path, municipality_codes=CODES)
    return caught.value


def test_code_lists_are_the_case_chain_codes_plus_pending() -> None:
    assert tuple(ReporterCategory) == REPORTER_CATEGORIES
    assert tuple(Concern) == CONCERNS
    assert PRELIMINARY_OUTCOMES[-1] == "pending"


def test_valid_extract_reads_with_exact_schema(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "ok.parquet", [report(), report(child_age=None)])
    table = read_extract(path, municipality_codes=CODES)
    assert table.schema.equals(EXTRACT_SCHEMA)
    assert table.num_rows == 2


@pytest.mark.parametrize(
    ("override", "column", "words"),
    [
        ({"municipality_code": "9999"}, "municipality_code", "unknown municipality"),
        ({"received_month": "2024-13"}, "received_month", "month out of range"),
        ({"received_month": "1999-12"}, "received_month", "month out of range"),
        ({"received_month": "2024-3"}, "received_month", "YYYY-MM"),
        ({"child_age": 21}, "child_age", "age out of range"),
        ({"child_age": -1}, "child_age", "age out of range"),
        ({"reporter_category": "teacher"}, "reporter_category", "unknown code 'teacher'"),
        ({"child_gender": "x"}, "child_gender", "unknown code"),
        ({"concerns": ["neglect", "gossip"]}, "concerns", "unknown code 'gossip'"),
        ({"interventions": ["prison"]}, "interventions", "unknown code"),
        ({"extract_version": 3}, "extract_version", "version"),
        ({"child_key": "19121212-1212"}, "child_key", "hex"),
        ({"preliminary_outcome": "pending"}, "preliminary_on_time", "pending"),
        ({"preliminary_outcome": "investigation_opened"}, "investigation_outcome", "ongoing"),
        ({"investigation_outcome": "ongoing"}, "investigation_outcome", "no investigation"),
    ],
)
def test_bad_value_is_named_by_file_column_and_row(
    tmp_path: Path, override: dict[str, object], column: str, words: str
) -> None:
    error = refused(tmp_path, report(), report(), report(**override))
    assert error.column == column
    assert error.row == 3
    assert words in error.message
    assert "bad.parquet" in error.message
    assert f"column {column}" in error.message


def test_duplicate_report_id_names_both_rows(tmp_path: Path) -> None:
    error = refused(
        tmp_path, report(report_id="same-id-123"), report(), report(report_id="same-id-123")
    )
    assert (error.column, error.row) == ("report_id", 3)
    assert "first in row 1" in error.message


def test_missing_and_extra_columns_are_refused(tmp_path: Path) -> None:
    schema = EXTRACT_SCHEMA.remove(EXTRACT_SCHEMA.get_field_index("lvu"))
    rows = [{k: v for k, v in report().items() if k != "lvu"}]
    path = write_extract(tmp_path / "missing.parquet", rows, schema)
    with pytest.raises(ExtractError, match="column lvu: missing column"):
        read_extract(path, municipality_codes=CODES)
    schema = EXTRACT_SCHEMA.append(pa.field("name", pa.string()))
    path = write_extract(tmp_path / "extra.parquet", [report(name="Anna")], schema)
    with pytest.raises(ExtractError, match="column name: unexpected column"):
        read_extract(path, municipality_codes=CODES)


def test_wrong_type_is_refused(tmp_path: Path) -> None:
    schema = EXTRACT_SCHEMA.set(
        EXTRACT_SCHEMA.get_field_index("child_age"), pa.field("child_age", pa.string())
    )
    path = write_extract(tmp_path / "typed.parquet", [report(child_age="7")], schema)
    with pytest.raises(ExtractError, match="column child_age: type string, expected int32"):
        read_extract(path, municipality_codes=CODES)


def test_not_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("kommun;antal\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="not a readable Parquet file"):
        read_extract(path, municipality_codes=CODES)


def test_same_report_in_two_files_is_refused(tmp_path: Path) -> None:
    row = report()
    write_extract(tmp_path / "a.parquet", [row])
    write_extract(tmp_path / "b.parquet", [report(), row])
    with pytest.raises(ExtractError, match=r"b\.parquet, column report_id, row 2: .*a\.parquet"):
        read_extracts(tmp_path, municipality_codes=CODES)


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no extract files"):
        read_extracts(tmp_path, municipality_codes=CODES)
