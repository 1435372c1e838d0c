"""Typer's own words (usage lines, help panels, usage errors) in Swedish.

The command line speaks Swedish to everyone, but Typer writes its help panels and its usage
errors in English: the panel titles through gettext (looked up in a locale a server rarely
has), the errors as plain English text from its bundled parser. `install` sets the titles
from CATALOGUE and has Typer print each usage error through `message`, which says in Swedish
what the user got wrong, naming the argument or option. Our own checks already speak
Swedish and pass through unchanged. tests/cli/test_swedish.py drives the errors a user meets
and fails on English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer.core
import typer.rich_utils
from rich.markup import escape
from rich.panel import Panel
from typer._click import exceptions as click_errors
from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter

__all__ = ["CATALOGUE", "USAGE", "install", "message"]

USAGE = "Användning: "

# Typer's gettext message ids -> Swedish.
CATALOGUE: dict[str, str] = {
    "Arguments": "Argument",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Error": "Fel",
    "Aborted.": "Avbrutet.",
    "Aborted!": "Avbrutet.",
    "[required]": "[krävs]",
    "required": "krävs",
    "[default: {}]": "[standard: {}]",
    "default: {default}": "standard: {default}",
    "[env var: {}]": "[miljövariabel: {}]",
    "env var: {var}": "miljövariabel: {var}",
    "(deprecated) ": "(utgår) ",
    "(dynamic)": "(beräknas)",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "Skriv [blue]'{command_path} {help_option}'[/] för hjälp."
    ),
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
}

_KINDS = {"argument": "Argumentet", "option": "Flaggan", "parameter": "Parametern"}

# The bundled parser's and type checks' English texts -> Swedish, tried in order.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), swedish)
    for pattern, swedish in (
        (r"^Option (?P<o>'[^']*') does not take a value\.$", r"Flaggan \g<o> tar inget värde."),
        (r"^Option (?P<o>'[^']*') requires an argument\.$", r"Flaggan \g<o> behöver ett värde."),
        (
            r"^Option (?P<o>'[^']*') requires (?P<n>\d+) arguments\.$",
            r"Flaggan \g<o> behöver \g<n> värden.",
        ),
        (
            r"^Argument (?P<a>'[^']*') takes (?P<n>\d+) values\.$",
            r"Argumentet \g<a> tar \g<n> värden.",
        ),
        (
            r"^Got unexpected extra argument\(s\) \((?P<a>.*)\)$",
            r"Oväntade extra argument (\g<a>).",
        ),
        (r"^No such option: (?P<o>.*)$", r"Flaggan \g<o> finns inte."),
        (r"^(?P<v>'.*') is not one of (?P<c>.*)\.$", r"\g<v> är inte ett av \g<c>."),
        (r"^Value (?P<v>.*) is not a valid (?P<t>\w+)\.$", r"\g<v> är inte ett giltigt värde."),
        (r"^(?P<l>\w+) (?P<p>'.*') does not exist\.$", r"\g<p> finns inte."),
        (r"^(?P<l>\w+) (?P<p>'.*') is a file\.$", r"\g<p> är en fil, inte en katalog."),
        (r"^(?P<l>\w+) (?P<p>'.*') is a directory\.$", r"\g<p> är en katalog, inte en fil."),
        (r"^(?P<l>\w+) (?P<p>'.*') is not readable\.$", r"\g<p> går inte att läsa."),
        (r"^(?P<l>\w+) (?P<p>'.*') is not writable\.$", r"\g<p> går inte att skriva till."),
        (r"^Value must be an iterable\.$", "Värdet måste vara en lista."),
    )
)


def _translate(text: str) -> str:
    text = text.removeprefix("Value error, ")  # how a failed type check is prefixed
    for pattern, swedish in _PATTERNS:
        if pattern.match(text):
            return pattern.sub(swedish, text)
    return text


def _hint(error: click_errors.BadParameter) -> str | None:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)
    if error.param is not None:
        return error.param.get_error_hint()
    return None


def message(error: click_errors.ClickException) -> str:
    """Return what the user got wrong, in Swedish."""
    if isinstance(error, click_errors.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
        hint = _hint(error)
        named = f"{_KINDS.get(kind, 'Parametern')} {hint}" if hint else _KINDS.get(kind, "Värdet")
        return f"{named} saknas."
    if isinstance(error, click_errors.NoSuchOption):
        text = f"Flaggan {error.option_name} finns inte."
        if error.possibilities:
            text += f" Menade du {', '.join(sorted(error.possibilities))}?"
        return text
    if isinstance(error, click_errors.BadParameter):
        hint = _hint(error)
        detail = _translate(error.message)
        return f"Ogiltigt värde för {hint}: {detail}" if hint else f"Ogiltigt värde: {detail}"
    if isinstance(error, click_errors.FileError):
        return f"Filen {error.ui_filename!r} kunde inte öppnas: {_translate(error.message)}"
    return _translate(error.format_message())


def _format_error(self: click_errors.ClickException) -> None:
    """Print a usage error as Typer does, in Swedish (replaces rich_utils.rich_format_error)."""
    if isinstance(self, click_errors.NoArgsIsHelpError):
        return
    rich = typer.rich_utils
    console = rich._get_rich_console(stderr=True)
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        console.print(rich.highlighter(ctx.get_usage()), style=rich.STYLE_USAGE_COMMAND)
        if ctx.command.get_help_option(ctx) is not None:
            hint = rich.RICH_HELP.format(
                command_path=escape(ctx.command_path), help_option=ctx.help_option_names[0]
            )
            console.print(hint, style=rich.STYLE_ERRORS_SUGGESTION)
    console.print(
        Panel(
            rich.highlighter(message(self)),
            border_style=rich.STYLE_ERRORS_PANEL_BORDER,
            title=rich.ERRORS_PANEL_TITLE,
            title_align=rich.ALIGN_ERRORS_PANEL,
        )
    )


def _swedish_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: HelpFormatter, prog: str, args: str = "", prefix: Any = None) -> None:
        original(self, prog, args, USAGE if prefix is None else prefix)

    write_usage.swedish = True  # type: ignore[attr-defined]
    return write_usage


def _swedish_help(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Command, ctx: Context) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = CATALOGUE["Show this message and exit."]
        return option

    get_help_option.swedish = True  # type: ignore[attr-defined]
    return get_help_option


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def install() -> None:
    """Make Typer print its own words in Swedish (idempotent)."""
    typer.core._ = _gettext  # type: ignore[attr-defined]
    rich = typer.rich_utils
    rich._ = _gettext  # type: ignore[attr-defined]
    rich.DEPRECATED_STRING = _gettext("(deprecated) ")
    rich.DEFAULT_STRING = _gettext("[default: {}]")
    rich.ENVVAR_STRING = _gettext("[env var: {}]")
    rich.REQUIRED_LONG_STRING = _gettext("[required]")
    rich.ARGUMENTS_PANEL_TITLE = _gettext("Arguments")
    rich.OPTIONS_PANEL_TITLE = _gettext("Options")
    rich.COMMANDS_PANEL_TITLE = _gettext("Commands")
    rich.ERRORS_PANEL_TITLE = _gettext("Error")
    rich.ABORTED_TEXT = _gettext("Aborted.")
    rich.RICH_HELP = _gettext("Try [blue]'{command_path} {help_option}'[/] for help.")
    rich.rich_format_error = _format_error
    if not getattr(HelpFormatter.write_usage, "swedish", False):
        HelpFormatter.write_usage = _swedish_usage(HelpFormatter.write_usage)  # type: ignore[method-assign]
    if not getattr(Command.get_help_option, "swedish", False):
        Command.get_help_option = _swedish_help(Command.get_help_option)  # type: ignore[method-assign]
