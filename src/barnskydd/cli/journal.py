"""barnskydd journal ...: write, sign, correct and read a case's journal.

The options' help is the input model's (barnskydd.cases.journal.inputs), and the input is
checked by that model in text mode, as on the desk. A signed entry that is edited or deleted
is refused (exit 2) and nothing changes.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from barnskydd.cases.codes import JOURNAL_KIND_LABELS, JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd, JournalEdit
from barnskydd.cases.journal.schemas import JournalEntryRead
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

app = typer.Typer(help="Journalanteckningar i ett ärende.", no_args_is_help=True)

EntryId = Annotated[int, typer.Argument(min=1, help="Anteckningens id.")]
ADD = JournalAdd.model_fields
OPTIONS = {name: "--" + name.replace("_", "-") for name in ADD}


def _help(name: str) -> str | None:
    return ADD[name].description


def _checked(model: type[JournalAdd] | type[JournalEdit], values: dict[str, Any]) -> Any:
    given = {name: value for name, value in values.items() if value is not None}
    try:
        return model.from_text(given)
    except ValidationError as error:
        fail(validation_message(error, names=OPTIONS))


@app.command()
def add(
    case_number: CaseNumber,
    kind: Annotated[JournalKind, typer.Option(help=_help("kind"))],
    at: Annotated[str, typer.Option(help=_help("at"))],
    minutes: Annotated[str, typer.Option(help=_help("minutes"))],
    text: Annotated[str, typer.Option(help=_help("text"))],
    child_alone: Annotated[bool, typer.Option("--child-alone", help=_help("child_alone"))] = False,
    participants: Annotated[str | None, typer.Option(help=_help("participants"))] = None,
    corrects: Annotated[str | None, typer.Option(help=_help("corrects"))] = None,
    as_user: str = UserOption,
) -> None:
    """Lägg till en osignerad anteckning (en rättelse med --corrects); skriv ut dess id."""
    data = _checked(
        JournalAdd,
        {
            "kind": kind.value,
            "at": at,
            "minutes": minutes,
            "child_alone": child_alone,
            "participants": participants,
            "text": text,
            "corrects": corrects,
        },
    )
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        entry_id = journal.create(session, actor=who, case=case, data=data).id
    typer.echo(f"{case_number}: journalanteckning sparad, inte signerad.")
    typer.echo(str(entry_id))


@app.command()
def edit(
    case_number: CaseNumber,
    entry_id: EntryId,
    text: Annotated[str, typer.Option(help="Ny text för anteckningen.")],
    as_user: str = UserOption,
) -> None:
    """Ändra texten i din egen osignerade anteckning."""
    data = _checked(JournalEdit, {"text": text})
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        journal.update(session, actor=who, case=case, entry_id=entry_id, data=data)
    typer.echo(f"{case_number}: anteckning {entry_id} ändrad.")


@app.command()
def delete(case_number: CaseNumber, entry_id: EntryId, as_user: str = UserOption) -> None:
    """Radera din egen osignerade anteckning."""
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        journal.delete(session, actor=who, case=case, entry_id=entry_id)
    typer.echo(f"{case_number}: anteckning {entry_id} borttagen.")


@app.command()
def sign(case_number: CaseNumber, entry_id: EntryId, as_user: str = UserOption) -> None:
    """Signera din egen anteckning; därefter kan den bara rättas med en ny anteckning."""
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        journal.sign(session, actor=who, case=case, entry_id=entry_id)
    typer.echo(f"{case_number}: anteckning {entry_id} signerad.")


@app.command("list")
def list_entries(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför journalen läses (loggas).")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    kind: Annotated[JournalKind | None, typer.Option(help="Bara en typ av anteckning.")] = None,
    as_user: str = UserOption,
) -> None:
    """Skriv ut ärendets journal, nyaste först (läsningen loggas med sitt syfte)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        entries = journal.get_all(session, actor=who, case=case, purpose=purpose, kind=kind)
        reads = [JournalEntryRead.of(e) for e in entries]
    if as_json:
        print_json([r.model_dump(mode="json") for r in reads])
        return
    for r in reads:
        signed = f"signerad {r.signed_at:%Y-%m-%d}" if r.signed_at else "osignerad"
        fix = f", rättar {r.corrects}" if r.corrects else ""
        typer.echo(
            f"{r.id:>6}  {r.at:%Y-%m-%d %H:%M}  {JOURNAL_KIND_LABELS[r.kind]:<26} "
            f"{r.minutes:>3} min  {signed}{fix}"
        )
