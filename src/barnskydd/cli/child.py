"""barnskydd child ...: decisions about a child, taken by a team lead or an administrator."""

from __future__ import annotations

from typing import Annotated

import typer

from barnskydd.cases import service as cases
from barnskydd.cli._common import UserOption, actor, command_session
from barnskydd.people.codes import PROTECTED_LABELS, ProtectedIdentity, ProtectionChange

app = typer.Typer(help="Barn: skyddad identitet.", no_args_is_help=True)


@app.command()
def protection(
    case_number: Annotated[
        str, typer.Argument(help="Ett av barnets ärenden, t.ex. BU-2025-000123.")
    ],
    level: Annotated[ProtectedIdentity, typer.Option(help="Den nya nivån.")],
    reason: Annotated[ProtectionChange, typer.Option(help="Varför nivån ändras.")],
    as_user: str = UserOption,
) -> None:
    """Ändra skyddad identitet för ärendets barn, även till en lägre nivå (loggas).

    En registrering kan bara höja barnets nivå; det här beslutet är enda sättet att sänka
    den. Arbetsledare (för enhetens ärenden) och administratörer beslutar.
    """
    with command_session() as session:
        cases.change_protection(
            session,
            actor=actor(session, as_user),
            case_number=case_number,
            level=level,
            reason=reason,
        )
    typer.echo(f"Skyddad identitet: {PROTECTED_LABELS[level]}.")
