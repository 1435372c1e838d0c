"""barnskydd register ...: the yearly register of interventions for Socialstyrelsen."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import UserOption, actor, command_session, fail
from barnskydd.stats import register

app = typer.Typer(help="Register till Socialstyrelsen.", no_args_is_help=True)


@app.command("insatser")
def insatser(
    year: Annotated[str, typer.Option("--year", metavar="ÅÅÅÅ", help="Året som registret avser.")],
    out: Annotated[Path, typer.Option("--out", metavar="FIL", help="Filen som skrivs.")],
    username: str = UserOption,
) -> None:
    """Skriv årets register över insatser för barn och unga (placeringar enligt SoL, LVU)."""
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        fail(f"--year: '{year}' är inget årtal; ange fyra siffror, t.ex. 2026.")
    if out.exists() and out.is_dir():
        fail(f"--out: {out} är en katalog; ange en fil.")
    with command_session() as session:
        result = register.write(session, actor=actor(session, username), year=int(year), out=out)
    typer.echo(
        f"Skrev {result.rows} insatser för {result.children} barn "
        f"({result.temporary_ids} med tillfälligt id) till {result.path} "
        f"(format {register.FORMAT})."
    )
