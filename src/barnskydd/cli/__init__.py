"""The barnskydd command: one Typer group per area, one short module per group."""

from __future__ import annotations

from pathlib import Path

import typer

from barnskydd.cli import (
    audit,
    case,
    child,
    communication,
    competence,
    db,
    decision,
    demo,
    demo_national,
    deviations,
    dictation,
    document,
    drafts,
    early_help,
    guardian,
    importer,
    journal,
    law,
    lookup,
    person,
    plan,
    pseudonymiser,
    register,
    report,
    retention,
    staff,
    stats,
    stats_extract,
    synth,
    voice,
    web,
    workload,
)
from barnskydd.cli.swedish import install as speak_swedish
from barnskydd.core.logging import configure as configure_logging
from barnskydd.core.settings import get_settings
from barnskydd.lookup import outbox as lookup_outbox

speak_swedish()  # Typer's own words (usage, errors, help panels) in Swedish

app = typer.Typer(
    name="barnskydd",
    help="Barnskydd: ärendekedjan, lagens tidsfrister, revisionslogg och statistik.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(law.app, name="law")
app.add_typer(audit.app, name="audit")
app.add_typer(drafts.app, name="drafts")
app.add_typer(report.app, name="report")
app.add_typer(case.app, name="case")
app.add_typer(journal.app, name="journal")
app.add_typer(plan.app, name="plan")
app.add_typer(communication.app, name="communication")
app.add_typer(decision.app, name="decision")
app.add_typer(child.app, name="child")
app.add_typer(guardian.app, name="guardian")
app.add_typer(document.app, name="document")
app.add_typer(person.app, name="person")
app.add_typer(stats.app, name="stats")
app.add_typer(staff.app, name="staff")
staff.app.add_typer(competence.staff_app, name="competence")
app.add_typer(competence.app, name="competence")
stats.app.command("extract")(stats_extract.extract)
stats.app.command("keygen")(stats_extract.keygen)
app.command("serve")(web.serve)
app.add_typer(synth.app, name="synth")
app.add_typer(lookup.app, name="lookup")
app.add_typer(deviations.app, name="deviations")
app.add_typer(pseudonymiser.app, name="pseudonymiser")
app.add_typer(retention.app, name="retention")
app.add_typer(register.app, name="register")
app.add_typer(voice.app, name="voice")
app.add_typer(early_help.app, name="early-help")
app.add_typer(workload.app, name="workload")
app.add_typer(dictation.app, name="dictation")
app.command("demo")(demo.demo)
app.command("demo-national")(demo_national.demo_national)
app.command("summary")(demo.summary)
app.command("import")(importer.import_command)


@app.command("docs-cli", hidden=True)
def docs_cli(
    out: Path = typer.Option(Path("docs/cli.md"), help="Where to write the reference."),
) -> None:
    """Write the command-line reference (docs/cli.md)."""
    from barnskydd.cli.reference import render

    out.write_text(render(app), encoding="utf-8")


def main() -> None:
    """Run the command line."""
    configure_logging(get_settings().log_level)
    lookup_outbox.subscribe()  # the national lookup hears of reports and steps
    app()
