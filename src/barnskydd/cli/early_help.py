"""barnskydd early-help ...: the nämnd's catalogue of early help (11 kap. 5 § SoL)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from barnskydd.cli._common import UserOption, actor, command_session, fail
from barnskydd.early_help import service as early_help
from barnskydd.early_help.codes import EXCLUDED, KIND_LABELS, EarlyHelpKind

app = typer.Typer(
    help="Tidigt stöd: nämndens katalog över insatser utan individuell behovsprövning.",
    no_args_is_help=True,
)


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' är inget datum (ÅÅÅÅ-MM-DD).")


_KINDS = ", ".join(k.value for k in EarlyHelpKind)


@app.command("add")
def add(
    code: Annotated[str, typer.Option(help="Kort kod, t.ex. samtalsstod.")],
    name: Annotated[str, typer.Option(help="Insatsens namn.")],
    kind: Annotated[str, typer.Option(help=f"Sort: {_KINDS}.")],
    decided_by: Annotated[str, typer.Option(help="Vem som beslutade, t.ex. Socialnämnden.")],
    decided_on: Annotated[str, typer.Option(help="Beslutsdag (ÅÅÅÅ-MM-DD).")],
    decision_ref: Annotated[str, typer.Option(help="Beslutets diarienummer.")],
    valid_from: Annotated[
        str | None, typer.Option(help="Gäller från (ÅÅÅÅ-MM-DD; annars beslutsdagen).")
    ] = None,
    valid_to: Annotated[str | None, typer.Option(help="Gäller till (ÅÅÅÅ-MM-DD).")] = None,
    target_group: Annotated[str, typer.Option(help="Målgrupp.")] = "",
    provider: Annotated[str, typer.Option(help="Utförare (egen enhet eller avtal).")] = "",
    min_age: Annotated[int | None, typer.Option(help="Lägsta ålder.")] = None,
    max_age: Annotated[int | None, typer.Option(help="Högsta ålder.")] = None,
    as_user: str = UserOption,
) -> None:
    """För in en insats som nämnden beslutat att erbjuda utan behovsprövning."""
    decided = _day(decided_on, "--decided-on")
    assert decided is not None
    with command_session() as session:
        service = early_help.add_service(
            session,
            actor=actor(session, as_user),
            new=early_help.NewService(
                code=code,
                name=name,
                kind=kind,
                decided_by=decided_by,
                decided_on=decided,
                decision_ref=decision_ref,
                valid_from=_day(valid_from, "--valid-from"),
                valid_to=_day(valid_to, "--valid-to"),
                target_group=target_group,
                provider=provider,
                min_age=min_age,
                max_age=max_age,
            ),
        )
        typer.echo(f"Lade till {service.name} ({service.code}), beslut {service.decision_ref}.")


@app.command("list")
def list_services(
    on: Annotated[str | None, typer.Option(help="Bara de som gäller en dag (ÅÅÅÅ-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv JSON.")] = False,
) -> None:
    """Visa nämndens katalog över tidigt stöd med besluten bakom."""
    with command_session() as session:
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind.value,
                "target_group": s.target_group,
                "provider": s.provider,
                "min_age": s.min_age,
                "max_age": s.max_age,
                "decided_by": s.decided_by,
                "decided_on": s.decided_on.isoformat(),
                "decision_ref": s.decision_ref,
                "valid_from": s.valid_from.isoformat(),
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            }
            for s in early_help.services(session, on=_day(on, "--on"))
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        label = KIND_LABELS[EarlyHelpKind(str(row["kind"]))]
        typer.echo(
            f"{row['code']}: {row['name']} ({label}); {row['decided_by']} "
            f"{row['decided_on']}, {row['decision_ref']}"
        )


@app.command("excluded")
def excluded() -> None:
    """Visa de insatser som lagen aldrig låter ges utan behovsprövning (11 kap. 5 §)."""
    for code, entry in EXCLUDED.items():
        typer.echo(f"{code}: {entry.label} ({entry.reference})")
