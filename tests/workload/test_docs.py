"""docs/workload.md names every key of the model file (a new key fails here until it is)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from barnskydd.workload import model as workload_model

DOC = Path(__file__).resolve().parents[2] / "docs" / "workload.md"


def _keys(table: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, value in table.items():
        if isinstance(value, dict):
            keys |= _keys(value, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_every_key_of_the_model_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    data = tomllib.loads(workload_model.DEFAULT.read_text(encoding="utf-8"))
    schema = {
        f"{section}.{key}"
        for section, field in workload_model.Model.model_fields.items()
        for key in field.annotation.model_fields  # type: ignore[union-attr]
    }
    assert _keys(data) == schema
    missing = [key for key in sorted(schema) if f"| `{key}` |" not in text]
    assert missing == []
