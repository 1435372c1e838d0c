"""The introduction programmes: versioned TOML files in programmes/, one per version."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from barnskydd.core.errors import InvalidInput

DEFAULT = ("introduktion-barn-unga", 1)


@dataclass(frozen=True, slots=True)
class Item:
    """One item of a programme (a course, a training, a series of talks)."""

    key: str
    title: str


@dataclass(frozen=True, slots=True)
class Programme:
    """One version of an introduction programme and its items, in order."""

    id: str
    version: int
    name: str
    source: str
    months: int
    items: tuple[Item, ...]

    def item(self, key: str) -> Item:
        """Return an item by its key, or refuse naming the keys there are."""
        found = next((i for i in self.items if i.key == key), None)
        if found is None:
            keys = ", ".join(i.key for i in self.items)
            raise InvalidInput(
                f"Programmet har ingen del '{key}'. Delarna är: {keys}.", field="item"
            )
        return found


def _files() -> list[str]:
    folder = resources.files("barnskydd.staff.competence").joinpath("programmes")
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))


@functools.cache
def get_all() -> tuple[Programme, ...]:
    """Load every programme version."""
    folder = resources.files("barnskydd.staff.competence").joinpath("programmes")
    found = []
    for name in _files():
        raw = tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        found.append(
            Programme(
                id=raw["id"],
                version=raw["version"],
                name=raw["name"],
                source=raw["source"],
                months=raw["months"],
                items=tuple(Item(i["key"], i["title"]) for i in raw["items"]),
            )
        )
    return tuple(found)


def get(programme_id: str, version: int | None = None) -> Programme:
    """Return a programme version (the latest when no version is given), or refuse."""
    versions = [p for p in get_all() if p.id == programme_id]
    if version is not None:
        versions = [p for p in versions if p.version == version]
    if not versions:
        known = ", ".join(sorted({f"{p.id} (version {p.version})" for p in get_all()}))
        raise InvalidInput(
            f"Det finns inget introduktionsprogram '{programme_id}'. Kända: {known}.",
            field="programme",
        )
    return max(versions, key=lambda p: p.version)
