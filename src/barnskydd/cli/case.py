"""barnskydd case ...: show a case and take it through the chain's steps.

Each step's command is made from its spec (barnskydd.cases.chain.spec): the options are the
step's input fields (their help is the field's description), the command and option names
are the spec's, and the input is checked by the step's input model, as on the desk.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, get_args

import typer
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from barnskydd.cases import chain
from barnskydd.cases import service as cases
from barnskydd.cases.chain.spec import Hint, StepSpec
from barnskydd.cases.chain.transitions import STEP_VERBS
from barnskydd.cases.read import case_read
from barnskydd.cli._common import (
    CaseNumber,
    UserOption,
    actor,
    checked_purpose,
    command_session,
    fail,
    open_case,
    print_json,
    validation_message,
)
from barnskydd.core.clock import today

app = typer.Typer(help="Ärenden: visa och ta nästa steg i kedjan.", no_args_is_help=True)


@app.command()
def show(
    case_number: CaseNumber,
    purpose: Annotated[str, typer.Option(help="Varför ärendet läses (loggas).")],
    as_user: str = UserOption,
) -> None:
    """Skriv ut ärendets kedja och tidsfrister som JSON (läsningen loggas)."""
    purpose = checked_purpose(purpose)
    with command_session() as session:
        _, case = open_case(session, as_user, case_number, purpose)
        print_json(case_read(case, today=today()).model_dump(mode="json"))


@app.command("list")
def list_open(
    overdue: Annotated[bool, typer.Option(help="Bara försenade steg.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Högst så många rader.")] = 50,
    as_user: str = UserOption,
) -> None:
    """Lista öppna steg med lagens tidsfrister, det mest brådskande först."""
    with command_session() as session:
        items = cases.open_items(session, actor=actor(session, as_user), today=today())
    if overdue:
        items = [i for i in items if i.overdue]
    for item in items[:limit]:
        mark = "FÖRSENAD" if item.overdue else f"{item.days_left} dagar kvar"
        typer.echo(f"{item.case_number}  {item.step:<18} senast {item.due}  {mark}")


def _option_type(info: FieldInfo) -> Any:
    """Return what Typer parses an option as: flags, choices and ids; text for the rest."""
    kinds = {info.annotation, *get_args(info.annotation)} - {type(None)}
    for kind in kinds:
        if kind is bool or kind is int or (isinstance(kind, type) and issubclass(kind, Enum)):
            return kind
    return str


def _option(name: str, info: FieldInfo, hint: Hint) -> inspect.Parameter:
    """Return the command's parameter for one input field."""
    flag = "--" + (hint.option or name.replace("_", "-"))
    kind = _option_type(info)
    help_text = info.description or info.title
    if kind is bool:
        option = typer.Option(f"{flag}/--no-{flag[2:]}", help=help_text)
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[bool, option], default=False
        )
    default: Any = inspect.Parameter.empty
    if hint.default and hint.default not in ("today", "now"):
        default = kind(hint.default)
    elif not info.is_required():
        default = None if info.default is None else info.default
        kind = kind | None
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[kind, typer.Option(flag, help=help_text)],
        default=default,
    )


def step_command(spec: StepSpec) -> Callable[..., None]:
    """Return the command that takes one step, its options made from the step's input model."""
    flags = {n: "--" + (spec.hint(n).option or n.replace("_", "-")) for n in spec.fields}

    def command(case_number: str, as_user: str, **values: Any) -> None:
        given = {name: value for name, value in values.items() if value is not None}
        try:
            data = spec.input.from_text(given)
        except ValidationError as error:
            fail(validation_message(error, names=flags))
        with command_session() as session:
            who, case = open_case(session, as_user, case_number)
            taken = chain.take(session, actor=who, case=case, data=data)
            record_id = taken.record.id
        typer.echo(f"{case_number}: {spec.title}: sparat (id {record_id}).")
        if taken.warning is not None:
            typer.echo(f"Varning: {taken.warning.message}", err=True)

    parameters = [
        inspect.Parameter("case_number", inspect.Parameter.KEYWORD_ONLY, annotation=CaseNumber),
        *(_option(name, info, spec.hint(name)) for name, info in spec.fields.items()),
        inspect.Parameter(
            "as_user", inspect.Parameter.KEYWORD_ONLY, annotation=str, default=UserOption
        ),
    ]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    verb = STEP_VERBS[spec.step]
    command.__doc__ = f"{verb[0].upper()}{verb[1:]} (ett steg i ärendekedjan)."
    return command


for _spec in chain.STEPS.values():
    app.command(_spec.command)(step_command(_spec))
