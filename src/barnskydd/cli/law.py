"""barnskydd law ...: the deadlines of a report and the rule sets they come from."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from barnskydd.cli._common import fail, parse_date
from barnskydd.core.errors import DomainError
from barnskydd.law import retention
from barnskydd.law.rules import (
    ALL_RULE_NAMES,
    Deadline,
    Rule,
    deadlines,
    later_deadline,
    load_rule_sets,
)

app = typer.Typer(help="Lagregler och tidsfrister.", no_args_is_help=True)

_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_LABELS = {
    "protection_assessment": "Skyddsbedömning",
    "preliminary_assessment": "Förhandsbedömning",
    "investigation": "Utredning",
    "feedback": "Återkoppling",
    "emergency_home": "Jourhem",
    "unexecuted_decision": "Ej verkställt",
    "youth_service": "Ungdomstjänst",
    "placement_review": "Övervägande",
    "lvu_review": "LVU-övervägande",
    "care_plan_revision": "Vårdplan",
    "follow_up": "Uppföljning",
}
# What each period counts from, in the words `law rules` prints.
EVENT_LABELS = {
    "received": "anmälan kom in",
    "investigation_start": "utredningen inleddes",
    "preliminary_decision": "beslutet efter förhandsbedömning",
    "investigation_completed": "utredningen slutfördes",
    "intervention_decision": "beslutet om insats",
    "judgment_final": "domen vann laga kraft",
    "placement_start": "placeringen började",
    "care_start": "vården började",
    "investigation_or_placement_end": "utredningen eller placeringen avslutades",
}
# Domain errors name the field; the user typed the option.
_OPTIONS = {"received": "--received", "investigation_start": "--investigation-start"}


def _iso_date(value: str) -> date:
    """Parse a date written ÅÅÅÅ-MM-DD, with a message that says what was wrong."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"'{value}' är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2025-07-01."
        raise typer.BadParameter(msg) from None


def _row(label: str, deadline: Deadline) -> str:
    weekday = _WEEKDAYS[deadline.due.weekday()]
    return f"{label:<18}  {deadline.due.isoformat()}  {weekday:<8}  {deadline.reference}"


@app.command("deadlines")
def deadlines_command(
    received: Annotated[
        date,
        typer.Option(
            "--received",
            parser=_iso_date,
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen då anmälan kom in.",
        ),
    ],
    investigation_start: Annotated[
        date | None,
        typer.Option(
            "--investigation-start",
            parser=_iso_date,
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen då utredningen inleddes.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv ut ett JSON-objekt i stället för en tabell.")
    ] = False,
) -> None:
    """Visa tidsfristerna för en anmälan enligt den lag som gällde när den kom in."""
    try:
        result = deadlines(received, investigation_start)
    except DomainError as exc:
        hint = _OPTIONS.get(exc.field or "")
        raise typer.BadParameter(exc.message, param_hint=hint) from exc
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    typer.echo(f"Anmälan mottagen {received.isoformat()}: {result.law}")
    typer.echo(f"{'Frist':<18}  {'Sista dag':<10}  {'Veckodag':<8}  Lagrum")
    typer.echo(_row(_LABELS["protection_assessment"], result.protection_assessment))
    typer.echo(_row(_LABELS["preliminary_assessment"], result.preliminary_assessment))
    if result.investigation is not None:
        typer.echo(_row(_LABELS["investigation"], result.investigation))


@app.command("rulesets")
def rulesets_command() -> None:
    """Lista regeluppsättningarna, när de gäller och vilka lagrum fristerna bygger på."""
    for rule_set in load_rule_sets():
        until = rule_set.effective_to.isoformat() if rule_set.effective_to else "tills vidare"
        typer.echo(
            f"{rule_set.name} ({rule_set.id}): anmälningar mottagna "
            f"{rule_set.effective_from.isoformat()} – {until}"
        )
        for rule in rule_set.all_rules:
            status = "" if rule.confirmed else " (lagrummet ej bekräftat)"
            length = _length(rule)
            typer.echo(f"  {_LABELS[rule.name]:<18}  {length:<8}  {rule.reference}{status}")


# -- retention (gallring): docs/retention.md -------------------------------------------------

_CLASS_OPTIONS = {"class": "--class", "last_entry": "--last-entry", "code": "--municipality"}


@app.command("weed-after")
def weed_after_command(
    document_class: Annotated[
        str,
        typer.Option(
            "--class",
            metavar="KLASS",
            help=f"Dokumentklass: {', '.join(retention.CLASSES)}.",
        ),
    ],
    last_entry: Annotated[
        str,
        typer.Option(
            "--last-entry", metavar="ÅÅÅÅ-MM-DD", help="Dagen för sista anteckningen i akten."
        ),
    ],
    birth_date: Annotated[
        str, typer.Option("--birth-date", metavar="ÅÅÅÅ-MM-DD", help="Personens födelsedag.")
    ],
    municipality: Annotated[
        str, typer.Option("--municipality", metavar="KOMMUNKOD", help="Kommunkod, fyra siffror.")
    ],
    closed_on: Annotated[
        str | None,
        typer.Option(
            "--closed-on",
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen då ärendet avslutades (för en utredning; utan: ärendet pågår).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv ut ett JSON-objekt i stället för text.")
    ] = False,
) -> None:
    """Visa när en handling ska gallras: tidigast, senast och vilket lagrum som avgör."""
    last = parse_date(last_entry, "--last-entry")
    birth = parse_date(birth_date, "--birth-date")
    closed = parse_date(closed_on, "--closed-on") if closed_on is not None else None
    try:
        verdict = retention.weed_after(
            document_class,
            last_entry=last,
            birth_date=birth,
            municipality_code=municipality,
            closed_on=closed,
        )
    except DomainError as exc:
        option = _CLASS_OPTIONS.get(exc.field or "", "")
        fail(f"{option}: {exc.message}" if option else exc.message)
    if as_json:
        typer.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))
        return
    if verdict.never:
        typer.echo(f"Gallras aldrig ({verdict.rule}): {verdict.reference}")
        return
    assert verdict.weed_from is not None
    assert verdict.weed_by is not None
    typer.echo(
        f"Gallras tidigast {verdict.weed_from.isoformat()} och senast "
        f"{verdict.weed_by.isoformat()} ({verdict.rule}): {verdict.reference}"
    )


@app.command("retention")
def retention_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv ut ett JSON-objekt i stället för en tabell.")
    ] = False,
) -> None:
    """Lista gallringsreglerna per dokumentklass med lagrum."""
    rules = retention.load()
    if as_json:
        classes = {
            name: {
                "label": rule.label,
                "rule": rule.rule,
                "reference": rule.reference,
                "confirmed": rule.confirmed,
            }
            for name, rule in rules.classes.items()
        }
        research = {"rule": rules.research.rule, "reference": rules.research.reference}
        out = {"rule_set": rules.id, "classes": classes, "research": research}
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    typer.echo(f"{rules.name} ({rules.id}), från {rules.effective_from.isoformat()}")
    for name in retention.CLASSES:
        rule = rules.classes[name]
        status = "" if rule.confirmed else " (lagrummet ej bekräftat)"
        typer.echo(f"  {name:<18}  {rule.rule:<28}  {rule.reference}{status}")
    typer.echo(
        f"  {'(forskningsurval)':<18}  {rules.research.rule:<28}  {rules.research.reference}"
    )
    typer.echo(f"  Gallringen ska vara avslutad senast: {rules.weed_by_reference}")


def _length(rule: Rule) -> str:
    period = []
    if rule.months:
        period.append(f"{rule.months} mån.")
    if rule.weeks:
        period.append(f"{rule.weeks} v.")
    if rule.days:
        period.append(f"{rule.days} dagar")
    return " + ".join(period) or "genast"


def _rule_name(value: str) -> str:
    if value not in ALL_RULE_NAMES:
        msg = f"Regeln '{value}' finns inte. Kända regler: {', '.join(ALL_RULE_NAMES)}."
        raise typer.BadParameter(msg)
    return value


@app.command("deadline")
def deadline_command(
    rule: Annotated[
        str,
        typer.Argument(
            parser=_rule_name,
            metavar="REGEL",
            help=f"Fristens namn: {', '.join(ALL_RULE_NAMES)}.",
            show_default=False,
        ),
    ],
    event: Annotated[
        date,
        typer.Option(
            "--from",
            parser=_iso_date,
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen som fristen räknas från (beslutet, placeringens början, domens "
            "laga kraft ...); lagen som gällde den dagen avgör.",
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv ut ett JSON-objekt i stället för en rad.")
    ] = False,
) -> None:
    """Visa sista dagen för en frist räknad från en händelse, med lagrummet."""
    try:
        result = later_deadline(rule, event)
    except DomainError as exc:
        raise typer.BadParameter(exc.message, param_hint="--from") from exc
    if as_json:
        typer.echo(json.dumps({"rule": rule, **result.to_dict()}, ensure_ascii=False))
        return
    typer.echo(_row(_LABELS[rule], result))


@app.command("rules")
def rules_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv ut en JSON-lista i stället för en tabell.")
    ] = False,
) -> None:
    """Lista varje frist i regeluppsättningarna: period, händelse den räknas från, lagrum."""
    rows = [
        {
            "rule": rule.name,
            "law": rule_set.name,
            "rule_set": rule_set.id,
            "period": rule.period(),
            "event": rule.counted_from,
            "reference": rule.reference,
            "confirmed": rule.confirmed,
            "moves_to_working_day": rule.moves_to_working_day,
            "in_force_from": rule.in_force_from.isoformat() if rule.in_force_from else None,
        }
        for rule_set in load_rule_sets()
        for rule in rule_set.all_rules
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for rule_set in load_rule_sets():
        typer.echo(f"{rule_set.name} ({rule_set.id})")
        for rule in rule_set.all_rules:
            status = "" if rule.confirmed else " (ej bekräftat)"
            since = f", från {rule.in_force_from.isoformat()}" if rule.in_force_from else ""
            typer.echo(
                f"  {rule.name:<22}  {_length(rule):<8}  från {EVENT_LABELS[rule.counted_from]}"
                f"{since}: {rule.reference}{status}"
            )
