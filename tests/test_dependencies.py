"""Every third-party package that src/ imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "barnskydd"
TEST_ONLY = {"test"}  # extras that the product's own code may not rely on
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra, listed in project.get("optional-dependencies", {}).items():
        if extra not in TEST_ONLY:
            requirements += listed
    names = set()
    for requirement in requirements:
        match = NAME.match(requirement.strip())
        assert match, requirement
        names.add(_normalise(match.group()))
    return names


def _imported() -> dict[str, set[str]]:
    """Return each top-level module imported absolutely in src/, with the files importing it."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_in_src_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    declared = _declared()
    third_party = {
        module: files
        for module, files in _imported().items()
        if module not in sys.stdlib_module_names and module != "barnskydd"
    }
    assert third_party  # the scan found the imports at all
    missing = {}
    for module, files in sorted(third_party.items()):
        owners = {_normalise(d) for d in distributions.get(module, [])}
        if not owners & declared:
            missing[module] = (sorted(owners) or ["not installed"], sorted(files)[:3])
    assert not missing, f"imported in src/ but not declared in pyproject.toml: {missing}"
