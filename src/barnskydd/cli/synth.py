"""barnskydd synth ...: fill the configured database with a synthetic municipality."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from barnskydd.cli._common import SEED_CHECK, command_session, number_between, parse_date
from barnskydd.core.clock import today
from barnskydd.synth.generator import GenerationReport, generate

app = typer.Typer(help="Syntetiska testdata (aldrig riktiga personer).", no_args_is_help=True)

YEAR = dt.timedelta(days=365)
MAX_SCALE = 10.0  # ten times the municipality: far more than any bench needs


@app.callback()
def _group() -> None:
    """Generate synthetic data through the service layer."""


def describe(report: GenerationReport) -> list[str]:
    """Return Swedish lines that count what a generation created (no personal data)."""
    opened = report.preliminary.get("investigation_opened", 0)
    share = opened / report.reports * 100 if report.reports else 0.0
    return [
        f"Kommun: {report.municipality_name} ({report.municipality_code}), "
        f"{report.start} – {report.end}, frö {report.seed}, skala {report.scale:g}",
        f"Barn 0–17 år: {report.children_0_17:_} ({report.children_0_17_label})".replace("_", " "),
        f"Enheter: {report.units}, personal: {report.staff}",
        f"Anmälningar: {report.reports} om {report.children} barn; "
        f"utredning inleds i {opened} ({share:.0f} %)",
        f"Utredningar avslutade: {sum(report.investigations.values())}, "
        f"förlängda: {report.extensions}; insatser: {sum(report.interventions.values())}; "
        f"uppföljningar: {report.follow_ups}",
        f"Steg genom tjänstelagret: {report.steps}; dokument: {report.documents}",
    ]


@app.command("generate")
def generate_command(
    municipality: Annotated[str, typer.Option(help="Kommunkod, t.ex. 0483.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="Första mottagningsdag (ÅÅÅÅ-MM-DD).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Läget per denna dag (ÅÅÅÅ-MM-DD), högst i dag.")
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Slumpfrö; samma frö ger samma data.", callback=SEED_CHECK)
    ] = 1,
    scale: Annotated[
        float,
        typer.Option(
            help=f"Andel av kommunens storlek (0,001-{MAX_SCALE:g}).",
            callback=number_between("--scale", 0.001, MAX_SCALE),
        ),
    ] = 1.0,
) -> None:
    """Skapa anmälningar, barn, personal och steg i kedjan i en transaktion."""
    end = parse_date(to, "--to") if to else today()
    start = parse_date(from_, "--from") if from_ else end - YEAR
    with command_session() as session:
        report = generate(
            session, municipality_code=municipality, start=start, end=end, seed=seed, scale=scale
        )
    for line in describe(report):
        typer.echo(line)
