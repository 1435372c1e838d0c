"""barnskydd deviations ...: the automatic scan of missed deadlines, reports, the 34 kap. list.

The scan creates one deviation "att bedöma" per case and missed legal deadline without a
recorded extension, and nothing else: no report leaves the municipality by itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from barnskydd.cli._common import (
    UserOption,
    actor,
    command_session,
    fail,
    parse_date,
    parse_datetime,
    print_json,
    validation_message,
)
from barnskydd.core.clock import today
from barnskydd.deviations import quarterly, service
from barnskydd.deviations import scan as scanning
from barnskydd.deviations.codes import (
    KIND_LABELS,
    STATUS_LABELS,
    DeviationKind,
    DeviationStatus,
    Factor,
)
from barnskydd.deviations.schemas import DeviationCreate

app = typer.Typer(help="Avvikelser, lex Sarah och automatiska avvikelser.", no_args_is_help=True)
OPTIONS = {
    "what_happened": "--what",
    "occurred_on": "--occurred-on",
    "unit_id": "--unit-id",
    "case_number": "--case",
    "immediate_measures": "--measures",
    "immediate_measures_at": "--measures-at",
    "factors": "--factor",
}


@app.command("scan")
def scan_command(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="ÅÅÅÅ-MM-DD", help="Dagen genomgången gäller (i dag)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON.")] = False,
) -> None:
    """Skapa en automatisk avvikelse per missad lagstadgad tidsfrist (kan köras om)."""
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    with command_session() as session:
        result = scanning.scan(session, as_of=day)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict()) + "\n")
        return
    typer.echo(
        f"Skapade {result.created} automatiska avvikelser; {result.open_auto} är inte avslutade."
    )


@app.command("report")
def report_command(
    what: Annotated[str, typer.Option("--what", help="Vad hände?")],
    occurred_on: Annotated[str, typer.Option("--occurred-on", help="När (ÅÅÅÅ-MM-DD).")],
    unit_id: Annotated[int, typer.Option("--unit-id", help="Enhetens id.")],
    kind: Annotated[
        DeviationKind, typer.Option("--kind", help="deviation eller lex_sarah_report.")
    ] = DeviationKind.DEVIATION,
    case: Annotated[str | None, typer.Option("--case", help="Ärendenummer (valfritt).")] = None,
    measures: Annotated[
        str | None, typer.Option("--measures", help="Åtgärder som vidtogs genast.")
    ] = None,
    measures_at: Annotated[
        str | None, typer.Option("--measures-at", help="När åtgärderna vidtogs.")
    ] = None,
    factor: Annotated[
        list[Factor] | None, typer.Option("--factor", help="Bidragande faktor (flera går).")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Rapportera en avvikelse; skriv ut dess id."""
    try:
        data = DeviationCreate(
            what_happened=what,
            occurred_on=parse_date(occurred_on, "--occurred-on"),
            unit_id=unit_id,
            kind=kind,
            case_number=case,
            immediate_measures=measures,
            immediate_measures_at=(
                parse_datetime(measures_at, "--measures-at") if measures_at else None
            ),
            factors=factor or [],
        )
    except ValidationError as error:
        fail(validation_message(error, names=OPTIONS))
    with command_session() as session:
        deviation = service.create(session, actor=actor(session, as_user), data=data)
        typer.echo(str(deviation.id))


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv listan som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Lista de avvikelser du ser (inga fritexter, inga personuppgifter)."""
    with command_session() as session:
        rows = [
            {
                "id": d.id,
                "kind": str(d.kind),
                "status": str(d.status),
                "unit_id": d.unit_id,
                "occurred_on": d.occurred_on.isoformat(),
                "rule": d.rule,
            }
            for d in service.get_all(session, actor=actor(session, as_user))
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        kind = KIND_LABELS[DeviationKind(str(row["kind"]))]
        status = STATUS_LABELS[DeviationStatus(str(row["status"]))]
        typer.echo(f"{row['id']:>6}  {row['occurred_on']}  {kind:<30}  {status}")


@app.command("quarterly")
def quarterly_command(
    quarter: Annotated[str, typer.Option("--quarter", help="Kvartalet, t.ex. 2026-Q1.")],
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Skriv rapporten som CSV hit.")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Beslut som inte verkställts inom tre månader (34 kap. SoL); CSV kräver skäl för alla."""
    with command_session() as session:
        who = actor(session, as_user)
        if csv_out is not None:
            rows = quarterly.export_rows(session, actor=who, quarter=quarter)
            csv_out.write_text(quarterly.to_csv(rows), encoding="utf-8")
        else:
            rows = quarterly.get_rows(session, actor=who, quarter=quarter)
    for row in rows:
        executed = row.executed_on.isoformat() if row.executed_on else "ej verkställt"
        typer.echo(
            f"{row.intervention_id:>6}  beslut {row.decided_on}  {row.category:<28}  {executed}"
            f"  {'skäl finns' if row.reason else 'SKÄL SAKNAS'}"
        )
