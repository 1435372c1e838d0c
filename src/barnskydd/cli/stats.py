"""barnskydd stats ...: the national release from municipalities' extracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import (
    UserOption,
    actor,
    command_session,
    fail,
    number_between,
    print_json,
    whole_number_between,
)
from barnskydd.core.errors import DomainError
from barnskydd.stats import dp
from barnskydd.stats.suppression import DEFAULT_THRESHOLD

MAX_THRESHOLD = 100
app = typer.Typer(help="Nationell statistik från kommunernas uttag.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Keep `stats` a command group even while it has one command."""


@app.command()
def release(
    extracts: Annotated[
        Path, typer.Option(help="Directory of extract files (*.parquet).", file_okay=False)
    ],
    out: Annotated[Path, typer.Option(help="New or empty directory for the release.")],
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    protection: Annotated[str, typer.Option(help="suppression or dp.")] = "suppression",
    threshold: Annotated[
        int,
        typer.Option(
            help=f"Suppress counts below this (1-{MAX_THRESHOLD}).",
            callback=whole_number_between("--threshold", 1, MAX_THRESHOLD),
        ),
    ] = DEFAULT_THRESHOLD,
    epsilon: Annotated[
        float,
        typer.Option(
            help=f"Total privacy budget (dp), above 0 and at most {dp.MAX_EPSILON:g}.",
            callback=number_between("--epsilon", 0, dp.MAX_EPSILON, above_low=True),
        ),
    ] = dp.DEFAULT_EPSILON,
) -> None:
    """Publicera nationella tabeller, release.json, en arbetsbok, diagram och report.html."""
    from barnskydd.stats import release as publishing

    try:
        publishing.check_out(out)
        result = publishing.compute(
            extracts,
            engine=engine,
            protection=protection,
            threshold=threshold,
            dp_parameters=dp.Parameters(epsilon=epsilon),
        )
        publishing.publish(result, out)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(f"Published {len(result.years)} year(s) to {out}; read {out / 'report.html'} first.")


@app.command("kommun")
def municipality(
    from_month: Annotated[str, typer.Option("--from", help="Första månaden, ÅÅÅÅ-MM.")],
    to_month: Annotated[str, typer.Option("--to", help="Sista månaden, ÅÅÅÅ-MM (tas med).")],
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Enhetens id eller namn (standard: hela kommunen)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Kommunens egna siffror för en period, skyddade som den nationella statistiken.

    Samma tal som sidan /statistik/kommun. Antal under 5, och antal som skulle avslöja dem,
    visas inte (null i JSON).
    """
    from barnskydd.core.clock import today
    from barnskydd.core.settings import get_settings
    from barnskydd.stats import municipal

    try:
        chosen = municipal.period(from_month, to_month)
    except DomainError as error:
        fail(f"{error.message} (--{error.field})")
    with command_session() as session:
        who = actor(session, as_user)
        result = municipal.numbers(
            session,
            actor=who,
            period=chosen,
            unit_id=municipal.unit_id(session, unit) if unit else None,
            today=today(),
            release_dir=get_settings().national_release_dir,
        )
    if as_json:
        print_json(result.to_json())
        return
    for line in municipal.summary_lines(result):
        typer.echo(line)
