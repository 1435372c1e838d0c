"""Synthetic statistics extracts for tests and the bench; never for a real release.

Mixes follow the published national picture: about 190 reports per 1,000 children a year,
about 1.8 reports per reported child, 38-50% of reports leading to an investigation depending
on the reporter, police + school + preschool + health care making about 60% of reports, and a
few children reported in more than one municipality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from barnskydd.stats.schema import (
    CONCERNS,
    EXTRACT_SCHEMA,
    EXTRACT_VERSION,
    GENDERS,
    INTERVENTIONS,
    REPORTER_CATEGORIES,
    VOICE_BANDS,
    VOICE_SCHEMA,
    VOICE_THEMES,
    voice_path,
)

REPORTS_PER_1000_CHILDREN = 190.0
REPORTS_PER_CHILD = 1.8
RETURNING_CHILDREN = 0.3  # share of a year's reported children also reported the year before
MOVED_REPORTS = 0.02  # share of reports received by a neighbouring municipality

REPORTER_MIX = {
    "police": 0.25, "school": 0.17, "preschool": 0.05, "health_care": 0.13,
    "dental_care": 0.01, "child_psychiatry": 0.04, "social_services": 0.12,
    "other_authority": 0.06, "private_person": 0.06, "relative": 0.05,
    "child_self": 0.02, "anonymous": 0.03, "other": 0.01,
}  # fmt: skip
OPENED_BY_REPORTER = {
    "police": 0.50, "school": 0.40, "preschool": 0.46, "health_care": 0.45,
    "dental_care": 0.42, "child_psychiatry": 0.48, "social_services": 0.49,
    "other_authority": 0.44, "private_person": 0.38, "relative": 0.41,
    "child_self": 0.47, "anonymous": 0.38, "other": 0.39,
}  # fmt: skip
CONCERN_WEIGHTS = np.array([10, 3, 8, 9, 12, 8, 6, 2, 4, 6, 9, 5, 10, 8], dtype=float)
NEVER_MANDATORY = {"private_person", "relative", "child_self", "anonymous"}
OTHER_PRELIMINARY = (("not_opened", 0.82), ("already_ongoing", 0.13), ("transferred", 0.05))
INVESTIGATION_MIX = (("interventions", 0.45), ("no_intervention", 0.40),
                     ("discontinued", 0.10), ("transferred", 0.05))  # fmt: skip
EARLY_HELP_OF_NOT_OPENED = 0.12  # version 2: screened out with early help offered
VOICE_PER_INTERVENTION_REPORT = 0.1
THEME_ANSWERED = 0.9
THEME_POSITIVE = 0.65
BAND_MIX = (0.2, 0.4, 0.4)  # 4-7, 8-12, 13-20


@dataclass(frozen=True)
class Municipality:
    """A municipality as the generator sees it: code and children aged 0-17."""

    code: str
    children: int


def _choice(rng: np.random.Generator, n: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Return n indices drawn with the given weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _strings(codes: Sequence[str], index: np.ndarray) -> pa.Array:
    """Return a string array from code indices without building Python strings per row."""
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(codes)).cast(
        pa.string()
    )


def _hex_ids(rng: np.random.Generator, n: int, words: int) -> list[str]:
    """Return n random lowercase hex ids of 16 * words characters."""
    parts = rng.integers(0, 2**63, size=(n, words), dtype=np.int64)
    return ["".join(f"{w:016x}" for w in row) for row in parts.tolist()]


def _children(
    rng: np.random.Generator,
    municipalities: Sequence[Municipality],
    years: Sequence[int],
    scale: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return child id, home municipality index and year for every reported child-year."""
    ids, homes, child_years, next_id = [], [], [], 0
    for m, municipality in enumerate(municipalities):
        expected = scale * municipality.children * REPORTS_PER_1000_CHILDREN / 1000
        previous = np.empty(0, dtype=np.int64)
        for year in years:
            n = int(rng.poisson(expected / REPORTS_PER_CHILD))
            returning = rng.permutation(previous)[: int(n * RETURNING_CHILDREN)]
            new = np.arange(next_id, next_id + n - len(returning), dtype=np.int64)
            next_id += len(new)
            current = np.concatenate([returning, new])
            ids.append(current)
            homes.append(np.full(len(current), m))
            child_years.append(np.full(len(current), year))
            previous = current
    return np.concatenate(ids), np.concatenate(homes), np.concatenate(child_years)


def generate(
    municipalities: Sequence[Municipality],
    years: Sequence[int],
    *,
    seed: int,
    scale: float = 1.0,
    version: int = EXTRACT_VERSION,
) -> pa.Table:
    """Return one synthetic extract table covering all municipalities and consecutive years."""
    years = sorted(years)
    if list(years) != list(range(years[0], years[-1] + 1)):
        raise ValueError("years must be consecutive")
    rng = np.random.default_rng(seed)
    child, home, year = _children(rng, municipalities, years, scale)
    per_child = 1 + rng.poisson(REPORTS_PER_CHILD - 1, size=len(child))
    child, home, year = (np.repeat(a, per_child) for a in (child, home, year))
    n = len(child)
    moved = rng.random(n) < MOVED_REPORTS
    muni = np.where(moved, (home + 1) % len(municipalities), home)
    month = rng.integers(0, 12, size=n)
    month_index = (year - min(years)) * 12 + month
    from_end = len(years) * 12 - 1 - month_index

    reporter = _choice(rng, n, list(REPORTER_MIX.values()))
    opened_p = np.array([OPENED_BY_REPORTER[c] for c in REPORTER_CATEGORIES])[reporter]
    pending = rng.random(n) < np.select([from_end == 0, from_end == 1], [0.6, 0.1], 0.0)
    opened = ~pending & (rng.random(n) < opened_p)
    other = _choice(rng, n, [p for _, p in OTHER_PRELIMINARY])
    prelim_codes = ["investigation_opened", *(c for c, _ in OTHER_PRELIMINARY), "pending"]
    prelim = np.where(pending, 4, np.where(opened, 0, other + 1))
    ongoing = opened & (rng.random(n) < np.select([from_end < 4, from_end < 8], [0.7, 0.2], 0.0))
    outcome = _choice(rng, n, [p for _, p in INVESTIGATION_MIX])
    inv_codes = [*(c for c, _ in INVESTIGATION_MIX), "ongoing"]
    inv = np.where(ongoing, 4, outcome)
    completed = opened & ~ongoing
    with_interventions = completed & (inv == 0)

    n_concerns = 1 + _choice(rng, n, [0.55, 0.3, 0.15])
    concern_values = _choice(rng, int(n_concerns.sum()), CONCERN_WEIGHTS)
    n_interventions = np.where(with_interventions, 1 + (rng.random(n) < 0.3), 0)
    intervention_values = _choice(rng, int(n_interventions.sum()), [40, 15, 15, 12, 3, 5, 10])
    adult = rng.random(n) < 0.01  # reports about 18-20-year-olds are rare but valid
    age = np.where(adult, rng.integers(18, 21, size=n), rng.integers(0, 18, size=n))
    age = age.astype(np.int32)
    age_valid = rng.random(n) > 0.02
    month_labels = [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
    codes = [m.code for m in municipalities]

    if version >= 2:  # a stream of its own: the version-1 draws above stay the same
        early = np.random.default_rng([seed, 2]).random(n) < EARLY_HELP_OF_NOT_OPENED
        prelim_codes.append("early_help_offered")
        prelim = np.where((prelim == 1) & early, len(prelim_codes) - 1, prelim)
    columns = {
        "extract_version": pa.array(np.full(n, version, dtype=np.int32)),
        "municipality_code": _strings(codes, muni),
        "report_id": pa.array(_hex_ids(rng, n, 2)),
        "child_key": pa.array([f"{c:064x}" for c in (child * 2654435761 + seed).tolist()]),
        "received_month": _strings(month_labels, month_index),
        "child_age": pa.array(age, mask=~age_valid),
        "child_gender": _strings(("girl", "boy", "unknown"), _choice(rng, n, [49, 49, 2])),
        "reporter_category": _strings(REPORTER_CATEGORIES, reporter),
        "mandatory_reporter": pa.array(
            ~np.isin(reporter, [REPORTER_CATEGORIES.index(c) for c in NEVER_MANDATORY])
        ),
        "concerns": _lists(CONCERNS, n_concerns, concern_values),
        "preliminary_outcome": _strings(prelim_codes, prelim),
        "preliminary_on_time": pa.array(rng.random(n) < 0.85, mask=pending),
        "investigation_outcome": pc.if_else(
            pa.array(opened), _strings(inv_codes, inv), pa.scalar(None, pa.string())
        ),
        "investigation_on_time": pa.array(rng.random(n) < 0.75, mask=~completed),
        "interventions": _lists(INTERVENTIONS, n_interventions, intervention_values),
        "lvu": pa.array(with_interventions & (rng.random(n) < 0.08)),
    }
    return pa.Table.from_pydict(columns, schema=EXTRACT_SCHEMA)


def _lists(codes: Sequence[str], lengths: np.ndarray, values: np.ndarray) -> pa.Array:
    """Return a list<string> array from per-row lengths and flat code indices."""
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), _strings(codes, values))


def voice(table: pa.Table, *, seed: int) -> pa.Table:
    """Return a synthetic voice table for one municipality's version-2 extract rows."""
    rng = np.random.default_rng([seed, 3])
    with_interventions = pc.equal(table.column("investigation_outcome"), "interventions")
    rows = table.filter(pc.fill_null(with_interventions, False))
    chosen = rows.filter(pa.array(rng.random(rows.num_rows) < VOICE_PER_INTERVENTION_REPORT))
    n = chosen.num_rows
    band = _choice(rng, n, BAND_MIX)
    gender = _choice(rng, n, [49, 49, 2])
    answered = rng.random((n, len(VOICE_THEMES))) < THEME_ANSWERED
    response, theme = np.nonzero(answered)
    first = [v[0] if v else None for v in chosen.column("interventions").to_pylist()]
    categories = pa.array([first[i] for i in response.tolist()], pa.string())
    return pa.Table.from_pydict(
        {
            "extract_version": pa.array(np.full(len(response), 2, dtype=np.int32)),
            "municipality_code": pc.take(chosen.column("municipality_code"), pa.array(response)),
            "month": pc.take(chosen.column("received_month"), pa.array(response)),
            "theme": _strings(VOICE_THEMES, theme),
            "band": _strings(VOICE_BANDS, band[response]),
            "child_gender": _strings(GENDERS, gender[response]),
            "intervention_category": categories,
            "positive": pa.array(rng.random(len(response)) < THEME_POSITIVE),
        },
        schema=VOICE_SCHEMA,
    )


def write_extracts(
    directory: Path,
    municipalities: Sequence[Municipality],
    years: Sequence[int],
    *,
    seed: int,
    scale: float = 1.0,
    version: int = EXTRACT_VERSION,
) -> list[Path]:
    """Write one synthetic extract file per municipality (version 2: and its voice table)."""
    table = generate(municipalities, years, seed=seed, scale=scale, version=version)
    directory.mkdir(parents=True, exist_ok=True)
    codes = pa.array([m.code for m in municipalities])
    index = pc.index_in(table.column("municipality_code"), codes).to_numpy()
    table = table.take(pa.array(np.argsort(index, kind="stable")))
    paths, start = [], 0
    for municipality, count in zip(
        municipalities, np.bincount(index, minlength=len(codes)), strict=True
    ):
        if count:
            path = directory / f"extract_{municipality.code}.parquet"
            rows = table.slice(start, int(count))
            pq.write_table(rows, path)
            if version >= 2:
                pq.write_table(voice(rows, seed=seed + start), voice_path(path))
            paths.append(path)
        start += int(count)
    return paths
