"""barnskydd import DIR: move a municipality's history in from the exchange format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import EXIT_INVALID, UserOption, actor, command_session, fail
from barnskydd.core.db import make_engine, session_factory
from barnskydd.core.settings import get_settings
from barnskydd.importer import service as importer
from barnskydd.importer.format import FormatError


def import_command(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Katalog i utbytesformatet (manifest.json och en JSON Lines-fil per posttyp, "
            "se docs/import.md).",
            exists=True,
            file_okay=False,
            dir_okay=True,
        ),
    ],
    as_user: str = UserOption,
    batch: Annotated[
        int, typer.Option(help="Anmälningar per transaktion.", min=1, max=10_000)
    ] = importer.BATCH,
    quiet: Annotated[bool, typer.Option("--quiet", help="Visa inte förloppet.")] = False,
) -> None:
    """Importera en kommuns historik: barn, anmälningar, varje steg, insatser, vårdnadshavare.

    Varje anmälan prövas med samma regler som alla andra skrivningar och skrivs med sina steg
    som en enhet; en felaktig rad nämns med fil, rad och fält och hela dess anmälan lämnas
    utanför. En andra körning med samma data lägger inte till något.
    """
    with command_session() as session:  # the deployment check, and who --as is
        who = actor(session, as_user)

    def shown(done: int, total: int) -> None:
        if not quiet:
            typer.echo(f"{done} av {total} anmälningar behandlade", err=True)

    engine = make_engine(get_settings().database_url)
    try:
        summary = importer.run(
            session_factory(engine), directory, actor=who, batch=batch, progress=shown
        )
    except FormatError as error:
        fail(error.message, EXIT_INVALID)
    finally:
        engine.dispose()
    for line in summary.lines():
        typer.echo(line)
    if summary.refused:
        raise typer.Exit(EXIT_INVALID)
