"""The voice report: small counts suppressed, and no suppressed count recomputable from totals.

The attacker's knowledge is written out here on its own, not taken from the report module:
each row's sums, each column's sum over the units, each theme's split, and the bound that a
theme's answers are at most the answered. Every suppressed cell is known to be at least 1 (a
zero is published). For every suppressed cell the brute force looks for two integer
completions of the published tables with different values in that cell.
"""

from __future__ import annotations

import csv
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from barnskydd.staff import service as staff
from barnskydd.stats.suppression import DEFAULT_THRESHOLD
from barnskydd.voice import report
from barnskydd.voice.codes import VoiceContext, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import THEMES, item_set
from barnskydd.voice.models import VoiceResponse

Var = tuple[str, int, str]  # table, row index, column
Constraint = tuple[dict[Var, int], int, bool]  # sum(k * var) (== or >=) rhs


def _responses(session: Session, seed: int) -> int:
    """Add drawn responses for five units of very different sizes; return how many."""
    rng = random.Random(seed)
    items = item_set()
    sizes = {"Enhet A": 60, "Enhet B": 23, "Enhet C": 9, "Enhet D": 4, "Enhet E": 14}
    total = 0
    for name, size in sizes.items():
        unit = staff.create_unit(session, name=name, municipality_code="1480")
        for _ in range(size):
            band = rng.choice(items.bands)
            status = rng.choices(list(VoiceStatus), weights=[70, 10, 12, 8])[0]
            reason = None
            if status in (VoiceStatus.NOT_OFFERED, VoiceStatus.NOT_POSSIBLE):
                reason = rng.choice(list(VoiceReason))
            scores: dict[str, int | None] = {}
            if status is VoiceStatus.ANSWERED:
                for item in items.items[band.id]:
                    value = rng.choice([None, *range(1, band.points + 1), band.points])
                    scores[item.theme] = value
            session.add(
                VoiceResponse(
                    id=uuid.uuid4().hex,
                    municipality_code="1480",
                    unit_id=unit.id,
                    month=f"2025-{rng.randint(1, 12):02d}",
                    context=VoiceContext.INTERVENTION_FOLLOW_UP,
                    status=status,
                    reason=reason,
                    band=band.id,
                    gender=rng.choice(["girl", "boy"]),
                    intervention_category="open_care",
                    item_set_version=items.version,
                    **scores,
                )
            )
            total += 1
    session.flush()
    return total


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _constraints(
    part: list[dict[str, str]], themes: list[dict[str, str]]
) -> tuple[dict[Var, int | None], list[Constraint]]:
    """Return every published cell (None when suppressed) and what an attacker knows."""
    cells: dict[Var, int | None] = {}
    for table, rows, columns in (
        ("p", part, report.PARTICIPATION_COUNTS),
        ("t", themes, report.THEME_COUNTS),
    ):
        for index, row in enumerate(rows):
            for column in columns:
                cells[(table, index, column)] = int(row[column]) if row[column] else None
    known: list[Constraint] = []
    reasons = [f"reason_{r.value}" for r in VoiceReason]
    for i in range(len(part)):
        known.append(
            (
                {("p", i, "total"): 1, ("p", i, "answered"): -1, ("p", i, "declined"): -1,
                 ("p", i, "not_offered"): -1, ("p", i, "not_possible"): -1},
                0, True,
            )
        )  # fmt: skip
        known.append(
            ({("p", i, "offered"): 1, ("p", i, "answered"): -1, ("p", i, "declined"): -1}, 0, True)
        )
        split = {("p", i, "not_offered"): 1, ("p", i, "not_possible"): 1}
        known.append(({**split, **{("p", i, r): -1 for r in reasons}}, 0, True))
        for t in THEMES:
            parts = {("t", i, f"{t}_answered"): 1, ("t", i, f"{t}_positive"): -1}
            known.append(({**parts, ("t", i, f"{t}_not_positive"): -1}, 0, True))
            known.append(({("p", i, "answered"): 1, ("t", i, f"{t}_answered"): -1}, 0, False))
    last = len(part) - 1  # the municipality's row comes last
    assert part[last]["level"] == "kommun"
    for table, columns in (("p", report.PARTICIPATION_COUNTS), ("t", report.THEME_COUNTS)):
        for column in columns:
            terms = {(table, i, column): -1 for i in range(last)}
            known.append(({**terms, (table, last, column): 1}, 0, True))
    return cells, known


def _reduce(cells: dict[Var, int | None], known: list[Constraint]) -> list[Constraint]:
    """Put the published values into the constraints; keep those with a suppressed cell."""
    out = []
    for terms, rhs, exact in known:
        hidden = {v: k for v, k in terms.items() if cells[v] is None}
        if hidden:
            rest = sum(k * (cells[v] or 0) for v, k in terms.items() if cells[v] is not None)
            out.append((hidden, rhs - rest, exact))
    return out


def _propagate(constraints: list[Constraint], lo: dict[Var, int], hi: dict[Var, int]) -> bool:
    """Tighten the bounds until nothing changes; False when some constraint cannot hold."""
    changed = True
    while changed:
        changed = False
        for terms, rhs, exact in constraints:
            low = sum(k * (lo[v] if k > 0 else hi[v]) for v, k in terms.items())
            high = sum(k * (hi[v] if k > 0 else lo[v]) for v, k in terms.items())
            if high < rhs or (exact and low > rhs):
                return False
            for v, k in terms.items():
                others_high = high - k * (hi[v] if k > 0 else lo[v])
                others_low = low - k * (lo[v] if k > 0 else hi[v])
                # k*v >= rhs - others_high, and (exact) k*v <= rhs - others_low
                need, room = rhs - others_high, (rhs - others_low) if exact else None
                if k > 0:
                    new_lo = max(lo[v], -(-need // k))
                    new_hi = min(hi[v], room // k) if room is not None else hi[v]
                else:
                    new_lo = max(lo[v], -(-room // k)) if room is not None else lo[v]
                    new_hi = min(hi[v], need // k)
                if new_lo > new_hi:
                    return False
                if (new_lo, new_hi) != (lo[v], hi[v]):
                    lo[v], hi[v], changed = new_lo, new_hi, True
    return True


def _solvable(constraints: list[Constraint], lo: dict[Var, int], hi: dict[Var, int]) -> bool:
    """Return whether an integer completion exists within the bounds (depth-first)."""
    lo, hi = dict(lo), dict(hi)
    if not _propagate(constraints, lo, hi):
        return False
    open_ = [v for v in lo if lo[v] < hi[v]]
    if not open_:
        return True
    v = min(open_, key=lambda x: hi[x] - lo[x])
    for value in range(lo[v], hi[v] + 1):
        if _solvable(constraints, {**lo, v: value}, {**hi, v: value}):
            return True
    return False


def _components(constraints: list[Constraint]) -> Iterator[list[Constraint]]:
    """Yield the groups of constraints linked by suppressed cells."""
    remaining = list(constraints)
    while remaining:
        group, cells = [remaining.pop()], set()
        cells |= set(group[0][0])
        grew = True
        while grew:
            grew = False
            for c in list(remaining):
                if cells & set(c[0]):
                    remaining.remove(c)
                    group.append(c)
                    cells |= set(c[0])
                    grew = True
        yield group


@pytest.mark.parametrize("seed", [1, 2])
def test_no_suppressed_count_can_be_recomputed_from_the_published_totals(
    session: Session, tmp_path: Path, seed: int
) -> None:
    total = _responses(session, seed)
    written = report.write(session, 2025, tmp_path / "out")
    part = _read(tmp_path / "out" / written.files[0])
    themes = _read(tmp_path / "out" / written.files[1])
    cells, known = _constraints(part, themes)
    published = [v for v in cells.values() if v is not None]
    assert all(not 0 < v < DEFAULT_THRESHOLD for v in published)
    tables = report.count(session, 2025)
    truth = tables.values()
    small = sum(1 for v in truth.values() if 0 < v < DEFAULT_THRESHOLD)
    assert written.suppressed > small > 0  # primary cells and complementary ones
    for group in _components(_reduce(cells, known)):
        variables = sorted({v for terms, _, _ in group for v in terms})
        lo = dict.fromkeys(variables, 1)
        hi = dict.fromkeys(variables, total)
        # Every total subtracted from every other, and each cell's bounds, to a fixed point.
        assert _propagate(group, lo, hi)  # the true values complete the tables
        fixed = [v for v in variables if lo[v] == hi[v]]
        assert fixed == [], f"recomputed from the published totals: {fixed}"
        # Any combination of the equations: a fixed cell's unit vector is in their row space.
        assert _combined(group, variables) == []
        if len(variables) <= SMALL:  # small groups: every integer completion, cell by cell
            for v in variables:
                found: list[int] = []
                for value in range(lo[v], hi[v] + 1):
                    if _solvable(group, {**lo, v: value}, {**hi, v: value}):
                        found.append(value)
                        if len(found) == 2:
                            break
                assert len(found) == 2, f"{v} is determined by the published totals"


SMALL = 8


def _combined(group: list[Constraint], variables: list[Var]) -> list[Var]:
    """Return the cells some linear combination of the exact constraints fixes."""
    exact = [terms for terms, _, is_exact in group if is_exact]
    if not exact:
        return []
    position = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(exact), len(variables)))
    for row, terms in enumerate(exact):
        for v, k in terms.items():
            matrix[row, position[v]] = k
    rank = np.linalg.matrix_rank(matrix)
    out = []
    for v in variables:
        unit = np.zeros(len(variables))
        unit[position[v]] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            out.append(v)
    return out
