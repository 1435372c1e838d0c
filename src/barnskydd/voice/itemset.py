"""Versioned item sets: the age bands, the items (one per theme) and the open questions.

Each file in `itemsets/` is one version; answers keep the version they were given in, so a
record can always be shown with the wording the child saw.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from barnskydd.people.rules import age_in_years

CURRENT = "2026-1"
THEMES = (
    "safe",
    "listened",
    "understood_info",
    "influence",
    "knows_worker",
    "time_alone",
    "help_helps",
    "contact_family",
    "school",
)
THEME_LABELS = {
    "safe": "Känner sig trygg",
    "listened": "Blir lyssnad på",
    "understood_info": "Förstår vad som händer",
    "influence": "Får vara med och bestämma",
    "knows_worker": "Vet vem socialsekreteraren är",
    "time_alone": "Fått prata enskilt",
    "help_helps": "Hjälpen hjälper",
    "contact_family": "Kontakt med familj och vänner",
    "school": "Skolan fungerar",
}


@dataclass(frozen=True, slots=True)
class Band:
    """An age band: who it is for and the scale its items use."""

    id: str
    label: str
    min_age: int
    max_age: int
    points: int
    positive_from: int
    faces: bool
    scale: tuple[str, ...]  # labels from 1 (least positive) to points


@dataclass(frozen=True, slots=True)
class Item:
    """One question of a band, mapped to a theme."""

    id: str
    theme: str
    text: str
    concern: bool  # the lowest answer puts "följ upp" on the worker's inbox


@dataclass(frozen=True, slots=True)
class Question:
    """One open question, answered in the child's own words."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class ItemSet:
    """One version of the questions."""

    version: str
    bands: tuple[Band, ...]
    items: dict[str, tuple[Item, ...]]  # band id -> its items, in order
    open: dict[str, tuple[Question, ...]]  # band id -> its open questions

    def band(self, band_id: str) -> Band:
        """Return a band by its id (KeyError when the version has none)."""
        return next(b for b in self.bands if b.id == band_id)

    def band_for_age(self, age: int) -> Band:
        """Return the band preselected for a child of that age."""
        return next(b for b in self.bands if b.min_age <= age <= b.max_age)

    def band_on(self, born: dt.date, day: dt.date) -> Band:
        """Return the band preselected for a child born on `born`, on `day`."""
        return self.band_for_age(age_in_years(born, day))

    @property
    def band_ids(self) -> tuple[str, ...]:
        """Return the band ids, youngest first."""
        return tuple(b.id for b in self.bands)


def versions() -> tuple[str, ...]:
    """Return every item set version there is, oldest first (the files in `itemsets/`)."""
    files = resources.files("barnskydd.voice").joinpath("itemsets").iterdir()
    return tuple(sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml")))


@functools.cache
def item_set(version: str = CURRENT) -> ItemSet:
    """Load one version of the item set."""
    text = resources.files("barnskydd.voice").joinpath("itemsets", f"{version}.toml").read_text()
    raw = tomllib.loads(text)
    bands = tuple(
        Band(
            id=b["id"],
            label=b["label"],
            min_age=b["min_age"],
            max_age=b["max_age"],
            points=b["points"],
            positive_from=b["positive_from"],
            faces=b["faces"],
            scale=tuple(b["scale"]),
        )
        for b in raw["bands"]
    )
    items = {
        band.id: tuple(
            Item(
                id=x["id"],
                theme=x["theme"],
                text=x["text"][band.id],
                concern=x.get("concern", False),
            )
            for x in raw["items"]
            if band.id in x["text"]
        )
        for band in bands
    }
    questions = {
        band.id: tuple(
            Question(id=q["id"], text=q["text"][band.id])
            for q in raw["open"]
            if band.id in q["text"]
        )
        for band in bands
    }
    return ItemSet(version=raw["version"], bands=bands, items=items, open=questions)
