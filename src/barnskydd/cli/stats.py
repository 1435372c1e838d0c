"""barnskydd stats ...: the national release from municipalities' extracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import number_between, whole_number_between
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
