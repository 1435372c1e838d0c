"""Package layering, read from the source: core imports no feature, people imports no cases."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import barnskydd

SOURCE = Path(barnskydd.__file__).resolve().parent
FEATURES = sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
# package -> the barnskydd packages it must not import, anywhere in its modules (even inside a
# function, where an import would hide a cycle from the import system).
FORBIDDEN = {
    "core": [*(f for f in FEATURES if f != "core"), "models"],
    "people": ["cases"],
}


def _imported(path: Path) -> set[str]:
    """Return every module a source file imports, relative imports resolved."""
    package = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _offending(package: str, forbidden: list[str]) -> list[str]:
    found = []
    for path in sorted((SOURCE / package).rglob("*.py")):
        for name in sorted(_imported(path)):
            parts = name.split(".")
            if parts[0] == "barnskydd" and len(parts) > 1 and parts[1] in forbidden:
                found.append(f"{path.relative_to(SOURCE)}: {name}")
    return found


def test_the_packages_are_found() -> None:
    assert {"core", "people", "cases", "lookup"} <= set(FEATURES)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_does_not_import_the_packages_above_it(package: str) -> None:
    assert _offending(package, FORBIDDEN[package]) == []
