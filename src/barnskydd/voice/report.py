"""The voice report: participation and themes per unit and for the municipality, protected.

Two tables per year, one row per unit and one for the whole municipality (never per worker):

- participation: follow-ups with a recorded voice (`total`), `offered` (= answered + declined),
  `answered`, `declined`, `not_offered`, `not_possible` and the reasons for the last two;
- themes: per theme the children who gave a value (`<theme>_answered`), those at the positive
  end (`<theme>_positive`: the two most positive of five, the happy face of three; see the item
  set) and the rest (`<theme>_not_positive`), and the share positive.

Every count from 1 to threshold-1 is suppressed, then complementary cells until no suppressed
cell can be recomputed from the published ones: the relations are each row's sums, each
column's sum over the units, and the bounds (a theme's answers <= the answered). The search
for complements is barnskydd.stats.suppression's; the relations are ours. A share is shown
only when both its counts are.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from barnskydd.core.errors import InvalidInput
from barnskydd.staff.models import Unit
from barnskydd.stats.suppression import (
    DEFAULT_THRESHOLD,
    Relation,
    _complement,
    _pinned,
    _tight,
    determined,
)
from barnskydd.voice.codes import VoiceReason, VoiceStatus
from barnskydd.voice.itemset import THEMES, item_set
from barnskydd.voice.models import VoiceResponse

Cell = tuple[str, int, tuple[str, ...], str]  # table, year, key, column
PARTICIPATION = "participation"
THEMES_TABLE = "themes"
REASONS = tuple(f"reason_{r.value}" for r in VoiceReason)
PARTICIPATION_COUNTS = (
    "total",
    "offered",
    "answered",
    "declined",
    "not_offered",
    "not_possible",
    *REASONS,
)
THEME_COUNTS = tuple(
    f"{t}_{part}" for t in THEMES for part in ("answered", "positive", "not_positive")
)
KEYS = ("level", "municipality_code", "unit")
MUNICIPALITY = "kommun"
UNIT = "enhet"


@dataclass
class Tables:
    """The counts of one year, before protection: key -> column -> count."""

    year: int
    municipality_code: str
    units: list[str]
    participation: dict[tuple[str, ...], dict[str, int]] = field(default_factory=dict)
    themes: dict[tuple[str, ...], dict[str, int]] = field(default_factory=dict)

    def values(self) -> dict[Cell, int]:
        """Return every count cell with its value."""
        out: dict[Cell, int] = {}
        for table, rows in ((PARTICIPATION, self.participation), (THEMES_TABLE, self.themes)):
            for key, row in rows.items():
                for column, value in row.items():
                    out[(table, self.year, key, column)] = value
        return out


def _positive_from() -> dict[tuple[str, str], int]:
    """Return the lowest positive value per (item set version, band) of every known version."""
    items = item_set()
    return {(items.version, b.id): b.positive_from for b in items.bands}


def count(session: Session, year: int) -> Tables:
    """Count one year's anonymous responses per unit and for the municipality (SQL grouping)."""
    r = VoiceResponse
    thresholds = sorted(set(_positive_from().values()))
    theme_columns = [getattr(r, t) for t in THEMES]
    columns = [
        r.unit_id,
        r.municipality_code,
        r.status,
        r.reason,
        r.band,
        r.item_set_version,
        func.count().label("n"),
        *(func.count(c).label(f"{c.key}_n") for c in theme_columns),
        *(
            func.sum(case((c >= p, 1), else_=0)).label(f"{c.key}_p{p}")
            for c in theme_columns
            for p in thresholds
        ),
    ]
    query = (
        select(*columns)
        .where(r.month >= f"{year:04d}-01", r.month <= f"{year:04d}-12")
        .group_by(r.unit_id, r.municipality_code, r.status, r.reason, r.band, r.item_set_version)
    )
    names = {row.id: row.name for row in session.execute(select(Unit.id, Unit.name))}
    positive_from = _positive_from()
    participation: dict[tuple[str, ...], dict[str, int]] = defaultdict(_zero_participation)
    themes: dict[tuple[str, ...], dict[str, int]] = defaultdict(_zero_themes)
    municipalities: set[str] = set()
    for row in session.execute(query).mappings():
        municipalities.add(row["municipality_code"])
        unit_key = (UNIT, row["municipality_code"], names.get(row["unit_id"], str(row["unit_id"])))
        part = participation[unit_key]
        n = int(row["n"])
        part["total"] += n
        status = VoiceStatus(row["status"])
        if status is VoiceStatus.ANSWERED:
            part["answered"] += n
            part["offered"] += n
        elif status is VoiceStatus.DECLINED:
            part["declined"] += n
            part["offered"] += n
        else:
            part[status.value] += n
            if row["reason"] is not None:
                part[f"reason_{VoiceReason(row['reason']).value}"] += n
        if status is VoiceStatus.ANSWERED:
            p = positive_from.get((row["item_set_version"], row["band"]), thresholds[-1])
            theme = themes[unit_key]
            for t in THEMES:
                answered, positive = int(row[f"{t}_n"]), int(row[f"{t}_p{p}"] or 0)
                theme[f"{t}_answered"] += answered
                theme[f"{t}_positive"] += positive
                theme[f"{t}_not_positive"] += answered - positive
    if len(municipalities) > 1:
        raise InvalidInput("Svaren kommer från mer än en kommun; rapporten gäller en kommun.")
    code = next(iter(municipalities), "")
    units = sorted(k[2] for k in participation)
    for key in list(participation):  # every unit has a theme row, zero when nobody answered
        themes[key].update({})
    for rows, zero in ((participation, _zero_participation), (themes, _zero_themes)):
        total = zero()
        for key in list(rows):
            for column, value in rows[key].items():
                total[column] += value
        rows[(MUNICIPALITY, code, "")] = total
    return Tables(year, code, units, dict(participation), dict(themes))


def _zero_participation() -> dict[str, int]:
    return dict.fromkeys(PARTICIPATION_COUNTS, 0)


def _zero_themes() -> dict[str, int]:
    return dict.fromkeys(THEME_COUNTS, 0)


# Each row's sums: (column, sign) terms that add up to zero.
ROW_SUMS = (
    (
        ("total", 1),
        ("answered", -1),
        ("declined", -1),
        ("not_offered", -1),
        ("not_possible", -1),
    ),
    (("offered", 1), ("answered", -1), ("declined", -1)),
    (("not_offered", 1), ("not_possible", 1), *((r, -1) for r in REASONS)),
)


def _terms(
    table: str, year: int, key: tuple[str, ...], pairs: Iterable[tuple[str, int]]
) -> tuple[tuple[Cell, int], ...]:
    return tuple(((table, year, key, column), sign) for column, sign in pairs)


def relations(tables: Tables) -> list[Relation]:
    """Return every linear relation an attacker can use between the year's cells."""
    year, p, th = tables.year, PARTICIPATION, THEMES_TABLE
    out: list[Relation] = []
    for key in tables.participation:
        out += [Relation(_terms(p, year, key, pairs), exact=True) for pairs in ROW_SUMS]
        for t in THEMES:
            parts = ((f"{t}_answered", 1), (f"{t}_positive", -1), (f"{t}_not_positive", -1))
            out.append(Relation(_terms(th, year, key, parts), exact=True))
            # A theme's answers are at most the answered (the slack: "vill inte svara").
            bound = (*_terms(p, year, key, [("answered", 1)]),
                     *_terms(th, year, key, [(f"{t}_answered", -1)]))  # fmt: skip
            out.append(Relation(bound, exact=False))
    total_key = (MUNICIPALITY, tables.municipality_code, "")
    units = [k for k in tables.participation if k[0] == UNIT]
    for table, columns in ((p, PARTICIPATION_COUNTS), (th, THEME_COUNTS)):
        for column in columns:
            terms = (
                ((table, year, total_key, column), 1),
                *(((table, year, k, column), -1) for k in units),
            )
            out.append(Relation(tuple(terms), exact=True))
    return out


def suppress(tables: Tables, *, threshold: int = DEFAULT_THRESHOLD) -> set[Cell]:
    """Return the cells to leave empty: counts 1..threshold-1 and their complements."""
    values = tables.values()
    hidden = {c for c, v in values.items() if 0 < v < threshold}
    equations = _tight(relations(tables), values)
    while True:
        pinned = next(_pinned(equations, hidden, values), None)
        if pinned is not None:
            relation, cell = pinned
            hidden.add(_complement(equations, cell, hidden, values, first=relation))
            continue
        exposed = sorted(determined(equations, hidden))
        if not exposed:
            return hidden
        hidden.add(_complement(equations, exposed[0], hidden, values))


def _share(positive: int | None, answered: int | None) -> str:
    if positive is None or answered is None or answered == 0:
        return ""
    return f"{positive / answered:.3f}"


def rows(tables: Tables, hidden: set[Cell]) -> dict[str, list[dict[str, object]]]:
    """Return the published rows per table: suppressed cells empty, units then the total."""
    ordered = sorted((k for k in tables.participation if k[0] == UNIT), key=lambda k: k[2])
    ordered.append((MUNICIPALITY, tables.municipality_code, ""))
    out: dict[str, list[dict[str, object]]] = {PARTICIPATION: [], THEMES_TABLE: []}
    for key in ordered:
        for table, source in ((PARTICIPATION, tables.participation), (THEMES_TABLE, tables.themes)):
            row: dict[str, object] = {"year": tables.year, **dict(zip(KEYS, key, strict=True))}
            for column, value in source[key].items():
                row[column] = None if (table, tables.year, key, column) in hidden else value
            if table == THEMES_TABLE:
                for t in THEMES:
                    positive, answered = row[f"{t}_positive"], row[f"{t}_answered"]
                    shown = row[f"{t}_not_positive"] is not None
                    row[f"{t}_share_positive"] = (
                        _share(positive, answered)  # type: ignore[arg-type]
                        if shown
                        else ""
                    )
            out[table].append(row)
    return out


def header(table: str) -> list[str]:
    """Return a table's CSV columns."""
    counts = PARTICIPATION_COUNTS if table == PARTICIPATION else THEME_COUNTS
    extra = [f"{t}_share_positive" for t in THEMES] if table == THEMES_TABLE else []
    return ["year", *KEYS, *counts, *extra]


def _write_csv(path: Path, columns: Sequence[str], data: Sequence[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in data])


@dataclass(frozen=True, slots=True)
class Written:
    """What a report wrote."""

    files: list[str]
    suppressed: int
    cells: int


def write(session: Session, year: int, out: Path, *, threshold: int = DEFAULT_THRESHOLD) -> Written:
    """Count, protect and write the year's tables into a new or empty directory."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput(f"{out}: finns redan och är inte en tom katalog; välj en ny --out.")
    tables = count(session, year)
    hidden = suppress(tables, threshold=threshold)
    published = rows(tables, hidden)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    names = [f"rost_deltagande_{year}.csv", f"rost_teman_{year}.csv"]
    try:
        _write_csv(staging / names[0], header(PARTICIPATION), published[PARTICIPATION])
        _write_csv(staging / names[1], header(THEMES_TABLE), published[THEMES_TABLE])
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(names, len(hidden), len(tables.values()))
