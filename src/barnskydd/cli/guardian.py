"""barnskydd guardian ...: a case child's guardians and household (every read audited)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from barnskydd.cases import family
from barnskydd.cases.family import GuardianInput, GuardianRead
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
from barnskydd.people.codes import Language, Relation

app = typer.Typer(help="Vårdnadshavare och hushåll.", no_args_is_help=True)

GuardianId = Annotated[int, typer.Argument(min=1, help="Vårdnadshavarens id (se list).")]
FIELDS = GuardianInput.model_fields


def _help(name: str) -> str:
    return FIELDS[name].description or FIELDS[name].title or name


@app.command()
def add(
    case_number: CaseNumber,
    first_name: Annotated[str, typer.Option(help=_help("first_name"))],
    last_name: Annotated[str, typer.Option(help=_help("last_name"))],
    relation: Annotated[Relation, typer.Option(help=_help("relation"))],
    identity: Annotated[str | None, typer.Option(help=_help("identity"))] = None,
    custody: Annotated[
        bool | None, typer.Option("--custody/--no-custody", help=_help("custody"))
    ] = None,
    phone: Annotated[str | None, typer.Option(help=_help("phone"))] = None,
    email: Annotated[str | None, typer.Option(help=_help("email"))] = None,
    address: Annotated[str | None, typer.Option(help=_help("address"))] = None,
    shares_child_address: Annotated[
        bool, typer.Option("--shares-child-address", help=_help("shares_child_address"))
    ] = False,
    interpreter: Annotated[Language | None, typer.Option(help=_help("interpreter"))] = None,
    as_user: str = UserOption,
) -> None:
    """Registrera vårdnadshavare eller hushållsmedlem; skriver ut nya id:t ensamt sist."""
    values: dict[str, Any] = {
        "identity": identity,
        "first_name": first_name,
        "last_name": last_name,
        "relation": relation.value,
        "custody": None if custody is None else ("ja" if custody else "nej"),
        "phone": phone,
        "email": email,
        "address": address,
        "shares_child_address": "ja" if shares_child_address else "nej",
        "interpreter": interpreter.value if interpreter else None,
    }
    names = {name: "--" + name.replace("_", "-") for name in FIELDS}
    try:
        data = GuardianInput.from_text({k: v for k, v in values.items() if v is not None})
    except ValidationError as error:
        fail(validation_message(error, names=names))
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        guardian_id = family.add_guardian(session, actor=who, case=case, data=data).id
    typer.echo(f"{case_number}: vårdnadshavare/hushållsmedlem sparad.")
    typer.echo(str(guardian_id))


@app.command("list")
def list_guardians(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför uppgifterna läses (loggas).")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Lista barnets vårdnadshavare och hushåll (läsningen loggas med sitt syfte)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        found = family.list_guardians(session, actor=who, case=case, purpose=purpose)
    if as_json:
        print_json([GuardianRead.model_validate(g).model_dump(mode="json") for g in found])
        return
    for g in found:
        custody = "vårdnad" if g.custody else "ej vårdnad"
        contact = "kontaktuppgifter skyddade" if g.contact_hidden else (g.phone or "")
        typer.echo(
            f"{g.id}  {g.first_name} {g.last_name}  {g.relation_label}, {custody}  {contact}"
        )


@app.command()
def remove(case_number: CaseNumber, guardian_id: GuardianId, as_user: str = UserOption) -> None:
    """Ta bort en vårdnadshavare som registrerats fel eller lämnat hushållet (loggas)."""
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        family.remove_guardian(session, actor=who, case=case, guardian_id=guardian_id)
    typer.echo(f"{case_number}: vårdnadshavare {guardian_id} borttagen.")
