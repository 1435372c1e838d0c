"""barnskydd document ...: add a file to a case, list a case's documents, get one back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

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
from barnskydd.core.errors import InvalidInput
from barnskydd.documents import rules
from barnskydd.documents import service as documents
from barnskydd.documents.codes import DocumentKind
from barnskydd.documents.schemas import DocumentCreate, DocumentRead

app = typer.Typer(help="Dokument i ärenden: ladda upp, lista och hämta.", no_args_is_help=True)
Purpose = Annotated[str, typer.Option(help="Varför dokumenten läses (loggas).")]


@app.command()
def add(
    case_number: CaseNumber,
    file: Annotated[Path, typer.Argument(help="PDF-, JPEG- eller PNG-fil, högst 20 MB.")],
    title: Annotated[str, typer.Option(help="Dokumentets rubrik.")],
    kind: Annotated[
        DocumentKind, typer.Option(help="Inkommen (incoming) eller upprättad (drawn_up) handling.")
    ] = DocumentKind.INCOMING,
    journal_entry: Annotated[
        str, typer.Option(help="Id för journalanteckningen dokumentet hör till (valfritt).")
    ] = "",
    as_user: str = UserOption,
) -> None:
    """Ladda upp en fil till ett ärende; skriver ut det nya dokumentets id ensamt på sista raden."""
    try:
        data = DocumentCreate.from_text(
            {"title": title, "kind": kind.value, "journal_entry": journal_entry}
        )
    except ValidationError as error:
        names = {"title": "--title", "kind": "--kind", "journal_entry": "--journal-entry"}
        fail(validation_message(error, names=names))
    if not file.is_file():
        fail(f"FILE: {file} finns inte eller är ingen fil.")
    if file.stat().st_size > rules.MAX_BYTES:
        fail(f"FILE: {rules.MSG_TOO_LARGE}")
    content = file.read_bytes()
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        try:
            document = documents.create(
                session, actor=who, case=case, data=data, filename=file.name, content=content
            )
        except InvalidInput as error:
            if error.field == "journal_entry":
                fail(f"--journal-entry: {error.message}")
            if error.field != rules.FIELD:
                raise
            fail(f"FILE: {error.message}")
        document_id = document.id
    typer.echo(
        f"{case_number}: dokumentet är sparat ({document.media_type}, {document.size} byte)."
    )
    typer.echo(str(document_id))


@app.command("list")
def list_documents(
    case_number: CaseNumber,
    purpose: Purpose,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Lista ett ärendes dokument (läsningen av ärendet loggas med sitt syfte)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        rows = [
            DocumentRead.model_validate(d, from_attributes=True)
            for d in documents.get_all(session, actor=who, case=case)
        ]
    if as_json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    for row in rows:
        typer.echo(f"{row.id}  {row.uploaded_at:%Y-%m-%d}  {row.media_type:<15} {row.title}")


@app.command()
def get(
    case_number: CaseNumber,
    document_id: Annotated[int, typer.Argument(help="Dokumentets id.", min=1)],
    out: Annotated[Path, typer.Option(help="Filen att skriva (skrivs inte över).")],
    purpose: Purpose,
    as_user: str = UserOption,
) -> None:
    """Skriv ett dokuments fil till --out (läsningen loggas med sitt syfte)."""
    purpose = checked_purpose(purpose)
    if out.exists():
        fail(f"--out: {out} finns redan; välj ett annat namn.")
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        document = documents.get(
            session, actor=who, case=case, document_id=document_id, purpose=purpose
        )
        content = document.content
    try:
        with out.open("xb") as handle:
            handle.write(content)
    except OSError as error:
        out.unlink(missing_ok=True)  # nothing half-written is kept
        fail(f"--out: {out} kunde inte skrivas ({error.strerror}).")
    typer.echo(f"{out}: {len(content)} byte ({document.media_type}).")
