"""The municipality's statistics extract, versions 1 and 2: columns, types, codes, validation.

This module is the single source of truth for the extract: `barnskydd stats extract` writes
`EXTRACT_SCHEMA` with these code lists (version 2, `EXTRACT_VERSION`) and `barnskydd stats
release` reads every file through `read_extract`, which refuses anything else with an error
naming the file, column and row. Both versions have the same report columns; they differ in:

- version 2 adds the preliminary outcome `early_help_offered` (screened out with early help
  offered, SoL 2025:400 11 kap. 5 §), which version 1 does not know;
- version 2 comes with a companion file `<name>.voice.parquet` (`VOICE_SCHEMA`): one row per
  theme a child answered at a follow-up, from the anonymous voice responses (month, theme,
  age band, gender, intervention category, positive or not), with nothing that joins back to
  a report, a case or a child. A version-1 file has none.

The release reads both versions side by side (`read_extracts`); the voice table covers the
version-2 files only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from barnskydd.cases.codes import (
    Concern,
    InterventionCategory,
    InvestigationOutcome,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.core.errors import InvalidInput
from barnskydd.voice.itemset import THEMES, item_set, versions

EXTRACT_VERSION = 2  # what `barnskydd stats extract` writes
EXTRACT_VERSIONS = (1, 2)  # what the release reads
VOICE_SUFFIX = ".voice.parquet"
PENDING = "pending"
ONGOING = "ongoing"
MIN_AGE, MAX_AGE = 0, 20
FIRST_YEAR = 2000  # no municipality system holds reports in this form from before

GENDERS: tuple[str, ...] = ("girl", "boy", "unknown")
REPORTER_CATEGORIES: tuple[str, ...] = tuple(c.value for c in ReporterCategory)
CONCERNS: tuple[str, ...] = tuple(c.value for c in Concern)
PRELIMINARY_OUTCOMES: tuple[str, ...] = (*(o.value for o in PreliminaryOutcome), PENDING)
# Version 1 as it was published: the chain's outcomes before early help, plus pending.
PRELIMINARY_OUTCOMES_V1: tuple[str, ...] = (
    "investigation_opened",
    "not_opened",
    "already_ongoing",
    "transferred",
    PENDING,
)
# An investigation ended without an intervention is one outcome nationally, whether or not the
# nämnd follows the child's situation up afterwards (23 kap. 1 §): the extract writes the
# follow-up as `no_intervention`, so the code list is the same in every version.
EXTRACT_INVESTIGATION_OUTCOME: dict[InvestigationOutcome, str] = {
    o: o.value for o in InvestigationOutcome
} | {InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP: InvestigationOutcome.NO_INTERVENTION.value}
INVESTIGATION_OUTCOMES: tuple[str, ...] = (
    *dict.fromkeys(EXTRACT_INVESTIGATION_OUTCOME.values()),
    ONGOING,
)
INTERVENTIONS: tuple[str, ...] = tuple(c.value for c in InterventionCategory)

EXTRACT_SCHEMA = pa.schema(
    [
        pa.field("extract_version", pa.int32(), nullable=False),
        pa.field("municipality_code", pa.string(), nullable=False),
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("child_key", pa.string(), nullable=False),
        pa.field("received_month", pa.string(), nullable=False),
        pa.field("child_age", pa.int32(), nullable=True),
        pa.field("child_gender", pa.string(), nullable=False),
        pa.field("reporter_category", pa.string(), nullable=False),
        pa.field("mandatory_reporter", pa.bool_(), nullable=False),
        pa.field("concerns", pa.list_(pa.string()), nullable=False),
        pa.field("preliminary_outcome", pa.string(), nullable=False),
        pa.field("preliminary_on_time", pa.bool_(), nullable=True),
        pa.field("investigation_outcome", pa.string(), nullable=True),
        pa.field("investigation_on_time", pa.bool_(), nullable=True),
        pa.field("interventions", pa.list_(pa.string()), nullable=False),
        pa.field("lvu", pa.bool_(), nullable=False),
    ]
)

CODE_LISTS: dict[str, tuple[str, ...]] = {
    "child_gender": GENDERS,
    "reporter_category": REPORTER_CATEGORIES,
    "concerns": CONCERNS,
    "preliminary_outcome": PRELIMINARY_OUTCOMES,
    "investigation_outcome": INVESTIGATION_OUTCOMES,
    "interventions": INTERVENTIONS,
}
# The code lists of each version: a version-1 file may not use a code added later.
CODE_LISTS_BY_VERSION: dict[int, dict[str, tuple[str, ...]]] = {
    1: CODE_LISTS | {"preliminary_outcome": PRELIMINARY_OUTCOMES_V1},
    2: CODE_LISTS,
}

# Version 2's voice table: the themes and age bands of the child's voice (voice.itemset).
VOICE_THEMES: tuple[str, ...] = THEMES
VOICE_BANDS: tuple[str, ...] = tuple(
    dict.fromkeys(b for v in versions() for b in item_set(v).band_ids)
)
VOICE_SCHEMA = pa.schema(
    [
        pa.field("extract_version", pa.int32(), nullable=False),
        pa.field("municipality_code", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
        pa.field("theme", pa.string(), nullable=False),
        pa.field("band", pa.string(), nullable=False),
        pa.field("child_gender", pa.string(), nullable=False),
        pa.field("intervention_category", pa.string(), nullable=True),
        pa.field("positive", pa.bool_(), nullable=False),
    ]
)
VOICE_CODE_LISTS: dict[str, tuple[str, ...]] = {
    "theme": VOICE_THEMES,
    "band": VOICE_BANDS,
    "child_gender": GENDERS,
    "intervention_category": INTERVENTIONS,
}

_MONTH = r"^[0-9]{4}-[0-9]{2}$"
_CHILD_KEY = r"^[0-9a-f]{32,128}$"  # lowercase hex; HMAC-SHA-256 gives 64 characters
_REPORT_ID = r"^[0-9A-Za-z_-]{8,64}$"  # random id; a free-text field cannot pass for one


class ExtractError(InvalidInput):
    """An extract file that follows no schema version; names file, column and row."""

    def __init__(
        self, path: Path, message: str, *, column: str | None = None, row: int | None = None
    ):
        where = [str(path)]
        if column is not None:
            where.append(f"column {column}")
        if row is not None:
            where.append(f"row {row}")
        super().__init__(f"{', '.join(where)}: {message}", field=column)
        self.path = path
        self.column = column
        self.row = row


@dataclass(frozen=True)
class Extract:
    """One validated extract file, its version, and (version 2) its voice table."""

    path: Path
    table: pa.Table
    version: int = 1
    voice: pa.Table | None = None


def month_index(year: int, month: int) -> int:
    """Return a month as a running number, so that month differences are subtractions."""
    return year * 12 + month - 1


def voice_path(path: Path) -> Path:
    """Return the voice table that goes with a version-2 extract file."""
    return path.with_name(path.name.removesuffix(".parquet") + VOICE_SUFFIX)


def read_extracts(directory: Path, *, municipality_codes: Iterable[str]) -> list[Extract]:
    """Read and validate every `*.parquet` extract in a directory; refuse repeats across files.

    Files of both versions are read and checked side by side, with every rule but the
    report_id repeats; a version-2 file's voice table (`<name>.voice.parquet`) is read and
    checked with it, in the same thread. Then every report_id of every file is checked for
    repeats in one query. Only when there is one are the files checked again one by one as
    `read_extract` and `read_voice` do (and as this did before), so that the error is the very
    one the sequential checks give first. A voice table without its extract is refused.
    """
    files = sorted(p for p in directory.glob("*.parquet") if p.is_file())
    paths = [p for p in files if not p.name.endswith(VOICE_SUFFIX)]
    if not paths:
        raise InvalidInput(f"{directory}: no extract files (*.parquet) found", field="extracts")
    codes = pa.array(sorted(set(municipality_codes)), pa.string())
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        screened = list(pool.map(partial(_read_screened, municipality_codes=codes), paths))
    if _distinct([s.table.column("report_id") for s in screened if s.table is not None]):
        for one in screened:
            if one.error is not None:
                raise one.error
        extracts = [
            Extract(path, one.table, _version(one.table), one.voice)
            for path, one in zip(paths, screened, strict=True)
            if one.table is not None
        ]
    else:
        extracts = []
        for path in paths:
            table = read_extract(path, municipality_codes=codes)
            version = _version(table)
            voice = read_voice(voice_path(path), municipality_codes=codes) if version >= 2 else None
            extracts.append(Extract(path, table, version, voice))
    for orphan in sorted(set(files) - set(paths) - {voice_path(e.path) for e in extracts}):
        raise ExtractError(orphan, "a voice table without its extract file (<name>.parquet)")
    for extract in extracts:
        if extract.version < 2 and voice_path(extract.path).exists():
            raise ExtractError(voice_path(extract.path), "a voice table beside a version-1 extract")
    _refuse_duplicates_across_files(extracts)
    return extracts


@dataclass(frozen=True)
class _Screened:
    """One file read and checked but for report_id repeats: its table, voice table and error.

    The table is kept with its error when the columns are right, so that its report_ids
    still take part in the check for repeats.
    """

    table: pa.Table | None
    voice: pa.Table | None = None
    error: ExtractError | None = None


def _read_screened(path: Path, *, municipality_codes: pa.Array) -> _Screened:
    """Read and check one file, and its voice table for version 2, as `read_extracts` does."""
    try:
        # One thread per file: the files are already read side by side.
        table = _conform_schema(path, _read_table(path, use_threads=False), EXTRACT_SCHEMA)
    except ExtractError as exc:
        return _Screened(None, error=exc)
    try:
        _validate_values(path, table, municipality_codes, unique_ids=False)
        voice = (
            read_voice(voice_path(path), municipality_codes=municipality_codes, use_threads=False)
            if _version(table) >= 2
            else None
        )
    except ExtractError as exc:
        return _Screened(table, error=exc)
    return _Screened(table, voice)


def _distinct(ids: list[pa.ChunkedArray]) -> bool:
    """Tell whether no report_id occurs twice among all of these (DuckDB, on every core)."""
    chunks = [chunk for column in ids for chunk in column.chunks]
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("ids", pa.table({"report_id": pa.chunked_array(chunks, pa.string())}))
        row = con.execute("SELECT COUNT(DISTINCT report_id) = COUNT(*) FROM ids").fetchone()
    finally:
        con.close()
    return bool(row and row[0])


def _version(table: pa.Table) -> int:
    """Return the version of a validated file (every row has the same, checked on reading)."""
    return (
        EXTRACT_VERSION if table.num_rows == 0 else int(table.column("extract_version")[0].as_py())
    )


def _read_table(path: Path, *, use_threads: bool = True) -> pa.Table:
    """Read a Parquet file, refusing one that is not."""
    try:
        return pq.read_table(path, use_threads=use_threads)
    except (pa.ArrowException, OSError) as exc:
        raise ExtractError(path, f"not a readable Parquet file ({exc})") from exc


def _codes(municipality_codes: pa.Array | Iterable[str]) -> pa.Array:
    if isinstance(municipality_codes, pa.Array):
        return municipality_codes
    return pa.array(sorted(set(municipality_codes)), pa.string())


def read_extract(path: Path, *, municipality_codes: pa.Array | Iterable[str]) -> pa.Table:
    """Read one extract file and validate it against its schema version (1 or 2)."""
    table = _conform_schema(path, _read_table(path), EXTRACT_SCHEMA)
    _validate_values(path, table, _codes(municipality_codes))
    return table


def read_voice(
    path: Path, *, municipality_codes: pa.Array | Iterable[str], use_threads: bool = True
) -> pa.Table:
    """Read a version-2 voice table and validate it; a version-2 extract must have one."""
    if not path.exists():
        raise ExtractError(path, "missing: a version-2 extract comes with its voice table")
    table = _conform_schema(path, _read_table(path, use_threads=use_threads), VOICE_SCHEMA)
    col = table.column
    for field in VOICE_SCHEMA:
        if not field.nullable:
            _check(path, field.name, pc.is_null(col(field.name)), "empty value")
    _check(
        path,
        "extract_version",
        pc.not_equal(col("extract_version"), 2),
        "a voice table is extract version 2",
    )
    _check(
        path,
        "municipality_code",
        pc.invert(pc.is_in(col("municipality_code"), _codes(municipality_codes))),
        "unknown municipality code (not in kommuner.csv)",
    )
    _check_months(path, col("month"), column="month")
    for column, codes in VOICE_CODE_LISTS.items():
        _check_codes(path, table, column, codes)
    return table


def _same_type(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Tell whether two types hold the same values (string vs large_string, list element names)."""
    if pa.types.is_list(expected):
        return bool(pa.types.is_list(actual) or pa.types.is_large_list(actual)) and _same_type(
            actual.value_type, expected.value_type
        )
    if pa.types.is_string(expected):
        return bool(pa.types.is_string(actual) or pa.types.is_large_string(actual))
    return bool(actual.equals(expected))


def _conform_schema(path: Path, table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Check column names and types; return the table cast to exactly `schema`."""
    names = table.schema.names
    if "extract_version" not in names:
        raise ExtractError(
            path, "missing; not a Barnskydd statistics extract", column="extract_version"
        )
    for name in names:
        if name not in schema.names:
            raise ExtractError(
                path, "unexpected column; the schema has no such column", column=name
            )
    for field in schema:
        if field.name not in names:
            raise ExtractError(path, "missing column", column=field.name)
        actual = table.schema.field(field.name).type
        if not _same_type(actual, field.type):
            raise ExtractError(path, f"type {actual}, expected {field.type}", column=field.name)
    columns = [table.column(f.name).cast(f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema.with_metadata(None))


def _first(mask: pa.ChunkedArray | pa.Array) -> int | None:
    """Return the 1-based row of the first true value in a mask, or None."""
    if not pc.any(mask).as_py():  # the usual case, and a pass over bits rather than values
        return None
    index = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if index < 0 else int(index) + 1


def _check(path: Path, column: str, mask: pa.ChunkedArray | pa.Array, message: str) -> None:
    """Raise for the first row where the mask is true."""
    row = _first(mask)
    if row is not None:
        raise ExtractError(path, message, column=column, row=row)


def _check_codes(path: Path, table: pa.Table, column: str, codes: tuple[str, ...]) -> None:
    """Refuse a value (or list element) outside its code list."""
    values = table.column(column)
    allowed = pa.array(codes, pa.string())
    if pa.types.is_list(values.type):
        for chunk_start, chunk in _chunks(values):
            flat, parents = pc.list_flatten(chunk), pc.list_parent_indices(chunk)
            bad = _first(pc.or_kleene(pc.is_null(flat), pc.invert(pc.is_in(flat, allowed))))
            if bad is not None:
                row = chunk_start + parents[bad - 1].as_py() + 1
                raise ExtractError(
                    path, f"unknown code {flat[bad - 1].as_py()!r}", column=column, row=row
                )
        return
    bad_mask = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, allowed)))
    row = _first(bad_mask)
    if row is not None:
        value = values[row - 1].as_py()
        raise ExtractError(path, f"unknown code {value!r}", column=column, row=row)


def _chunks(values: pa.ChunkedArray) -> list[tuple[int, pa.Array]]:
    """Return each chunk with the row number it starts at."""
    out, start = [], 0
    for chunk in values.chunks:
        out.append((start, chunk))
        start += len(chunk)
    return out


def _validate_values(
    path: Path, table: pa.Table, municipality_codes: pa.Array, *, unique_ids: bool = True
) -> None:
    """Check every value rule of the file's version, in column order (repeats if unique_ids)."""
    col: Callable[[str], pa.ChunkedArray] = table.column
    for field in EXTRACT_SCHEMA:
        if not field.nullable and col(field.name).null_count:
            _check(path, field.name, pc.is_null(col(field.name)), "empty value")
    versions = pa.array(EXTRACT_VERSIONS, pa.int32())
    known = ", ".join(str(v) for v in EXTRACT_VERSIONS)
    _check(
        path,
        "extract_version",
        pc.invert(pc.is_in(col("extract_version"), versions)),
        f"extract version is not one of {known}",
    )
    version = _version(table)
    _check(
        path,
        "extract_version",
        pc.not_equal(col("extract_version"), version),
        f"extract version differs from the first row's ({version})",
    )
    _check(
        path,
        "municipality_code",
        pc.invert(pc.is_in(col("municipality_code"), municipality_codes)),
        "unknown municipality code (not in kommuner.csv)",
    )
    _check(
        path,
        "report_id",
        pc.invert(pc.match_substring_regex(col("report_id"), _REPORT_ID)),
        "not a random id (8-64 letters, digits, - or _)",
    )
    if unique_ids:
        _check_unique_report_ids(path, col("report_id"))
    _check(
        path,
        "child_key",
        pc.invert(pc.match_substring_regex(col("child_key"), _CHILD_KEY)),
        "not a lowercase hex pseudonym",
    )
    _check_months(path, col("received_month"))
    age = col("child_age")
    _check(
        path,
        "child_age",
        pc.or_(pc.less(age, MIN_AGE), pc.greater(age, MAX_AGE)),
        f"age out of range {MIN_AGE}-{MAX_AGE}",
    )
    for column, codes in CODE_LISTS_BY_VERSION[version].items():
        _check_codes(path, table, column, codes)
    _check_consistency(path, table)


def _check_unique_report_ids(path: Path, ids: pa.ChunkedArray) -> None:
    """Refuse a report_id that occurs twice in one file."""
    if pc.count_distinct(ids).as_py() == len(ids):
        return
    seen: dict[str, int] = {}
    for row, value in enumerate(ids.to_pylist(), start=1):
        if value in seen:
            raise ExtractError(
                path,
                f"duplicate report_id (first in row {seen[value]})",
                column="report_id",
                row=row,
            )
        seen[value] = row


def _check_months(path: Path, months: pa.ChunkedArray, *, column: str = "received_month") -> None:
    """Refuse a month that is not YYYY-MM, before FIRST_YEAR or in the future."""
    _check(
        path,
        column,
        pc.invert(pc.match_substring_regex(months, _MONTH)),
        "not a month (YYYY-MM)",
    )
    year = pc.cast(pc.utf8_slice_codeunits(months, 0, 4), pa.int32())
    month = pc.cast(pc.utf8_slice_codeunits(months, 5, 7), pa.int32())
    today = dt.date.today()
    index = pc.add(pc.multiply(year, 12), pc.subtract(month, 1))
    out_of_range = pc.or_(
        pc.or_(pc.less(month, 1), pc.greater(month, 12)),
        pc.or_(pc.less(year, FIRST_YEAR), pc.greater(index, month_index(today.year, today.month))),
    )
    _check(
        path,
        column,
        out_of_range,
        f"month out of range (01-12, from {FIRST_YEAR} up to the current month)",
    )


def _check_consistency(path: Path, table: pa.Table) -> None:
    """Refuse combinations the case chain cannot produce (outcome vs. on-time flags)."""
    col = table.column
    pending = pc.equal(col("preliminary_outcome"), PENDING)
    opened = pc.equal(col("preliminary_outcome"), PreliminaryOutcome.INVESTIGATION_OPENED.value)
    on_time = col("preliminary_on_time")
    _check(
        path,
        "preliminary_on_time",
        pc.and_(pending, pc.is_valid(on_time)),
        "set although the preliminary assessment is pending",
    )
    _check(
        path,
        "preliminary_on_time",
        pc.and_(pc.invert(pending), pc.is_null(on_time)),
        "empty although the preliminary assessment is decided",
    )
    outcome = col("investigation_outcome")
    _check(
        path,
        "investigation_outcome",
        pc.and_(opened, pc.is_null(outcome)),
        "empty although an investigation was opened (use 'ongoing')",
    )
    _check(
        path,
        "investigation_outcome",
        pc.and_(pc.invert(opened), pc.is_valid(outcome)),
        "set although no investigation was opened",
    )
    completed = pc.and_(pc.is_valid(outcome), pc.not_equal(outcome, ONGOING))
    inv_on_time = col("investigation_on_time")
    _check(
        path,
        "investigation_on_time",
        pc.and_(completed, pc.is_null(inv_on_time)),
        "empty although the investigation is completed",
    )
    _check(
        path,
        "investigation_on_time",
        pc.and_(pc.invert(pc.fill_null(completed, False)), pc.is_valid(inv_on_time)),
        "set although no investigation was completed",
    )


def _refuse_duplicates_across_files(extracts: list[Extract]) -> None:
    """Refuse a report_id that occurs in two files (the same extract delivered twice)."""
    if len(extracts) < 2:
        return
    ids = pa.chunked_array([e.table.column("report_id").combine_chunks() for e in extracts])
    if pc.count_distinct(ids).as_py() == len(ids):
        return
    owner: dict[str, Path] = {}
    for extract in extracts:
        for row, value in enumerate(extract.table.column("report_id").to_pylist(), start=1):
            if value in owner:
                raise ExtractError(
                    extract.path,
                    f"duplicate report_id, also in {owner[value]}; was an extract delivered twice?",
                    column="report_id",
                    row=row,
                )
            owner[value] = extract.path
