"""barnskydd drafts ...: expire autosaved drafts (run it daily, e.g. from cron)."""

from __future__ import annotations

import typer

from barnskydd.cli._common import command_session
from barnskydd.drafts import service as drafts

app = typer.Typer(help="Utkast som sparats automatiskt i formulären.", no_args_is_help=True)


@app.command()
def purge() -> None:
    """Radera varje utkast som inte sparats de senaste 30 dagarna."""
    with command_session() as session:
        count = drafts.purge(session)
    typer.echo(f"{count} utkast äldre än {drafts.DRAFT_DAYS} dagar raderade.")
