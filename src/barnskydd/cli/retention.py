"""barnskydd retention ...: the retention plan, the weeding run and its log (docs/retention.md)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from barnskydd.cli._common import UserOption, actor, command_session, parse_date
from barnskydd.retention import service

app = typer.Typer(help="Gallring: plan, verkställande och gallringslogg.", no_args_is_help=True)

AsOf = Annotated[
    str,
    typer.Option("--as-of", metavar="ÅÅÅÅ-MM-DD", help="Dagen som gallringen avser."),
]


def _print(drawn: service.Plan) -> None:
    typer.echo(f"Gallringsplan per {drawn.as_of.isoformat()} (kommun {drawn.municipality_code})")
    if not drawn.lines:
        typer.echo("  Inget att gallra.")
    for line in drawn.lines:
        typer.echo(f"  {line.document_class:<18}  {line.count:>7}  {line.rule}: {line.reference}")
    typer.echo(
        f"  Totalt {drawn.total} poster; {len(drawn.child_ids)} personers akter i sin helhet."
    )


@app.command("plan")
def plan_command(
    as_of: AsOf,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut ett JSON-objekt.")] = False,
    username: str = UserOption,
) -> None:
    """Visa vad som ska gallras per ett datum, per dokumentklass och antal (inga personer)."""
    day = parse_date(as_of, "--as-of")
    with command_session() as session:
        drawn = service.plan(session, actor=actor(session, username), as_of=day)
    if as_json:
        typer.echo(json.dumps(drawn.to_dict(), ensure_ascii=False))
    else:
        _print(drawn)


@app.command("run")
def run_command(
    as_of: AsOf,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut ett JSON-objekt.")] = False,
    username: str = UserOption,
) -> None:
    """Gallra exakt det som planen per datumet listar, i en transaktion, och logga det."""
    day = parse_date(as_of, "--as-of")
    with command_session() as session:
        number, drawn = service.run(session, actor=actor(session, username), as_of=day)
    if as_json:
        typer.echo(json.dumps({"run": number, **drawn.to_dict()}, ensure_ascii=False))
        return
    _print(drawn)
    typer.echo(f"Gallring nr {number} verkställd och loggad.")


@app.command("log")
def log_command(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut JSON-rader.")] = False,
    username: str = UserOption,
) -> None:
    """Visa gallringsloggen: körning, datum, dokumentklass, regel och antal."""
    with command_session() as session:
        rows = [
            {
                "run": row.run,
                "as_of": row.as_of.isoformat(),
                "performed_at": row.performed_at.isoformat(timespec="seconds"),
                "class": row.document_class,
                "rule": row.rule,
                "reference": row.reference,
                "count": row.count,
            }
            for row in service.log(session, actor=actor(session, username))
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo("Gallringsloggen är tom.")
    for r in rows:
        typer.echo(f"{r['run']:>4}  {r['as_of']}  {r['class']:<18}  {r['count']:>7}  {r['rule']}")
