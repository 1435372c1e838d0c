"""The national release: read extracts, run the measures, protect, publish all files at once."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from barnskydd.core.errors import InvalidInput
from barnskydd.reference import municipalities as reference
from barnskydd.stats import dp, measures, suppression
from barnskydd.stats.engines import ENGINES, create_engine
from barnskydd.stats.measures import MEASURES, VOICE_MEASURES, Measure
from barnskydd.stats.schema import read_extracts

Row = dict[str, Any]
PROTECTIONS = ("suppression", "dp")
RATE = "reports_per_1000_children"


@dataclass(frozen=True)
class Population:
    """Children aged 0-17 per municipality, with how each figure was made."""

    children: dict[str, int]
    labels: dict[str, str]
    estimated: bool


@dataclass
class Release:
    """Protected tables for every year, and everything release.json says about them."""

    years: list[int]
    tables: dict[str, list[Row]]
    engine: str
    protection: str
    parameters: dict[str, Any]
    inputs: dict[str, Any]
    population: Population
    suppressed: dict[tuple[str, int], int] = field(default_factory=dict)
    noise: list[dp.ColumnNoise] = field(default_factory=list)

    def rows(self, measure: Measure, year: int) -> list[Row]:
        """Return one table's rows for one year."""
        return [r for r in self.tables[measure.name] if r["year"] == year]


def columns(measure: Measure, *, with_moe: bool) -> list[str]:
    """Return a table's CSV columns in order."""
    counts = [*measure.counts, *([RATE] if measure.name == "reports_by_municipality" else [])]
    out = ["year", *measure.keys]
    for column in counts:
        out += [column, f"{column}_moe95"] if with_moe else [column]
    return out


def population() -> Population:
    """Return children aged 0-17 per municipality: SCB's figure where known, else an estimate."""
    children, labels, estimated = {}, {}, False
    for m in reference.all_municipalities():
        if m.children_0_17 is not None:
            children[m.code], labels[m.code] = m.children_0_17, f"SCB, barn 0–17 år {m.year}"
        else:
            children[m.code], labels[m.code] = reference.estimated_children_0_17(m)
            estimated = True
    return Population(children, labels, estimated)


def _add_rates(rows: list[Row], pop: Population, *, with_moe: bool) -> None:
    """Add reports per 1,000 children aged 0-17; empty where the count is suppressed."""
    for row in rows:
        base = pop.children.get(str(row["municipality_code"]))
        reports = row["reports"]
        row[RATE] = None if reports is None or not base else round(1000 * reports / base, 1)
        if with_moe:
            row[f"{RATE}_moe95"] = round(1000 * row["reports_moe95"] / base, 1) if base else None


def compute(
    extracts_dir: Path,
    *,
    engine: str = "duckdb",
    protection: str = "suppression",
    threshold: int = suppression.DEFAULT_THRESHOLD,
    dp_parameters: dp.Parameters | None = None,
) -> Release:
    """Read and validate the extracts, run every measure and protect the result."""
    if engine not in ENGINES:
        raise InvalidInput(
            f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}", field="engine"
        )
    if protection not in PROTECTIONS:
        raise InvalidInput(
            f"unknown protection {protection!r}; choose suppression or dp", field="protection"
        )
    if threshold < 1:
        raise InvalidInput("--threshold must be at least 1", field="threshold")
    parameters = dp_parameters or dp.Parameters()
    if protection == "dp" and not 0 < parameters.epsilon <= dp.MAX_EPSILON:  # nan fails too
        raise InvalidInput(
            f"--epsilon must be greater than 0 and at most {dp.MAX_EPSILON:g}", field="epsilon"
        )
    pop = population()
    extracts = read_extracts(extracts_dir, municipality_codes=pop.children)
    tables = measures.normalise(extracts)
    found_years = sorted(pc.unique(tables["extract_reports"].column("year")).to_pylist())
    with_dp = protection == "dp"
    years = list(range(found_years[0], found_years[-1] + 1)) if with_dp else found_years
    raw = _run(engine, tables, parameters if with_dp else None)
    codes = sorted(pop.children) if with_dp else None
    complete = {
        m.name: measures.complete(m, raw[m.name], years=years, municipality_codes=codes)
        for m in MEASURES
    }
    # The voice table exists from extract version 2: a year only version-1 files cover has
    # no voice rows (not collected), rather than zeros.
    with_voice = measures.voice_years(extracts)
    for name in VOICE_MEASURES:
        complete[name] = [r for r in complete[name] if int(str(r["year"])) in with_voice]
    release = Release(
        years=years,
        tables={},
        engine=engine,
        protection=protection,
        parameters={},
        population=pop,
        inputs={
            "files": [e.path.name for e in extracts],
            "extract_versions": {e.path.name: e.version for e in extracts},
            "voice_files": [e.path.name for e in extracts if e.voice is not None],
            "voice_years": sorted(with_voice),
            "reports": tables["extract_reports"].num_rows,
            "municipalities": len(
                set(pc.unique(tables["extract_reports"].column("municipality_code")).to_pylist())
            ),
        },
    )
    if with_dp:
        release.tables, release.noise = dp.protect(complete, years=years, parameters=parameters)
        release.parameters = {
            "epsilon": parameters.epsilon,
            "max_reports_per_child": parameters.max_reports_per_child,
            "max_concerns_per_report": parameters.max_concerns_per_report,
            "max_voice_answers_per_child_assumed": parameters.max_voice_answers_per_child,
        }
    else:
        release.tables = _apply_suppression(complete, threshold, release)
        release.parameters = {"threshold": threshold, **release.parameters}
    _add_rates(release.tables["reports_by_municipality"], pop, with_moe=with_dp)
    return release


def _run(
    engine_name: str, tables: dict[str, Any], parameters: dp.Parameters | None
) -> dict[str, list[Row]]:
    """Run every measure on the engine, bounded per child when DP parameters are given.

    Three queries compute the seven report tables (see the end of measures.py); in DP mode
    the bounded reports are computed once and kept, since two of the queries read them. The
    concerns are bounded in `concern_mask` (measures.with_concern_mask), for the reports of
    both extract versions. The voice measures run their own SQL over the voice view.
    """
    per_child = parameters.max_reports_per_child if parameters else None
    per_report = parameters.max_concerns_per_report if parameters else None
    engine = create_engine(engine_name)
    try:
        engine.load(measures.with_concern_mask(tables, max_concerns_per_report=per_report))
        engine.execute(
            "CREATE OR REPLACE TEMPORARY VIEW all_reports AS SELECT * FROM extract_reports"
        )
        if parameters is None:
            engine.execute(
                f"CREATE OR REPLACE TEMPORARY VIEW reports AS {measures.reports_sql(None)}"
            )
        else:
            engine.materialise("reports", measures.reports_sql(per_child))
        out = measures.split_margins(
            engine.query(measures.MARGINS_SQL), engine.query(measures.CHILDREN_SQL)
        )
        out |= measures.split_child_years(engine.query(measures.CHILD_YEARS_SQL))
        engine.execute(measures.VOICE_VIEW_SQL)
        for name in sorted(VOICE_MEASURES):
            out[name] = engine.query(measures.MEASURES_BY_NAME[name].sql)
        return out
    finally:
        engine.close()


def _apply_suppression(
    tables: dict[str, list[Row]], threshold: int, release: Release
) -> dict[str, list[Row]]:
    """Return the tables with suppressed cells set to None, counting them per table and year."""
    chosen = suppression.suppress(tables, threshold=threshold)
    hidden = chosen.cells
    out: dict[str, list[Row]] = {}
    for measure in MEASURES:
        out[measure.name] = []
        for row in tables[measure.name]:
            key = tuple(str(row[k]) for k in measure.keys)
            new = dict(row)
            for column in measure.counts:
                if (measure.name, int(row["year"]), key, column) in hidden:
                    new[column] = None
                    slot = (measure.name, int(row["year"]))
                    release.suppressed[slot] = release.suppressed.get(slot, 0) + 1
            out[measure.name].append(new)
    release.parameters = {
        "primary_suppressed": len(chosen.primary),
        "secondary_suppressed": len(chosen.secondary),
    }
    return out


def release_json(release: Release) -> dict[str, Any]:
    """Return release.json: method, parameters, privacy budget and per-table accuracy."""
    with_dp = release.protection == "dp"
    protection: dict[str, Any] = {"method": release.protection, **release.parameters}
    if with_dp:
        protection |= {
            "mechanism": "discrete Laplace (OpenDP make_laplace on integer vectors)",
            "privacy_unit": "one child (child_key): all of its reports",
            "composition": "sequential over years and columns",
            "epsilon_total": dp.total_epsilon(release.noise),
            "epsilon_per_column_and_year": release.noise[0].epsilon if release.noise else 0,
        }
    else:
        protection["note"] = (
            "counts 1 to threshold-1 are empty; further cells are empty so "
            "that no empty cell can be recomputed from the rest of the release"
        )
    tables = []
    for year in release.years:
        for measure in MEASURES:
            entry: dict[str, Any] = {
                "file": f"{year}/{measure.file_name}",
                "table": measure.name,
                "year": year,
                "rows": len(release.rows(measure, year)),
                "columns": columns(measure, with_moe=with_dp),
            }
            if with_dp:
                entry["accuracy"] = {
                    n.column: {
                        "moe95": n.moe95,
                        "epsilon": n.epsilon,
                        "scale": n.scale,
                        "sensitivity": n.sensitivity,
                    }
                    for n in release.noise
                    if n.table == measure.name and n.year == year
                }
            else:
                entry["accuracy"] = {
                    "exact": "published counts are exact",
                    "suppressed_cells": release.suppressed.get((measure.name, year), 0),
                }
            tables.append(entry)
    return {
        "title": "Barnskydd: orosanmälningar om barn, nationell statistik",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "years": release.years,
        "engine": release.engine,
        "input": release.inputs,
        "protection": protection,
        "population_0_17": {
            "estimated": release.population.estimated,
            "method": next(iter(release.population.labels.values()), ""),
            "note": "reports_per_1000_children uses these figures; estimates are not SCB's",
            "by_municipality": release.population.children,
        },
        "tables": tables,
    }


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Row]) -> None:
    """Write one UTF-8 CSV table with a header row; empty cells are suppressed values."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([["" if r[c] is None else r[c] for c in header] for r in rows])


def publish(release: Release, out: Path) -> None:
    """Write every file of the release into a temporary directory, then move it into place."""
    from barnskydd.stats import charts, report, workbook  # matplotlib and openpyxl load slowly

    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        with_dp = release.protection == "dp"
        for year in release.years:
            (staging / str(year)).mkdir()
            for measure in MEASURES:
                _write_csv(
                    staging / str(year) / measure.file_name,
                    columns(measure, with_moe=with_dp),
                    release.rows(measure, year),
                )
        (staging / "release.json").write_text(
            json.dumps(release_json(release), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        workbook.write(release, staging / "barnskydd-statistik.xlsx")
        chart_files = charts.write(release, staging / "charts")
        (staging / "report.html").write_text(report.render(release, chart_files), encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_out(out: Path) -> None:
    """Refuse to publish over an existing release or into a file."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput(
            f"{out}: already exists and is not an empty directory; choose a new --out", field="out"
        )
