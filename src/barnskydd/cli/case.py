"""barnskydd case ...: show a case and take it through the chain's steps."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from barnskydd.audit.purpose import check_purpose
from barnskydd.cases import service as cases
from barnskydd.cases import steps
from barnskydd.cases.codes import (
    BbicSide,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.cases.read import case_read
from barnskydd.cli._common import (
    UserOption,
    actor,
    command_session,
    fail,
    parse_date,
    parse_datetime,
    print_json,
)
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput

app = typer.Typer(help="Ärenden: visa och ta nästa steg i kedjan.", no_args_is_help=True)

CaseNumber = Annotated[str, typer.Argument(help="Ärendenummer, t.ex. BU-2025-000123.")]
On = Annotated[str, typer.Option("--on", help="Datum (ÅÅÅÅ-MM-DD).")]


def _case_id(session: Session, who: Actor, number: str, purpose: str) -> int:
    return cases.get_by_number(session, actor=who, case_number=number, purpose=purpose).id


@app.command()
def show(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför ärendet läses (loggas).")],
    as_user: str = UserOption,
) -> None:
    """Print a case's chain and deadlines as JSON (the read is audited)."""
    try:
        purpose = check_purpose(purpose)
    except InvalidInput as error:
        fail(f"{error.message} (--purpose)")
    with command_session() as session:
        who = actor(session, as_user)
        case = cases.get_by_number(session, actor=who, case_number=case_number, purpose=purpose)
        print_json(case_read(case, today=today()).model_dump(mode="json"))


@app.command("list")
def list_open(
    overdue: Annotated[bool, typer.Option(help="Bara försenade steg.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Högst så många rader.")] = 50,
    as_user: str = UserOption,
) -> None:
    """List open steps with their legal deadlines, the most urgent first."""
    with command_session() as session:
        items = cases.open_items(session, actor=actor(session, as_user), today=today())
    if overdue:
        items = [i for i in items if i.overdue]
    for item in items[:limit]:
        mark = "FÖRSENAD" if item.overdue else f"{item.days_left} dagar kvar"
        typer.echo(f"{item.case_number}  {item.step:<18} senast {item.due}  {mark}")


@app.command()
def protection(
    case_number: CaseNumber,
    at: Annotated[str, typer.Option(help="När bedömningen gjordes (ÅÅÅÅ-MM-DDTTT:MM).")],
    immediate: Annotated[
        bool, typer.Option("--immediate/--no-immediate", help="Behov av omedelbart skydd.")
    ] = False,
    notes: str = "",
    as_user: str = UserOption,
) -> None:
    """Record the protection assessment (skyddsbedömning)."""
    assessed_at = parse_datetime(at, "--at")
    with command_session() as session:
        who = actor(session, as_user)
        steps.assess_protection(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "skyddsbedömning"),
            assessed_at=assessed_at,
            immediate_protection_needed=immediate,
            notes=notes,
        )
    typer.echo(f"{case_number}: skyddsbedömning registrerad.")


@app.command()
def preliminary(
    case_number: CaseNumber,
    on: On,
    outcome: Annotated[PreliminaryOutcome, typer.Option(help="Beslutet.")],
    transfer_to: Annotated[str | None, typer.Option(help="Kommunkod vid överflytt.")] = None,
    linked: Annotated[str | None, typer.Option(help="Pågående ärende att koppla till.")] = None,
    notes: str = "",
    as_user: str = UserOption,
) -> None:
    """Decide after the preliminary assessment (förhandsbedömning)."""
    decided_on = parse_date(on, "--on")
    with command_session() as session:
        who = actor(session, as_user)
        result = steps.decide_preliminary(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "förhandsbedömning"),
            decided_on=decided_on,
            outcome=outcome,
            transferred_to=transfer_to,
            linked_case_number=linked,
            notes=notes,
        )
        on_time = "i tid" if result.on_time else "för sent"
    typer.echo(f"{case_number}: beslut '{outcome}' registrerat ({on_time}).")


@app.command("extend-preliminary")
def extend_preliminary(
    case_number: CaseNumber,
    on: On,
    until: Annotated[str, typer.Option(help="Ny tidsfrist (ÅÅÅÅ-MM-DD).")],
    reason: Annotated[str, typer.Option(help="De synnerliga skälen.")],
    as_user: str = UserOption,
) -> None:
    """Extend the preliminary assessment beyond 14 days (synnerliga skäl)."""
    decided_on, new_due = parse_date(on, "--on"), parse_date(until, "--until")
    with command_session() as session:
        who = actor(session, as_user)
        steps.extend_preliminary(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "förlängd förhandsbedömning"),
            decided_on=decided_on,
            new_due=new_due,
            reason=reason,
        )
    typer.echo(f"{case_number}: förhandsbedömningen förlängd till {new_due}.")


@app.command()
def bbic(
    case_number: CaseNumber,
    side: Annotated[BbicSide, typer.Option(help="BBIC-triangelns sida.")],
    area: Annotated[str, typer.Option(help="Område inom sidan.")],
    text: Annotated[str, typer.Option(help="Text för området.")],
    as_user: str = UserOption,
) -> None:
    """Save the investigation's text for one BBIC area."""
    with command_session() as session:
        who = actor(session, as_user)
        steps.record_bbic(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "utredning"),
            side=side,
            area=area,
            text=text,
        )
    typer.echo(f"{case_number}: BBIC {side}/{area} sparat.")


@app.command()
def extend(
    case_number: CaseNumber,
    on: On,
    until: Annotated[str, typer.Option(help="Ny tidsfrist (ÅÅÅÅ-MM-DD).")],
    reason: Annotated[str, typer.Option(help="De särskilda skälen.")],
    as_user: str = UserOption,
) -> None:
    """Extend the investigation for särskilda skäl."""
    decided_on, new_due = parse_date(on, "--on"), parse_date(until, "--until")
    with command_session() as session:
        who = actor(session, as_user)
        steps.extend_investigation(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "förlängning"),
            decided_on=decided_on,
            new_due=new_due,
            reason=reason,
        )
    typer.echo(f"{case_number}: utredningstiden förlängd till {new_due}.")


@app.command()
def intervention(
    case_number: CaseNumber,
    on: On,
    category: Annotated[InterventionCategory, typer.Option(help="Insatskategori.")],
    basis: Annotated[LegalBasis, typer.Option(help="Lagrum: sol eller lvu.")] = LegalBasis.SOL,
    start: Annotated[str | None, typer.Option(help="Startdatum om annat än beslutet.")] = None,
    as_user: str = UserOption,
) -> None:
    """Decide an intervention (insats)."""
    decided_on = parse_date(on, "--on")
    start_on = parse_date(start, "--start") if start else None
    with command_session() as session:
        who = actor(session, as_user)
        result = steps.decide_intervention(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "insatsbeslut"),
            category=category,
            legal_basis=basis,
            decided_on=decided_on,
            start_on=start_on,
        )
        intervention_id = result.id
    typer.echo(f"{case_number}: insats {intervention_id} ({category}) beslutad.")


@app.command()
def complete(
    case_number: CaseNumber,
    on: On,
    outcome: Annotated[InvestigationOutcome, typer.Option(help="Utredningens utfall.")],
    transfer_to: Annotated[str | None, typer.Option(help="Kommunkod vid överflytt.")] = None,
    as_user: str = UserOption,
) -> None:
    """Complete the investigation."""
    completed_on = parse_date(on, "--on")
    with command_session() as session:
        who = actor(session, as_user)
        result = steps.complete_investigation(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "avslut av utredning"),
            completed_on=completed_on,
            outcome=outcome,
            transferred_to=transfer_to,
        )
        on_time = "i tid" if result.on_time else "för sent"
    typer.echo(f"{case_number}: utredningen avslutad ({on_time}).")


@app.command("end-intervention")
def end_intervention(
    case_number: CaseNumber,
    intervention_id: Annotated[int, typer.Option("--intervention", help="Insatsens id.")],
    on: On,
    reason: Annotated[str, typer.Option(help="Varför insatsen avslutas.")],
    as_user: str = UserOption,
) -> None:
    """End a running intervention."""
    ended_on = parse_date(on, "--on")
    with command_session() as session:
        who = actor(session, as_user)
        steps.end_intervention(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "avslut av insats"),
            intervention_id=intervention_id,
            ended_on=ended_on,
            reason=reason,
        )
    typer.echo(f"{case_number}: insats {intervention_id} avslutad.")


@app.command("follow-up")
def follow_up(case_number: CaseNumber, on: On, notes: str = "", as_user: str = UserOption) -> None:
    """Record a follow-up (uppföljning)."""
    followed_up_on = parse_date(on, "--on")
    with command_session() as session:
        who = actor(session, as_user)
        steps.follow_up(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "uppföljning"),
            followed_up_on=followed_up_on,
            notes=notes,
        )
    typer.echo(f"{case_number}: uppföljning registrerad.")


@app.command()
def close(case_number: CaseNumber, on: On, as_user: str = UserOption) -> None:
    """Close a followed-up case."""
    closed_on = parse_date(on, "--on")
    with command_session() as session:
        who = actor(session, as_user)
        steps.close(
            session,
            actor=who,
            case_id=_case_id(session, who, case_number, "avslut"),
            closed_on=closed_on,
        )
    typer.echo(f"{case_number}: ärendet avslutat.")
