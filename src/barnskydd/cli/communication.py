"""barnskydd communication ...: communication before a decision (förvaltningslagen 25 §).

The options' help is the input model's (barnskydd.cases.communication.inputs), checked in
text mode as on the desk. An answer already recorded is not changed (exit 2).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.models import RECIPIENT_LABELS, Recipient
from barnskydd.cases.communication.schemas import CommunicationRead
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

app = typer.Typer(help="Kommunicering före beslut i ett ärende.", no_args_is_help=True)

CommunicationId = Annotated[int, typer.Argument(min=1, help="Kommuniceringens id.")]
ADD = CommunicationAdd.model_fields
ANSWER = CommunicationAnswer.model_fields
OPTIONS = {
    "recipient_kind": "--to",
    "recipient": "--name",
    "material": "--material",
    "sent_on": "--sent",
    "answer_by": "--answer-by",
    "answered_on": "--on",
    "answer": "--text",
}


def _checked(model: type[CommunicationAdd | CommunicationAnswer], values: dict[str, Any]) -> Any:
    try:
        return model.from_text(values)
    except ValidationError as error:
        fail(validation_message(error, names=OPTIONS))


@app.command()
def add(
    case_number: CaseNumber,
    to: Annotated[Recipient, typer.Option(help=ADD["recipient_kind"].description)],
    name: Annotated[str, typer.Option(help=ADD["recipient"].description)],
    material: Annotated[str, typer.Option(help=ADD["material"].description)],
    sent: Annotated[str, typer.Option(help=ADD["sent_on"].description)],
    answer_by: Annotated[str, typer.Option(help=ADD["answer_by"].description)],
    as_user: str = UserOption,
) -> None:
    """Registrera vad som skickats till en part och sista svarsdag; skriv ut id:t."""
    data = _checked(
        CommunicationAdd,
        {
            "recipient_kind": to.value,
            "recipient": name,
            "material": material,
            "sent_on": sent,
            "answer_by": answer_by,
        },
    )
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        item_id = communication.add(session, actor=who, case=case, data=data).id
    typer.echo(f"{case_number}: kommunicering registrerad.")
    typer.echo(str(item_id))


@app.command()
def answer(
    case_number: CaseNumber,
    communication_id: CommunicationId,
    on: Annotated[str, typer.Option(help=ANSWER["answered_on"].description)],
    text: Annotated[str, typer.Option(help=ANSWER["answer"].description)],
    as_user: str = UserOption,
) -> None:
    """Registrera partens svar, en gång."""
    data = _checked(CommunicationAnswer, {"answered_on": on, "answer": text})
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        communication.answer(
            session, actor=who, case=case, communication_id=communication_id, data=data
        )
    typer.echo(f"{case_number}: svar på kommunicering {communication_id} registrerat.")


@app.command("list")
def list_communications(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför uppgifterna läses (loggas).")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Skriv ut ärendets kommuniceringar, nyaste först (läsningen loggas)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        reads = [
            CommunicationRead.of(c)
            for c in communication.get_all(session, actor=who, case=case, purpose=purpose)
        ]
    if as_json:
        print_json([r.model_dump(mode="json") for r in reads])
        return
    for r in reads:
        state = f"svar {r.answered_on}" if r.answered_on else f"svar senast {r.answer_by}"
        typer.echo(f"{r.id:>6}  {r.sent_on}  {RECIPIENT_LABELS[r.recipient_kind]:<28} {state}")
