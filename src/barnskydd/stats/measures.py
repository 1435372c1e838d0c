"""Every published measure, defined once as SQL that DuckDB and Spark SQL both run.

The extracts are first normalised into three tables (`extract_reports`, one row per report,
`extract_concerns`, one row per report and concern, and `extract_voice`, one row per theme
a child answered, from the version-2 files' voice tables); the measures read the views
`reports`, `report_concerns`, `all_reports` and `voice` over them. The SQL keeps to what both
engines share: GROUP BY, COUNT, COUNT(DISTINCT), CASE, JOIN, ROW_NUMBER and LEAD.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import product

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from barnskydd.stats.schema import (
    CONCERNS,
    REPORTER_CATEGORIES,
    VOICE_BANDS,
    VOICE_SCHEMA,
    VOICE_THEMES,
    Extract,
)


class Unit(StrEnum):
    """What one child can add to a count column: used for DP sensitivity."""

    REPORT = "report"  # one per report: a child adds up to K
    REPORT_CONCERN = "report_concern"  # one per report and concern: up to K x concerns cap
    CHILD_PER_MUNICIPALITY = "child_per_municipality"  # a child counted once per municipality
    CHILD = "child"  # a child counted once
    # one per theme answered: a child adds up to (answered follow-ups a year) x themes; the
    # anonymous voice table holds no child key, so the bound is assumed, not enforced (dp.py)
    VOICE_ANSWER = "voice_answer"


@dataclass(frozen=True)
class Measure:
    """One published table: its key columns (after year), count columns and SQL."""

    name: str
    keys: tuple[str, ...]
    counts: dict[str, Unit]
    sql: str
    title: str  # Swedish, for the report and the workbook

    @property
    def file_name(self) -> str:
        """Return the CSV file name."""
        return f"{self.name}.csv"

    @property
    def bounded(self) -> bool:
        """Tell whether the measure reads the contribution-bounded `reports` view in DP mode."""
        return any(
            u in (Unit.REPORT, Unit.REPORT_CONCERN, Unit.CHILD_PER_MUNICIPALITY)
            for u in self.counts.values()
        )


# COUNT(CASE WHEN ... THEN 1 END) rather than SUM: it is BIGINT in both engines.
MEASURES: tuple[Measure, ...] = (
    Measure(
        "reports_by_municipality",
        ("municipality_code",),
        {"reports": Unit.REPORT, "children": Unit.CHILD_PER_MUNICIPALITY},
        """
        SELECT year, municipality_code,
               COUNT(*) AS reports,
               COUNT(DISTINCT child_key) AS children
        FROM reports
        GROUP BY year, municipality_code
        """,
        "Anmälningar per kommun",
    ),
    Measure(
        "reports_by_reporter",
        ("reporter_category",),
        {"reports": Unit.REPORT},
        """
        SELECT year, reporter_category, COUNT(*) AS reports
        FROM reports
        GROUP BY year, reporter_category
        """,
        "Anmälningar per anmälarkategori",
    ),
    Measure(
        "funnel_by_reporter",
        ("reporter_category",),
        {
            "reports": Unit.REPORT,
            "investigation_opened": Unit.REPORT,
            "with_interventions": Unit.REPORT,
        },
        """
        SELECT year, reporter_category,
               COUNT(*) AS reports,
               COUNT(CASE WHEN preliminary_outcome = 'investigation_opened' THEN 1 END)
                   AS investigation_opened,
               COUNT(CASE WHEN investigation_outcome = 'interventions' THEN 1 END)
                   AS with_interventions
        FROM reports
        GROUP BY year, reporter_category
        """,
        "Från anmälan till utredning och insats, per anmälarkategori",
    ),
    Measure(
        "funnel_by_concern",
        ("concern",),
        {
            "reports": Unit.REPORT_CONCERN,
            "investigation_opened": Unit.REPORT_CONCERN,
            "with_interventions": Unit.REPORT_CONCERN,
        },
        """
        SELECT r.year AS year, c.concern AS concern,
               COUNT(*) AS reports,
               COUNT(CASE WHEN r.preliminary_outcome = 'investigation_opened' THEN 1 END)
                   AS investigation_opened,
               COUNT(CASE WHEN r.investigation_outcome = 'interventions' THEN 1 END)
                   AS with_interventions
        FROM reports r JOIN report_concerns c ON c.rid = r.rid
        GROUP BY r.year, c.concern
        """,
        "Från anmälan till utredning och insats, per oro",
    ),
    Measure(
        "timeliness_by_municipality",
        ("municipality_code",),
        {
            "preliminary_decided": Unit.REPORT,
            "preliminary_on_time": Unit.REPORT,
            "investigations_completed": Unit.REPORT,
            "investigations_on_time": Unit.REPORT,
        },
        """
        SELECT year, municipality_code,
               COUNT(CASE WHEN preliminary_outcome <> 'pending' THEN 1 END)
                   AS preliminary_decided,
               COUNT(CASE WHEN preliminary_on_time THEN 1 END) AS preliminary_on_time,
               COUNT(CASE WHEN investigation_outcome <> 'ongoing' THEN 1 END)
                   AS investigations_completed,
               COUNT(CASE WHEN investigation_on_time THEN 1 END) AS investigations_on_time
        FROM reports
        GROUP BY year, municipality_code
        """,
        "Beslut i tid per kommun",
    ),
    Measure(
        "rereports",
        (),
        {"children": Unit.CHILD, "children_rereported_within_12_months": Unit.CHILD},
        """
        SELECT year,
               COUNT(DISTINCT child_key) AS children,
               COUNT(DISTINCT CASE WHEN next_month - month_index <= 12 THEN child_key END)
                   AS children_rereported_within_12_months
        FROM (
            SELECT child_key, year, month_index,
                   LEAD(month_index) OVER (PARTITION BY child_key ORDER BY month_index)
                       AS next_month
            FROM (SELECT DISTINCT child_key, year, month_index FROM all_reports) m
        ) n
        GROUP BY year
        """,
        "Barn som anmäls igen inom 12 månader",
    ),
    Measure(
        "multi_municipality",
        (),
        {"children_in_more_than_one_municipality": Unit.CHILD},
        """
        SELECT year,
               COUNT(CASE WHEN municipalities > 1 THEN 1 END)
                   AS children_in_more_than_one_municipality
        FROM (
            SELECT year, child_key, COUNT(DISTINCT municipality_code) AS municipalities
            FROM all_reports
            GROUP BY year, child_key
        ) c
        GROUP BY year
        """,
        "Barn anmälda i mer än en kommun",
    ),
    Measure(
        "voice_by_theme",
        ("theme", "band"),
        {"answered": Unit.VOICE_ANSWER, "positive": Unit.VOICE_ANSWER},
        """
        SELECT year, theme, band,
               COUNT(*) AS answered,
               COUNT(CASE WHEN positive THEN 1 END) AS positive
        FROM voice
        GROUP BY year, theme, band
        """,
        "Barnets röst: svar per tema och åldersgrupp (de två mest positiva svaren)",
    ),
)
# The measures read from the version-2 voice tables: published for the years they cover.
VOICE_MEASURES = frozenset({"voice_by_theme"})

MEASURES_BY_NAME = {m.name: m for m in MEASURES}


def reports_sql(max_reports_per_child: int | None) -> str:
    """Return the query behind the `reports` view: a child's first K reports a year in DP mode."""
    if max_reports_per_child is None:
        return "SELECT * FROM extract_reports"
    # A child's earliest reports in a year are kept; the order is total, so both engines
    # keep the same rows.
    # Only an int is put into the SQL.
    return (
        "SELECT * FROM (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY child_key, year"  # noqa: S608
        " ORDER BY month_index, municipality_code, rid) AS child_rank FROM extract_reports e) b"
        f" WHERE child_rank <= {int(max_reports_per_child)}"
    )


VOICE_VIEW_SQL = "CREATE OR REPLACE TEMPORARY VIEW voice AS SELECT * FROM extract_voice"


def view_sql(
    *, max_reports_per_child: int | None, max_concerns_per_report: int | None
) -> list[str]:
    """Return the statements creating the measure views, bounded per child in DP mode."""
    concerns = "SELECT DISTINCT rid, concern FROM extract_concerns"
    if max_concerns_per_report is not None:
        concerns = (
            "SELECT rid, concern FROM (SELECT rid, concern, ROW_NUMBER() OVER"  # noqa: S608
            f" (PARTITION BY rid ORDER BY concern) AS concern_rank FROM ({concerns}) d) b"
            f" WHERE concern_rank <= {int(max_concerns_per_report)}"
        )
    return [
        "CREATE OR REPLACE TEMPORARY VIEW all_reports AS SELECT * FROM extract_reports",
        f"CREATE OR REPLACE TEMPORARY VIEW reports AS {reports_sql(max_reports_per_child)}",
        f"CREATE OR REPLACE TEMPORARY VIEW report_concerns AS {concerns}",
        VOICE_VIEW_SQL,
    ]


REPORT_COLUMNS = (
    "municipality_code",
    "child_key",
    "reporter_category",
    "preliminary_outcome",
    "preliminary_on_time",
    "investigation_outcome",
    "investigation_on_time",
)


def _years_and_months(months: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, pa.Array]:
    year = pc.cast(pc.utf8_slice_codeunits(months, 0, 4), pa.int32())
    month = pc.cast(pc.utf8_slice_codeunits(months, 5, 7), pa.int32())
    return year, pc.add(pc.multiply(year, 12), pc.subtract(month, 1))


def _voice(extracts: Sequence[Extract]) -> pa.Table:
    """The voice tables of the version-2 extracts as one table (empty when there are none)."""
    parts = [e.voice for e in extracts if e.voice is not None]
    voice = pa.concat_tables(parts) if parts else VOICE_SCHEMA.empty_table()
    year, _ = _years_and_months(voice.column("month"))
    return pa.table(
        {
            "year": year,
            "theme": voice.column("theme"),
            "band": voice.column("band"),
            "positive": voice.column("positive"),
        }
    ).combine_chunks()


def voice_years(extracts: Sequence[Extract]) -> set[int]:
    """Return the years a version-2 extract covers (its reports or its voice answers)."""
    years: set[int] = set()
    for extract in extracts:
        if extract.version < 2:
            continue
        for table, column in ((extract.table, "received_month"), (extract.voice, "month")):
            if table is not None and table.num_rows:
                year, _ = _years_and_months(table.column(column))
                years |= set(pc.unique(year).to_pylist())
    return years


def normalise(extracts: Sequence[Extract]) -> dict[str, pa.Table]:
    """Turn validated extracts into the three tables the measures read."""
    reports, concerns, offset = [], [], 0
    for extract in extracts:
        table = extract.table
        rid = pa.array(np.arange(offset, offset + table.num_rows, dtype=np.int64))
        offset += table.num_rows
        year, index = _years_and_months(table.column("received_month"))
        columns = {"rid": rid, "year": year, "month_index": index}
        columns.update({name: table.column(name) for name in REPORT_COLUMNS})
        reports.append(pa.table(columns))
        lists = table.column("concerns").combine_chunks()
        parents = pc.list_parent_indices(lists)
        concerns.append(pa.table({"rid": pc.take(rid, parents), "concern": pc.list_flatten(lists)}))
    return {
        "extract_reports": pa.concat_tables(reports),
        "extract_concerns": pa.concat_tables(concerns),
        "extract_voice": _voice(extracts),
    }


def complete(
    measure: Measure,
    rows: Sequence[dict[str, object]],
    *,
    years: Sequence[int],
    municipality_codes: Sequence[str] | None,
) -> list[dict[str, object]]:
    """Return one row per year and public key, zero where the engine found nothing, sorted.

    Municipality rows are those in the data unless `municipality_codes` lists them all (DP).
    """
    found: dict[tuple[int | str, ...], Mapping[str, object]] = {
        (int(str(r["year"])), *(str(r[k]) for k in measure.keys)): r for r in rows
    }
    domains: list[Sequence[str]] = []
    for key in measure.keys:
        domains.append(
            {
                "reporter_category": REPORTER_CATEGORIES,
                "concern": CONCERNS,
                "theme": VOICE_THEMES,
                "band": VOICE_BANDS,
            }.get(key, municipality_codes or ())
        )
    out = []
    for year in years:
        if measure.keys == ("municipality_code",) and municipality_codes is None:
            combos = sorted(tuple(str(v) for v in k[1:]) for k in found if k[0] == year)
        else:
            combos = [tuple(c) for c in product(*domains)]
        for combo in combos:
            row = found.get((year, *combo))
            out.append(
                {
                    "year": year,
                    **dict(zip(measure.keys, combo, strict=True)),
                    **{c: int(str(row[c])) if row else 0 for c in measure.counts},
                }
            )
    return out


# The release's own path: the seven report measures above from three queries instead of seven,
# the same numbers (tests/stats/test_release_equivalence.py runs both); the voice measures
# (VOICE_MEASURES, a small table of their own) still run their own SQL over the `voice` view.
# The per-measure SQL above stays the definition; this is how it is computed at national
# scale. Profiled on 4.5 million
# reports (bench/bench_release.py): the seven queries scanned the reports five times, joined
# the concerns, and ranked every report of a child by month to find its next one; in DP mode
# each of the five scans recomputed the contribution bound.
#
# - A report's distinct concerns are one bit each in `concern_mask` (bit i is the i-th concern
#   in sorted order, the order the bounded view keeps them in), so the concern funnel is a
#   GROUP BY year, mask, spread over the concerns in Python: no join, no DISTINCT.
# - The margins by municipality, by reporter and by concern are one scan (GROUPING SETS).
# - Re-reports: two months of one child in the same year are at most 11 apart, so a child is
#   re-reported in a year when it has two months there, or when its next year with reports is
#   the following one and begins within 12 months of this year's last report. That needs one
#   row per child and year and a LEAD over years, not over every month. A child is in more
#   than one municipality in a year when the smallest and largest code differ.
CONCERN_ORDER: tuple[str, ...] = tuple(sorted(CONCERNS))
_BY_MUNICIPALITY = ("reports_by_municipality", "timeliness_by_municipality")
_BY_REPORTER = ("reports_by_reporter", "funnel_by_reporter")
_FUNNEL = ("reports", "investigation_opened", "with_interventions")

MARGINS_SQL = """
SELECT year, municipality_code, reporter_category, concern_mask,
       COUNT(*) AS reports,
       COUNT(CASE WHEN preliminary_outcome = 'investigation_opened' THEN 1 END)
           AS investigation_opened,
       COUNT(CASE WHEN investigation_outcome = 'interventions' THEN 1 END) AS with_interventions,
       COUNT(CASE WHEN preliminary_outcome <> 'pending' THEN 1 END) AS preliminary_decided,
       COUNT(CASE WHEN preliminary_on_time THEN 1 END) AS preliminary_on_time,
       COUNT(CASE WHEN investigation_outcome <> 'ongoing' THEN 1 END)
           AS investigations_completed,
       COUNT(CASE WHEN investigation_on_time THEN 1 END) AS investigations_on_time
FROM reports
GROUP BY GROUPING SETS ((year, municipality_code), (year, reporter_category),
                        (year, concern_mask))
"""

CHILDREN_SQL = """
SELECT year, municipality_code, COUNT(DISTINCT child_key) AS children
FROM reports
GROUP BY year, municipality_code
"""

CHILD_YEARS_SQL = """
SELECT year,
       COUNT(*) AS children,
       COUNT(CASE WHEN first_month <> last_month OR next_first_month - last_month <= 12
                  THEN 1 END) AS children_rereported_within_12_months,
       COUNT(CASE WHEN first_municipality <> last_municipality THEN 1 END)
           AS children_in_more_than_one_municipality
FROM (
    SELECT year, first_month, last_month, first_municipality, last_municipality,
           LEAD(first_month) OVER (PARTITION BY child_key ORDER BY year) AS next_first_month
    FROM (
        SELECT child_key, year,
               MIN(month_index) AS first_month, MAX(month_index) AS last_month,
               MIN(municipality_code) AS first_municipality,
               MAX(municipality_code) AS last_municipality
        FROM all_reports
        GROUP BY child_key, year
    ) y
) n
GROUP BY year
"""


def first_concerns(masks: np.ndarray, n: int) -> np.ndarray:
    """Keep the n lowest bits of each mask: a report's first n distinct concerns in order."""
    kept, rest = np.zeros_like(masks), masks.copy()
    for _ in range(min(n, len(CONCERN_ORDER))):
        lowest = rest & -rest
        kept |= lowest
        rest ^= lowest
    return kept


def with_concern_mask(
    tables: Mapping[str, pa.Table], *, max_concerns_per_report: int | None
) -> dict[str, pa.Table]:
    """Return the tables with `concern_mask` on extract_reports, bounded in DP mode."""
    reports, concerns = tables["extract_reports"], tables["extract_concerns"]
    codes = pc.index_in(concerns.column("concern"), pa.array(CONCERN_ORDER)).to_numpy()
    bits = np.left_shift(np.int32(1), codes.astype(np.int32))
    masks = np.zeros(reports.num_rows, np.int32)
    # rid runs from 0 in extract_reports' row order (normalise), so it indexes the rows.
    np.bitwise_or.at(masks, concerns.column("rid").to_numpy(), bits)
    if max_concerns_per_report is not None:
        masks = first_concerns(masks, max_concerns_per_report)
    return {**tables, "extract_reports": reports.append_column("concern_mask", pa.array(masks))}


def split_margins(
    margins: Sequence[Mapping[str, object]], children: Sequence[Mapping[str, object]]
) -> dict[str, list[dict[str, object]]]:
    """Spread the rows of MARGINS_SQL and CHILDREN_SQL over the tables they hold."""
    out: dict[str, list[dict[str, object]]] = {
        name: [] for name in (*_BY_MUNICIPALITY, *_BY_REPORTER)
    }
    distinct = {(r["year"], r["municipality_code"]): r["children"] for r in children}
    by_concern: dict[tuple[object, str], list[int]] = {}
    for row in margins:
        year = row["year"]
        if row["municipality_code"] is not None:
            key = {"year": year, "municipality_code": row["municipality_code"]}
            for name in _BY_MUNICIPALITY:
                measure = MEASURES_BY_NAME[name]
                counts = {
                    c: distinct[(year, row["municipality_code"])] if c == "children" else row[c]
                    for c in measure.counts
                }
                out[name].append({**key, **counts})
        elif row["reporter_category"] is not None:
            key = {"year": year, "reporter_category": row["reporter_category"]}
            for name in _BY_REPORTER:
                out[name].append({**key, **{c: row[c] for c in MEASURES_BY_NAME[name].counts}})
        else:
            mask = int(str(row["concern_mask"]))
            for i, concern in enumerate(CONCERN_ORDER):
                if mask >> i & 1:
                    sums = by_concern.setdefault((year, concern), [0] * len(_FUNNEL))
                    for j, column in enumerate(_FUNNEL):
                        sums[j] += int(str(row[column]))
    out["funnel_by_concern"] = [
        {"year": year, "concern": concern, **dict(zip(_FUNNEL, sums, strict=True))}
        for (year, concern), sums in by_concern.items()
    ]
    return out


def split_child_years(rows: Sequence[Mapping[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Spread the rows of CHILD_YEARS_SQL over the re-report and multi-municipality tables."""
    return {
        name: [
            {"year": r["year"], **{c: r[c] for c in MEASURES_BY_NAME[name].counts}} for r in rows
        ]
        for name in ("rereports", "multi_municipality")
    }
