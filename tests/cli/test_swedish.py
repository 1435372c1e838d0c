"""Typer's own words reach the user in Swedish: usage errors, the usage line, help panels.

Each case is an error a user meets by mistyping (a missing argument or option, an option that
does not exist, a value outside a list, an option without its value, an unknown command, an
extra argument). The message must name what was wrong, in Swedish, with no English left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from barnskydd.cli import app

runner = CliRunner()
ENGLISH = re.compile(
    r"\b(Usage|Missing|Error|Options|Arguments|Commands|required|Try|No such|"
    r"is not one of|requires an|unexpected|Got|Show this message)\b"
)

# (the arguments, what the message must name, a Swedish phrase it must carry)
MISTAKES: list[tuple[list[str], str, str]] = [
    (["journal", "add"], "'case_number'", "Argumentet 'case_number' saknas."),
    (["journal", "add", "BU-2025-000001"], "'--kind'", "Flaggan '--kind' saknas."),
    (["journal", "list", "BU-2025-000001", "--bogus"], "--bogus", "Flaggan --bogus finns inte."),
    (["journal", "add", "BU-2025-000001", "--kind", "nope"], "'nope'", "är inte ett av"),
    (["journal", "add", "BU-2025-000001", "--kind"], "'--kind'", "behöver ett värde"),
    (["no-such-group"], "'no-such-group'", "Kommandot 'no-such-group' finns inte."),
    (["drafts", "purge", "extra"], "extra", "Oväntade extra argument"),
]


@pytest.mark.parametrize(("args", "named", "swedish"), MISTAKES)
def test_a_usage_error_is_told_in_swedish(args: list[str], named: str, swedish: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    text = " ".join(result.output.split())  # the panel wraps long lines
    assert named in text
    assert swedish in text
    assert "Fel" in text
    assert not ENGLISH.search(text), text


def test_an_error_shows_the_usage_line_and_where_help_is() -> None:
    result = runner.invoke(app, ["journal", "add"])
    assert "Användning: barnskydd journal add" in result.output
    assert "Skriv 'barnskydd journal add --help' för hjälp." in result.output


def test_help_panels_and_the_usage_line_are_swedish() -> None:
    result = runner.invoke(app, ["journal", "add", "--help"])
    assert result.exit_code == 0
    for word in ("Användning:", "Argument", "Flaggor", "[krävs]", "Visa den här hjälpen"):
        assert word in result.output
    assert not ENGLISH.search(result.output), result.output


def test_the_top_level_help_offers_no_shell_completion_in_english() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Kommandon" in result.output
    assert "--install-completion" not in result.output


ENGLISH_WORDS = re.compile(r"\b(the|and|of|is|for|with|to|an|its|print|list|record)\b", re.I)


def _commands(group: Any, path: str = "barnskydd") -> Iterator[tuple[str, Any]]:
    for name, command in group.commands.items():
        if getattr(command, "hidden", False):
            continue
        yield f"{path} {name}", command
        if hasattr(command, "commands"):
            yield from _commands(command, f"{path} {name}")


def test_every_command_says_what_it_does_in_swedish() -> None:
    english = [
        f"{path}: {command.help}"
        for path, command in _commands(typer.main.get_command(app))
        if command.help and ENGLISH_WORDS.search(command.help)
    ]
    assert english == []
