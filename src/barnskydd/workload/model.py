"""The workload model: points per phase, uplift and intervention, experience and norm, as data.

The default (`models/goteborg.toml`) ships with the package; `BARNSKYDD_WORKLOAD_MODEL_FILE`
points to the municipality's own. A file that cannot be used is refused with a Swedish message
naming the key and its line, so whoever edits it can find the mistake.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from barnskydd.cases.codes import InterventionCategory
from barnskydd.core.settings import get_settings

DEFAULT = Path(__file__).parent / "models" / "goteborg.toml"

Points = int


class ModelError(Exception):
    """A model file that cannot be used; the message is Swedish and names key and line."""

    def __init__(self, message: str, *, key: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.line = line


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ModelInfo(_Strict):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    source: str = Field(min_length=1)
    norm: Points = Field(gt=0, le=10_000)


class Phases(_Strict):
    protection_assessment: Points = Field(ge=0, le=1000)
    preliminary_assessment: Points = Field(ge=0, le=1000)
    investigation: Points = Field(ge=0, le=1000)
    follow_up: Points = Field(ge=0, le=1000)


class Uplifts(_Strict):
    lvu: Points = Field(ge=0, le=1000)
    honour_related: Points = Field(ge=0, le=1000)
    protected_identity: Points = Field(ge=0, le=1000)
    interpreter: Points = Field(ge=0, le=1000)
    siblings: Points = Field(ge=0, le=1000)


class Interventions(_Strict):
    open_care: Points = Field(ge=0, le=1000)
    contact_person_or_family: Points = Field(ge=0, le=1000)
    family_home: Points = Field(ge=0, le=1000)
    residential_hvb: Points = Field(ge=0, le=1000)
    sis_secure: Points = Field(ge=0, le=1000)
    supported_housing: Points = Field(ge=0, le=1000)
    emergency_home: Points = Field(ge=0, le=1000)
    youth_service: Points = Field(ge=0, le=1000)
    other: Points = Field(ge=0, le=1000)


class Experience(_Strict):
    familiar_from_years: int = Field(ge=0, le=60)
    experienced_from_years: int = Field(ge=0, le=60)
    new: float = Field(gt=0, le=5)
    familiar: float = Field(gt=0, le=5)
    experienced: float = Field(gt=0, le=5)


class Alerts(_Strict):
    above_norm_months: int = Field(ge=1, le=12)
    deadline_risk_window_days: int = Field(ge=1, le=365)
    deadline_risk_min: int = Field(ge=1, le=10_000)


class Model(_Strict):
    """A whole model file, every key required (docs/workload.md describes each)."""

    model: ModelInfo
    phases: Phases
    uplifts: Uplifts
    interventions: Interventions
    experience: Experience
    alerts: Alerts

    def intervention_points(self, category: InterventionCategory) -> Points:
        """Return the points of one ongoing intervention of this category."""
        value: Points = getattr(self.interventions, category.value)
        return value


# Experience factors may be written as 1 in TOML (an integer); strict mode wants a float.
_FLOAT_KEYS = {"new", "familiar", "experienced"}

_MESSAGES = {
    "missing": "saknas",
    "extra_forbidden": "är ingen nyckel i modellen",
    "int_type": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "string_type": "ska vara en text",
    "model_type": "ska vara en tabell ([...])",
    "dict_type": "ska vara en tabell ([...])",
    "greater_than": "är för litet",
    "greater_than_equal": "är för litet",
    "less_than": "är för stort",
    "less_than_equal": "är för stort",
    "string_too_short": "får inte vara tom",
}


@dataclass(frozen=True, slots=True)
class Loaded:
    """A model and where it came from."""

    model: Model
    path: Path


def parse(text: str, *, name: str = "modellfilen") -> Model:
    """Return the model in a TOML text, or raise ModelError naming key and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        where = f" rad {line}" if line else ""
        raise ModelError(f"{name}{where}: filen är inte giltig TOML ({exc}).", line=line) from exc
    for key in _FLOAT_KEYS:
        section = data.get("experience")
        if isinstance(section, dict) and type(section.get(key)) is int:
            section[key] = float(section[key])
    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _error(text, name, first) from exc
    exp = model.experience
    if exp.familiar_from_years > exp.experienced_from_years:
        line = _line(text, "experience", "familiar_from_years")
        raise ModelError(
            f"{name} rad {line}: experience.familiar_from_years får inte vara större än "
            "experience.experienced_from_years.",
            key="experience.familiar_from_years",
            line=line,
        )
    return model


def _error(text: str, name: str, error: Any) -> ModelError:
    loc = [str(part) for part in error.get("loc", ())]
    key = ".".join(loc) or "(hela filen)"
    line = _line(text, *loc[:2]) if loc else None
    what = _MESSAGES.get(error.get("type", ""), "har ett ogiltigt värde")
    where = f" rad {line}" if line else ""
    return ModelError(f"{name}{where}: {key} {what}.", key=key, line=line)


def _line(text: str, section: str, key: str | None = None) -> int | None:
    """Return the line of `key` in `[section]`, or of the section itself when key is absent."""
    current = ""
    section_line: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            current = header.group(1)
            if current == section:
                section_line = number
            continue
        if current == section and key and re.match(rf"{re.escape(key)}\s*=", line):
            return number
    return section_line


def load(path: Path) -> Model:
    """Return the model in a file, or raise ModelError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{path}: filen kan inte läsas ({exc.strerror}).") from exc
    return parse(text, name=str(path))


@lru_cache(maxsize=8)
def _cached(path: Path, mtime: float) -> Model:
    return load(path)


def current() -> Loaded:
    """Return the model in force: the configured file, or the packaged default."""
    path = get_settings().workload_model_file or DEFAULT
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ModelError(f"{path}: filen kan inte läsas ({exc.strerror}).") from exc
    return Loaded(model=_cached(path, mtime), path=path)
