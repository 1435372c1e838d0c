"""barnskydd stats extract / keygen: the municipality's side of national statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import UserOption, actor, command_session, fail
from barnskydd.core.errors import InvalidInput
from barnskydd.core.settings import Mode, get_settings
from barnskydd.stats import extract as extracts


def extract(
    out: Annotated[Path, typer.Option(help="Parquet-fil att skriva.")],
    from_month: Annotated[
        str | None, typer.Option("--from", help="Första månad (ÅÅÅÅ-MM).")
    ] = None,
    to_month: Annotated[str | None, typer.Option("--to", help="Sista månad (ÅÅÅÅ-MM).")] = None,
    as_user: str = UserOption,
) -> None:
    """Skriv det pseudonymiserade uttaget på månadsnivå av varje anmälan (schema v2).

    Bredvid filen skrivs barnets-röst-tabellen NAMN.voice.parquet (anonyma svar per tema).
    """
    settings = get_settings()
    try:
        key = extracts.load_or_create_key(
            settings.statistics_key_file, create=settings.mode is Mode.DEMO
        )
    except InvalidInput as error:
        fail(error.message)
    with command_session() as session:
        result = extracts.create(
            session,
            actor=actor(session, as_user),
            out=out,
            key=key,
            from_month=from_month,
            to_month=to_month,
        )
    typer.echo(f"Skrev {result.rows} anmälningar till {result.path}.")
    typer.echo(f"Skrev {result.voice_rows} svar om barnets röst till {result.voice_path}.")


def keygen() -> None:
    """Skapa den lokala statistiknyckelfilen (skriver aldrig över en befintlig)."""
    path = get_settings().statistics_key_file
    if path.exists():
        fail(f"{path} finns redan; nyckeln skrivs aldrig över.")
    extracts.load_or_create_key(path, create=True)
    typer.echo(f"Skapade statistiknyckeln {path} (läsbar bara för dig).")
