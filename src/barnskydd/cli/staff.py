"""barnskydd staff ...: the local accounts' passwords."""

from __future__ import annotations

from typing import Annotated

import typer

from barnskydd.cli._common import command_session
from barnskydd.staff import passwords
from barnskydd.staff import service as staff

app = typer.Typer(help="Personalens lokala konton.", no_args_is_help=True)


@app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="Kontots användarnamn.")],
    none: Annotated[
        bool,
        typer.Option(
            "--ingen",
            help="Ta bort kontots lokala inloggning (inloggning via kommunens "
            "OpenID Connect fungerar som förut).",
        ),
    ] = False,
) -> None:
    """Sätt ett lokalt kontos lösenord (frågas två gånger, visas inte) eller ta bort det."""
    with command_session() as session:
        member = staff.get_by_username(session, username=username)
        if none:
            passwords.remove_password(session, member=member)
        else:
            new = typer.prompt("Nytt lösenord", hide_input=True, confirmation_prompt=True)
            passwords.set_password(session, member=member, password=new)
    if none:
        typer.echo(f"Kontot {username} har inte längre något lokalt lösenord.")
    else:
        typer.echo(f"Lösenordet för {username} är bytt.")
