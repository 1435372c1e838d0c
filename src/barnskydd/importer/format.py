"""The exchange format a municipality's history arrives in: one JSON Lines file per record type.

A directory holds `manifest.json` (the format and the source system's name), `children.jsonl`,
`reports.jsonl`, `guardians.jsonl` and one file per step of the chain, named by the step's
command (`protection.jsonl`, `preliminary.jsonl`, ..., `close.jsonl`; see docs/import.md).
Every row has the source system's own `id`; a report names its `child`, a step its `report`
and its `order` among the report's steps, a guardian its `child`. The other fields are the
step's input fields as the API takes them (chain/inputs.py, strict mode); a step that names
an intervention gives the intervention's source id in `intervention`.

This module only reads: a row that is no JSON object or lacks its ids is a refusal naming the
file and line; what a row's fields mean is checked by the same models and checks as any write.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barnskydd.cases.chain.spec import SPECS, StepSpec

FORMAT = "barnskydd-import/1"
MANIFEST = "manifest.json"
CHILDREN = "children.jsonl"
REPORTS = "reports.jsonl"
GUARDIANS = "guardians.jsonl"
STEP_FILES: dict[str, StepSpec] = {f"{spec.command}.jsonl": spec for spec in SPECS}
# A step field that names another row of the chain gives that row's source id instead.
REFERENCES = {"intervention_id": "intervention"}
MAX_SOURCE_ID = 100
MAX_SYSTEM = 60

MSG_NOT_JSON = "Raden är inte ett JSON-objekt."
MSG_NO_ID = "Ange postens id i källsystemet (högst 100 tecken)."
MSG_NO_REPORT = "Ange vilken anmälan steget hör till (anmälans id)."
MSG_NO_CHILD = "Ange vilket barn posten gäller (barnets id)."
MSG_NO_ORDER = "Ange stegets ordning i anmälans kedja som ett heltal."
MSG_DUPLICATE = "Id:t förekommer redan tidigare i filen."


class FormatError(Exception):
    """The directory is no import at all (no manifest, another format): nothing is read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Row:
    """One line of one file: where it is, the source id and its fields."""

    file: str
    line: int
    id: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Refusal:
    """What was not imported and why: the file, line and field, and the report it kept out."""

    file: str
    line: int
    field: str
    message: str
    report: str | None = None

    def describe(self) -> str:
        """Return the refusal as one Swedish line (no field values: they may be personal)."""
        where = f"{self.file} rad {self.line}" + (f", fält {self.field}" if self.field else "")
        kept = f" (anmälan {self.report} importerades inte)" if self.report else ""
        return f"{where}: {self.message}{kept}"


@dataclass
class Source:
    """A whole directory, read: rows by kind, steps by their report, what could not be read."""

    system: str
    children: dict[str, Row] = field(default_factory=dict)
    reports: list[Row] = field(default_factory=list)
    guardians: list[Row] = field(default_factory=list)
    steps: dict[str, list[tuple[int, Row]]] = field(default_factory=lambda: defaultdict(list))
    refused: list[Refusal] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # reports with a step row that was refused

    def steps_of(self, report: str) -> list[Row]:
        """Return a report's steps in their order (ties in file and line order)."""
        found = sorted(self.steps.get(report, ()), key=lambda s: (s[0], s[1].file, s[1].line))
        return [row for _, row in found]


def _source_id(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text if 0 < len(text) <= MAX_SOURCE_ID else None


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            yield number, value if isinstance(value, dict) else None


def _rows(source: Source, directory: Path, name: str) -> Iterator[Row]:
    """Yield a file's rows with their id; refuse a line that is no object or has no id."""
    path = directory / name
    if not path.is_file():
        return
    seen: set[str] = set()
    for number, value in _lines(path):
        if value is None:
            source.refused.append(Refusal(name, number, "", MSG_NOT_JSON))
            continue
        row_id = _source_id(value.pop("id", None))
        if row_id is None:
            source.refused.append(Refusal(name, number, "id", MSG_NO_ID))
            continue
        if row_id in seen:
            source.refused.append(Refusal(name, number, "id", MSG_DUPLICATE))
            continue
        seen.add(row_id)
        yield Row(name, number, row_id, value)


def manifest(directory: Path) -> str:
    """Return the source system's name from the manifest, or raise FormatError."""
    path = directory / MANIFEST
    if not path.is_file():
        raise FormatError(f"{MANIFEST} saknas i katalogen.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise FormatError(f"{MANIFEST} är inte giltig JSON.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError(f'{MANIFEST} måste ange "format": "{FORMAT}".')
    system = data.get("system")
    if not isinstance(system, str) or not 0 < len(system.strip()) <= MAX_SYSTEM:
        raise FormatError(f'{MANIFEST} måste ange källsystemets namn i "system" (högst 60 tecken).')
    return system.strip()


def read(directory: Path) -> Source:
    """Read a directory in the exchange format (every file whole, in memory)."""
    source = Source(system=manifest(directory))
    for row in _rows(source, directory, CHILDREN):
        source.children[row.id] = row
    for name, out, ref, missing in (
        (REPORTS, source.reports, "child", MSG_NO_CHILD),
        (GUARDIANS, source.guardians, "child", MSG_NO_CHILD),
    ):
        for row in _rows(source, directory, name):
            if _source_id(row.data.get(ref)) is None:
                source.refused.append(Refusal(name, row.line, ref, missing))
                continue
            out.append(row)
    for name in STEP_FILES:
        for row in _rows(source, directory, name):
            report = _source_id(row.data.pop("report", None))
            order = row.data.pop("order", None)
            if report is None:
                source.refused.append(Refusal(name, row.line, "report", MSG_NO_REPORT))
            elif isinstance(order, bool) or not isinstance(order, int):
                source.refused.append(Refusal(name, row.line, "order", MSG_NO_ORDER, report))
                source.broken.add(report)
            else:
                source.steps[report].append((order, row))
    return source
