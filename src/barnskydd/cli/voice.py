"""barnskydd voice ...: the child's voice, counted without exposing any child."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import command_session, whole_number_between
from barnskydd.stats.suppression import DEFAULT_THRESHOLD

app = typer.Typer(help="Barnets röst vid uppföljning.", no_args_is_help=True)
MAX_THRESHOLD = 100


@app.callback()
def _group() -> None:
    """Keep `voice` a command group even while it has one command."""


@app.command()
def report(
    year: Annotated[
        int,
        typer.Option(help="Året (ÅÅÅÅ).", callback=whole_number_between("--year", 1900, 2999)),
    ],
    out: Annotated[Path, typer.Option(help="Ny eller tom katalog för tabellerna.")],
    threshold: Annotated[
        int,
        typer.Option(
            help=f"Undertryck antal under detta (1-{MAX_THRESHOLD}).",
            callback=whole_number_between("--threshold", 1, MAX_THRESHOLD),
        ),
    ] = DEFAULT_THRESHOLD,
) -> None:
    """Skriv tabeller per enhet och för kommunen (CSV), små antal undertryckta.

    Deltagande (erbjudna, svarade, avböjda, inte erbjudna och skälen) och per tema andelen
    vid de två mest positiva svaren. Antal under tröskeln undertrycks, och fler celler så att
    inget undertryckt antal kan räknas fram ur summorna. Aldrig en tabell per handläggare.
    """
    from barnskydd.voice import report as voice_report

    with command_session() as session:
        written = voice_report.write(session, year, out, threshold=threshold)
    for name in written.files:
        typer.echo(str(out / name))
    typer.echo(f"Undertryckta celler: {written.suppressed} av {written.cells}.")
