"""barnskydd decision ...: a case's decisions, the letter to a party, when a party was told.

A refusal (avslag) is a step: `barnskydd case refuse-intervention`. The options' help is the
input model's (barnskydd.cases.decisions.inputs), checked in text mode as on the desk; bad input
exits 2 with a Swedish message naming the option, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from barnskydd.cases.decisions import letters
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.cases.decisions.schemas import DecisionRead
from barnskydd.cli._common import (
    WRITE_PURPOSE,
    CaseNumber,
    UserOption,
    checked_purpose,
    command_session,
    fail,
    open_case,
    print_json,
    validation_message,
)
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.web.letter_pdf import render_pdf

app = typer.Typer(
    help="Beslut om insats (beviljade och avslag): beslutsmeddelanden och delgivning.",
    no_args_is_help=True,
)

DecisionId = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="Beslutets id.")]
FIELDS = DecisionTold.model_fields
PartyOption = Annotated[str, typer.Option("--party", help=FIELDS["party"].description)]
OPTIONS = {"party": "--party", "told_on": "--on", "way": "--way"}


@app.command(
    "list", help="Skriv ut ärendets beslut med parter, delgivning och sista dag att överklaga."
)
def list_decisions(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför besluten läses (loggas).")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Print the case's decisions, newest first (the read is audited with its purpose)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        who, case = open_case(session, as_user, case_number, purpose)
        views = decisions.get_all(session, actor=who, case=case, purpose=purpose)
        reads = [DecisionRead.of(v) for v in views]
    if as_json:
        print_json([r.model_dump(mode="json") for r in reads])
        return
    for r in reads:
        typer.echo(f"{r.id:>6}  {r.decided_on}  {r.outcome.value:<8} {r.category.value}  {r.basis}")
        for p in r.parties:
            told = (
                f"delgiven {p.told_on}, överklaga senast {p.appeal_due}"
                if p.told_on
                else "ej delgiven"
            )
            typer.echo(f"        {p.party:<16} {told}")


@app.command(help="Skriv beslutsmeddelandet till en part som PDF (--out FIL.pdf).")
def letter(
    case_number: CaseNumber,
    decision_id: DecisionId,
    party: PartyOption,
    out: Annotated[Path, typer.Option("--out", help="PDF-filen som skrivs.")],
    as_user: str = UserOption,
) -> None:
    """Write the decision letter to one party as PDF."""
    if out.suffix.lower() != ".pdf":
        fail("Ange en fil som slutar på .pdf (--out).")
    if out.parent and not out.parent.is_dir():
        fail(f"Mappen {out.parent} finns inte (--out).")
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        view = decisions.get(
            session, actor=who, case=case, decision_id=decision_id, purpose=WRITE_PURPOSE
        )
        try:
            found = view.party(party)
        except InvalidInput as error:
            fail(f"{error.message} (--party)")
        composed = letters.compose(
            session, actor=who, case=case, view=view, party=found, today=today()
        )
        out.write_bytes(render_pdf(composed))
    typer.echo(f"{case_number}: beslutsmeddelande till {party} skrivet till {out}.")


@app.command(help="Registrera dagen och sättet en part fick del av beslutet.")
def told(
    case_number: CaseNumber,
    decision_id: DecisionId,
    party: PartyOption,
    on: Annotated[str, typer.Option("--on", help=FIELDS["told_on"].description)],
    way: Annotated[str, typer.Option("--way", help=FIELDS["way"].description)],
    as_user: str = UserOption,
) -> None:
    """Record when and how a party was told; print the last day to appeal."""
    try:
        data = DecisionTold.from_text({"party": party, "told_on": on, "way": way})
    except ValidationError as error:
        fail(validation_message(error, names=OPTIONS))
    with command_session() as session:
        who, case = open_case(session, as_user, case_number)
        try:
            decisions.tell(session, actor=who, case=case, decision_id=decision_id, data=data)
        except InvalidInput as error:
            fail(f"{error.message} ({OPTIONS.get(error.field or '', error.field)})")
        view = decisions.get(
            session, actor=who, case=case, decision_id=decision_id, purpose=WRITE_PURPOSE
        )
        due = view.party(data.party).appeal_due
    typer.echo(f"{case_number}: {party} fick del av beslut {decision_id} den {data.told_on}.")
    typer.echo(f"Sista dag att överklaga: {due}")
