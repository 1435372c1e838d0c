"""barnskydd audit ...: verify the hash-chained audit trail."""

from __future__ import annotations

import typer

from barnskydd.audit import service as audit
from barnskydd.cli._common import command_session

app = typer.Typer(help="Revisionsloggen.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Check the whole chain; exit 1 naming the first broken entry."""
    with command_session() as session:
        broken = audit.verify(session)
        count = audit.count(session)
    if broken is not None:
        typer.echo(
            f"fel: revisionsloggen är bruten vid post {broken.seq}: {broken.reason}", err=True
        )
        raise typer.Exit(1)
    typer.echo(f"Revisionsloggen är hel: {count} poster kontrollerade.")
