"""barnskydd db ...: migrate and check the database schema."""

from __future__ import annotations

from typing import Annotated

import typer

from barnskydd.cli._common import fail
from barnskydd.core import migrate
from barnskydd.core.errors import DomainError
from barnskydd.core.settings import get_settings
from barnskydd.staff import deployment

app = typer.Typer(help="Databasens schema (Alembic).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Målrevision.")) -> None:
    """Migrera den konfigurerade databasen till angiven version."""
    try:
        migrate.upgrade(get_settings().database_url, revision)
    except DomainError as error:
        fail(f"REVISION: {error.message}")
    typer.echo(f"Databasen är uppgraderad till {revision}.")


@app.command()
def check() -> None:
    """Misslyckas när modellerna och migreringarna inte stämmer överens."""
    try:
        migrate.check(get_settings().database_url)
    except Exception as error:
        typer.echo(f"fel: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo("Modellerna och migreringarna stämmer överens.")


@app.command("set-municipality")
def set_municipality(
    code: Annotated[str, typer.Argument(help="Kommunkoden (fyra siffror) databasen tjänar.")],
) -> None:
    """Registrera vilken kommun databasen tjänar, en gång (en registrerad kommun ändras aldrig)."""
    from barnskydd.audit import service as audit
    from barnskydd.core.actor import SYSTEM
    from barnskydd.core.db import make_engine, session_factory, transaction

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(session_factory(engine)) as session:
            found = deployment.set_municipality(session, code)
            if settings.municipality_code not in (None, found.code):
                raise deployment.mismatch(found.code, settings.municipality_code)
            audit.record(
                session,
                actor=SYSTEM,
                action="set_municipality",
                entity="deployment",
                purpose=f"databasen tjänar {found.code}",
            )
    except DomainError as error:
        fail(error.message)
    finally:
        engine.dispose()
    typer.echo(f"Databasen tjänar {found.name} ({found.code}).")
