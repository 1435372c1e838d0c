"""Sweden's 290 municipalities, read from the reference file shipped in barnskydd/data."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from barnskydd.core.errors import InvalidInput

ATTRIBUTION = "Källa: SCB via Kolada"

# Sweden's share of children aged 0-17 on 31 December 2022, the latest year we could check:
# SCB's population pyramid for Sweden (scb.se, "Befolkningspyramid för Sverige", 5-year bands
# by sex, as copied in gist AlbertVeli/4058336e505c0263e1daed64b24cc9ea; its bands sum to
# 10 521 556, SCB's total for 2022). Ages 0-14 are 1 829 093; ages 15-17 are taken as 3/5 of
# the 15-19 band (602 847), so 0-17 is about 2 190 800, i.e. 20.8 %. We could not confirm
# SCB's 2024 or 2025 figure, hence "ca" in the label. Municipalities differ from the national
# share by several percentage points either way, so the estimate is only a stopgap until the
# barn_0_17 column is filled from SCB (see barnskydd/data/README.md).
CHILDREN_0_17_SHARE = 0.208
CHILDREN_0_17_SHARE_SOURCE = (
    "SCB, befolkningspyramid för Sverige 31 dec 2022: ca 2,19 miljoner 0–17 år "
    "av 10 521 556 (15–17 år interpolerade ur 15–19 år)"
)

_CODE = re.compile(r"\d{4}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality as the reference file gives it."""

    code: str
    name: str
    county_code: str
    county: str
    population: int
    children_0_17: int | None
    year: int
    group: str


def _row(row: dict[str, str]) -> Municipality:
    """Build a municipality from one CSV row."""
    children = row["barn_0_17"].strip()
    return Municipality(
        code=row["kommunkod"],
        name=row["kommun"],
        county_code=row["lanskod"],
        county=row["lan"],
        population=int(row["folkmangd"]),
        children_0_17=int(children) if children else None,
        year=int(row["ar"]),
        group=row["kommungrupp"],
    )


@cache
def all_municipalities() -> tuple[Municipality, ...]:
    """Return every municipality, sorted by code."""
    text = resources.files("barnskydd").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    return tuple(_row(row) for row in csv.DictReader(io.StringIO(text, newline="")))


@cache
def _by_code() -> dict[str, Municipality]:
    """Index the municipalities by code."""
    return {m.code: m for m in all_municipalities()}


def get(code: str) -> Municipality:
    """Return the municipality with a 4-digit code; refuse unknown or malformed codes."""
    cleaned = code.strip()
    if not _CODE.fullmatch(cleaned):
        # Not echoed: a malformed value may be anything pasted into the field.
        raise InvalidInput(
            "Okänd kommunkod: ange kommunens fyra siffror, t.ex. 0180.", field="code"
        )
    municipality = _by_code().get(cleaned)
    if municipality is None:
        raise InvalidInput(f"Okänd kommunkod: {cleaned}.", field="code")
    return municipality


def estimated_children_0_17(m: Municipality) -> tuple[int, str]:
    """Estimate a municipality's 0-17-year-olds from its population; return (count, label)."""
    estimate = round(m.population * CHILDREN_0_17_SHARE)
    share = f"{CHILDREN_0_17_SHARE * 100:.1f}".replace(".", ",")
    label = (
        f"Uppskattning, inte SCB:s siffra: folkmängden {m.year} × ca {share} % "
        f"(rikets andel 0–17 år; {CHILDREN_0_17_SHARE_SOURCE})"
    )
    return estimate, label
