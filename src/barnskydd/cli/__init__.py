"""The barnskydd command: one Typer group per area, one short module per group."""

from __future__ import annotations

import typer

from barnskydd.cli import audit, case, db, law, report

app = typer.Typer(
    name="barnskydd",
    help="Barnskydd: the case chain, the law's deadlines, audit and statistics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(law.app, name="law")
app.add_typer(audit.app, name="audit")
app.add_typer(report.app, name="report")
app.add_typer(case.app, name="case")


def main() -> None:
    """Run the command line."""
    app()
