"""Cell suppression: primary below a threshold, secondary until no suppressed cell is determined.

Every linear relation an attacker can use between published cells is listed per year
(`relations`): margins (reports by municipality and by reporter sum to the same national total),
the same cell in two tables, and nesting bounds (children <= reports, on time <= decided, ...).
A bound whose two sides happen to be equal is treated as an equation, since an attacker who
guesses "nothing pending" or "all on time" would then be right. Secondary suppression adds the
smallest published cell to a relation until the equations leave every suppressed cell
undetermined (its unit vector is outside the row space) and no all-positive relation pins its
suppressed cells to 1 each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from barnskydd.stats.measures import MEASURES
from barnskydd.stats.schema import CONCERNS, REPORTER_CATEGORIES, VOICE_BANDS, VOICE_THEMES

Row = dict[str, object]
Cell = tuple[str, int, tuple[str, ...], str]  # table, year, key values, column
DEFAULT_THRESHOLD = 5
_TOL = 1e-9


@dataclass(frozen=True)
class Relation:
    """sum(coefficient * cell) == slack >= 0; exact when the slack is always 0."""

    terms: tuple[tuple[Cell, int], ...]
    exact: bool


@dataclass
class Suppression:
    """The cells left empty, and which of them were primary."""

    threshold: int
    primary: set[Cell] = field(default_factory=set)
    secondary: set[Cell] = field(default_factory=set)

    @property
    def cells(self) -> set[Cell]:
        """Return every suppressed cell."""
        return self.primary | self.secondary


def cell_values(tables: Mapping[str, Sequence[Row]]) -> dict[Cell, int]:
    """Return every count cell of the release with its value."""
    values: dict[Cell, int] = {}
    for measure in MEASURES:
        for row in tables[measure.name]:
            key = tuple(str(row[k]) for k in measure.keys)
            for column in measure.counts:
                values[(measure.name, int(str(row["year"])), key, column)] = int(str(row[column]))
    return values


def _sum(
    table: str, year: int, keys: Sequence[tuple[str, ...]], column: str, sign: int
) -> list[tuple[Cell, int]]:
    """Return the terms of a sum over keys of one column."""
    return [((table, year, key, column), sign) for key in keys]


def relations(values: Mapping[Cell, int], year: int) -> list[Relation]:
    """Return every relation between the published cells of one year."""
    munis = sorted({c[2] for c in values if c[0] == "reports_by_municipality" and c[1] == year})
    reporters: list[tuple[str, ...]] = [(r,) for r in REPORTER_CATEGORIES]
    concerns: list[tuple[str, ...]] = [(c,) for c in CONCERNS]
    a, e = "reports_by_municipality", "timeliness_by_municipality"
    b, c, d = "reports_by_reporter", "funnel_by_reporter", "funnel_by_concern"
    out = [
        Relation(
            (*_sum(a, year, munis, "reports", 1), *_sum(b, year, reporters, "reports", -1)),
            exact=True,
        ),
        Relation(
            (
                *_sum(a, year, munis, "children", 1),
                (("rereports", year, (), "children"), -1),
                (("multi_municipality", year, (), "children_in_more_than_one_municipality"), -1),
            ),
            exact=False,
        ),
        Relation(
            (
                *_sum(c, year, reporters, "investigation_opened", 1),
                *_sum(e, year, munis, "investigations_completed", -1),
            ),
            exact=False,
        ),
        Relation(
            (
                (("rereports", year, (), "children"), 1),
                (("rereports", year, (), "children_rereported_within_12_months"), -1),
            ),
            exact=False,
        ),
    ]
    out.append(
        Relation(
            (
                *_sum(e, year, munis, "investigations_completed", 1),
                *_sum(c, year, reporters, "with_interventions", -1),
            ),
            exact=False,
        )
    )
    for column in ("reports", "investigation_opened", "with_interventions"):
        out.append(
            Relation(
                (*_sum(d, year, concerns, column, 1), *_sum(c, year, reporters, column, -1)),
                exact=False,
            )
        )
    for key in reporters:
        out.append(
            Relation((((b, year, key, "reports"), 1), ((c, year, key, "reports"), -1)), exact=True)
        )
    # (table, keys, bigger column, smaller column): smaller <= bigger in every row.
    nested: list[tuple[str, list[tuple[str, ...]], str, str]] = [
        (a, munis, "reports", "children"),
        (e, munis, "preliminary_decided", "preliminary_on_time"),
        (e, munis, "investigations_completed", "investigations_on_time"),
        (c, reporters, "reports", "investigation_opened"),
        (c, reporters, "investigation_opened", "with_interventions"),
        (d, concerns, "reports", "investigation_opened"),
        (d, concerns, "investigation_opened", "with_interventions"),
        # The voice table: positive answers <= answers, per theme and band; nothing sums it.
        (
            "voice_by_theme",
            [(t, b) for t in VOICE_THEMES for b in VOICE_BANDS],
            "answered",
            "positive",
        ),
    ]
    for table, keys, bigger, smaller in nested:
        for key in keys:
            out.append(
                Relation(
                    (((table, year, key, bigger), 1), ((table, year, key, smaller), -1)),
                    exact=False,
                )
            )
    for key in munis:
        out.append(
            Relation(
                (((a, year, key, "reports"), 1), ((e, year, key, "preliminary_decided"), -1)),
                exact=False,
            )
        )
    return out


def _tight(relations_: Sequence[Relation], values: Mapping[Cell, int]) -> list[Relation]:
    """Return the relations that hold with equality on the true values."""
    return [
        r for r in relations_
        if r.exact or sum(k * values.get(cell, 0) for cell, k in r.terms) == 0
    ]  # fmt: skip


def determined(equations: Sequence[Relation], hidden: set[Cell]) -> set[Cell]:
    """Return the hidden cells that the equations fix, the other cells being known."""
    rows = [r for r in equations if any(cell in hidden for cell, _ in r.terms)]
    columns = sorted({cell for r in rows for cell, _ in r.terms if cell in hidden})
    if not columns:
        return set()
    position = {cell: i for i, cell in enumerate(columns)}
    matrix = np.zeros((len(rows), len(columns)))
    for i, r in enumerate(rows):
        for cell, k in r.terms:
            if cell in position:
                matrix[i, position[cell]] += k
    _, singular, vh = np.linalg.svd(matrix)
    rank = int((singular > _TOL).sum())
    null = vh[rank:]
    if null.shape[0] == 0:
        return set(columns)
    free = np.abs(null).max(axis=0) > _TOL
    return {cell for cell, is_free in zip(columns, free, strict=True) if not is_free}


def _pinned(
    equations: Sequence[Relation], hidden: set[Cell], values: Mapping[Cell, int]
) -> Iterator[tuple[Relation, Cell]]:
    """Yield relations whose hidden cells all have one sign and must each be 1."""
    for r in equations:
        terms = [(cell, k) for cell, k in r.terms if cell in hidden]
        one_sign = bool(terms) and len({k > 0 for _, k in terms}) == 1
        if one_sign and sum(abs(k) * (values[c] - 1) for c, k in terms) == 0:
            yield r, terms[0][0]


def _component(relations_: Sequence[Relation], cell: Cell, hidden: set[Cell]) -> list[Relation]:
    """Return the relations linked to a hidden cell through other hidden cells, nearest first."""
    seen, frontier, out = {cell}, [cell], []
    remaining = list(relations_)
    while frontier:
        current, frontier = frontier, []
        linked = [r for r in remaining if any(c in current for c, _ in r.terms)]
        remaining = [r for r in remaining if r not in linked]
        out += sorted(linked, key=lambda r: sum(c in hidden for c, _ in r.terms))
        for r in linked:
            for c, _ in r.terms:
                if c in hidden and c not in seen:
                    seen.add(c)
                    frontier.append(c)
    return out


def _complement(
    relations_: Sequence[Relation],
    cell: Cell,
    hidden: set[Cell],
    values: Mapping[Cell, int],
    *,
    first: Relation | None = None,
) -> Cell:
    """Return the published cell to suppress next so that `cell` stops being determined.

    It comes from the nearest relation that still has a nonzero published cell: the cell's
    own relations first, then those reached through other suppressed cells.
    """
    ordered = ([first] if first is not None else []) + _component(relations_, cell, hidden)
    for r in ordered:
        candidates = [c for c, _ in r.terms if c not in hidden and values.get(c, 0) > 0]
        if candidates:
            return min(candidates, key=lambda c: (values[c], c))
    raise RuntimeError(f"no published cell left to protect {cell}")


def suppress(
    tables: Mapping[str, Sequence[Row]], *, threshold: int = DEFAULT_THRESHOLD
) -> Suppression:
    """Choose the cells to leave empty: counts 1..threshold-1 and their complements."""
    values = cell_values(tables)
    result = Suppression(threshold, primary={c for c, v in values.items() if 0 < v < threshold})
    for year in sorted({c[1] for c in values}):
        equations = _tight(relations(values, year), values)
        while True:
            hidden = result.cells
            pinned = next(_pinned(equations, hidden, values), None)
            if pinned is not None:
                relation, cell = pinned
                result.secondary.add(_complement(equations, cell, hidden, values, first=relation))
                continue
            exposed = sorted(determined(equations, hidden))
            if not exposed:
                break
            result.secondary.add(_complement(equations, exposed[0], hidden, values))
    return result


def protect(
    values: Mapping[Cell, int],
    relations_: Sequence[Relation],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> set[Cell]:
    """Return the cells to leave empty among `values` under `relations_`, as `suppress` does.

    For tables other than the release's (barnskydd.stats.municipal): the same primary rule
    and the same search for complements, over the caller's relations.
    """
    hidden = {c for c, v in values.items() if 0 < v < threshold}
    equations = _tight(relations_, values)
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
