"""barnskydd db ...: migrate and check the database schema."""

from __future__ import annotations

import typer

from barnskydd.cli._common import fail
from barnskydd.core import migrate
from barnskydd.core.errors import DomainError
from barnskydd.core.settings import get_settings

app = typer.Typer(help="Databasens schema (Alembic).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Målrevision.")) -> None:
    """Migrate the configured database to the given revision."""
    try:
        migrate.upgrade(get_settings().database_url, revision)
    except DomainError as error:
        fail(f"REVISION: {error.message}")
    typer.echo(f"Databasen är uppgraderad till {revision}.")


@app.command()
def check() -> None:
    """Fail when the models and the migrations disagree."""
    try:
        migrate.check(get_settings().database_url)
    except Exception as error:
        typer.echo(f"fel: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo("Modellerna och migreringarna stämmer överens.")
