"""barnskydd plan ...: the investigation plan of a case (utredningsplan).

The options' help is the input model's (barnskydd.cases.plan.inputs), checked in text mode as
on the desk. A change after the investigation has been completed is refused (exit 2).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd, PlanEdit
from barnskydd.cases.plan.models import KIND_LABELS, ContactParty, PlanItemKind
from barnskydd.cases.plan.schemas import PlanRead
from barnskydd.cli._common import (
    CaseNumber,
    UserOption,
    checked_purpose,
    command_session,
    fail,
    open_case,
    print_json,
    validation_message,
)

app = typer.Typer(help="Utredningsplanen i ett ärende.", no_args_is_help=True)

ItemId = Annotated[int, typer.Argument(min=1, help="Punktens id.")]
FIELDS = PlanAdd.model_fields
OPTIONS = {
    "planned_on": "--on",
    **{n: "--" + n.replace("_", "-") for n in FIELDS if n != "planned_on"},
}


def _help(name: str) -> str | None:
    return FIELDS[name].description


def _checked(model: type[PlanAdd] | type[PlanEdit], values: dict[str, Any]) -> Any:
    given = {name: value for name, value in values.items() if value is not None}
    try:
        return model.from_text(given)
    except ValidationError as error:
        fail(validation_message(error, names=OPTIONS))


Text = Annotated[str | None, typer.Option(help=_help("text"))]
Party = Annotated[ContactParty | None, typer.Option(help=_help("party"))]
Consent = Annotated[str | None, typer.Option(help=_help("consent") + " (ja/nej)")]
On = Annotated[str | None, typer.Option("--on", help=_help("planned_on"))]
Alone = Annotated[str | None, typer.Option(help=_help("child_alone") + " (ja/nej)")]


@app.command()
def add(
    case_number: CaseNumber,
    kind: Annotated[PlanItemKind, typer.Option(help=_help("kind"))],
    text: Annotated[str, typer.Option(help=_help("text"))],
    party: Party = None,
    consent: Consent = None,
    on: On = None,
    child_alone: Alone = None,
    as_user: str = UserOption,
) -> None:
    """Lägg till en fråga, en kontakt eller ett planerat samtal med barnet; skriv ut id:t."""
    data = _checked(
        PlanAdd,
        {
            "kind": kind.value,
            "text": text,
            "party": party.value if party else None,
            "consent": consent,
            "planned_on": on,
            "child_alone": child_alone,
        },
    )
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        item_id = plan.add(session, actor=who, case=case, data=data).id
    typer.echo(f"{case_number}: punkt i utredningsplanen sparad.")
    typer.echo(str(item_id))


@app.command()
def edit(
    case_number: CaseNumber,
    item_id: ItemId,
    text: Text = None,
    party: Party = None,
    consent: Consent = None,
    on: On = None,
    child_alone: Alone = None,
    as_user: str = UserOption,
) -> None:
    """Ändra angivna fält i en punkt i planen medan utredningen pågår."""
    data = _checked(
        PlanEdit,
        {
            "text": text,
            "party": party.value if party else None,
            "consent": consent,
            "planned_on": on,
            "child_alone": child_alone,
        },
    )
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        plan.update(session, actor=who, case=case, item_id=item_id, data=data)
    typer.echo(f"{case_number}: punkt {item_id} ändrad.")


@app.command()
def remove(case_number: CaseNumber, item_id: ItemId, as_user: str = UserOption) -> None:
    """Ta bort en punkt i planen medan utredningen pågår."""
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        plan.remove(session, actor=who, case=case, item_id=item_id)
    typer.echo(f"{case_number}: punkt {item_id} borttagen.")


@app.command("show")
def show(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför planen läses (loggas).")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Skriv ut planen med utredningens tidsfrist (läsningen loggas)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        read = plan.get(session, actor=who, case=case, purpose=purpose)
        result = PlanRead.of(read)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    if result.investigation_due is None:
        typer.echo("Ärendet har ingen utredning.")
    else:
        state = "pågår" if result.open else "avslutad"
        typer.echo(f"Utredningen ({state}) ska vara klar senast {result.investigation_due}.")
    for i in result.items:
        when = f" {i.planned_on}" if i.planned_on else ""
        typer.echo(f"{i.id:>6}  {KIND_LABELS[i.kind]:<28}{when}  {i.text[:60]}")
