"""Generate docs/cli.md from the command tree itself, so the reference cannot drift."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.main import get_command

HEADER = """# Command-line reference

Generated from the command definitions by `make docs` (`barnskydd docs-cli`);
tests/test_docs.py fails when this file is out of date. Exit codes: 0 success,
1 a check failed (e.g. `audit verify`), 2 invalid input or a forbidden step,
3 not found, 4 not permitted; `audit verify` also exits 5 (the chain's head) and 6 (its
anchors), see docs/chain.md.
"""


def _describe(command: Any, path: str) -> list[str]:
    lines = [f"## `{path}`", "", (command.help or "").strip().split("\n")[0], ""]
    rows = []
    for param in command.params:
        if isinstance(param, TyperOption):
            names = " / ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
            required = "required" if param.required else ""
            rows.append(f"| {names} | {required} | {(param.help or '').strip()} |")
        elif isinstance(param, TyperArgument):
            rows.append(f"| `{param.name.upper() if param.name else ''}` | argument | |")
    if rows:
        lines += ["| option | | help |", "| --- | --- | --- |", *rows, ""]
    return lines


def _walk(command: Any, path: str) -> list[str]:
    if isinstance(command, TyperGroup):
        lines: list[str] = []
        for name in sorted(command.commands):
            sub = command.commands[name]
            if not sub.hidden:
                lines += _walk(sub, f"{path} {name}")
        return lines
    return _describe(command, path)


def render(app: typer.Typer) -> str:
    """Return the Markdown reference of every command under the app."""
    root = get_command(app)
    return "\n".join([HEADER, *_walk(root, "barnskydd")]).rstrip() + "\n"
