"""barnskydd pseudonymiser ...: the national OPRF service, its keys and its start."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import (
    BURST_CHECK,
    DAILY_CHECK,
    RATE_CHECK,
    existing_file,
    fail,
    whole_number_between,
)
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.core.logging import server_log_config

app = typer.Typer(help="Nationella pseudonymiseraren (OPRF, RFC 9497).", no_args_is_help=True)

KeysOption = Annotated[
    Path, typer.Option("--keys", help="Nyckelfilen (hemlig, bara läsbar för tjänsten).")
]
ExistingKeys = Annotated[
    Path,
    typer.Option(
        "--keys",
        help="Nyckelfilen (hemlig, bara läsbar för tjänsten).",
        callback=existing_file("--keys"),
    ),
]
MAX_TRANSITION_DAYS = 366


@app.command()
def keygen(keys: KeysOption = Path("var/pseudonymiser-keys.json")) -> None:
    """Skapa nyckelfilen med nyckelversion 1."""
    from barnskydd.lookup import keys as keyring

    try:
        keyring.create(keys)
    except InvalidInput as error:
        fail(error.message)
    typer.echo(f"Nyckelversion 1 skapad i {keys}.")


@app.command()
def rotate(
    keys: ExistingKeys = Path("var/pseudonymiser-keys.json"),
    transition_days: Annotated[
        int,
        typer.Option(
            help=f"Dagar som den gamla versionen fortfarande accepteras (1-{MAX_TRANSITION_DAYS}).",
            callback=whole_number_between("--transition-days", 1, MAX_TRANSITION_DAYS),
        ),
    ] = 30,
) -> None:
    """Lägg till en ny aktuell nyckelversion; äldre godtas under övergången."""
    from barnskydd.lookup import keys as keyring

    version = keyring.rotate(keys, today=today(), transition_days=transition_days)
    typer.echo(f"Nyckelversion {version} är nu aktuell.")


@app.command()
def serve(
    keys: ExistingKeys = Path("var/pseudonymiser-keys.json"),
    municipalities: Annotated[
        Path,
        typer.Option(
            help="Kommunernas publika nycklar (JSON).", callback=existing_file("--municipalities")
        ),
    ] = Path("var/lookup-municipalities.json"),
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8100,
    rate: Annotated[
        float, typer.Option(help="Utvärderingar per sekund och kommun.", callback=RATE_CHECK)
    ] = 20.0,
    burst: Annotated[
        int, typer.Option(help="Största skur per kommun.", callback=BURST_CHECK)
    ] = 2000,
    daily: Annotated[
        int, typer.Option(help="Utvärderingar per dygn och kommun.", callback=DAILY_CHECK)
    ] = 20000,
) -> None:
    """Kör pseudonymiseraren (den har OPRF-nycklarna och inget annat)."""
    import uvicorn

    from barnskydd.core.settings import get_settings
    from barnskydd.lookup import keys as keyring
    from barnskydd.lookup.auth import Registry
    from barnskydd.lookup.edge import RateLimiter
    from barnskydd.lookup.pseudonymiser import create_app

    service = create_app(
        keyring.load(keys), Registry.from_file(municipalities), RateLimiter(rate, burst, daily)
    )
    typer.echo(f"Pseudonymiseraren på http://{host}:{port}")
    level = get_settings().log_level.lower()
    uvicorn.run(service, host=host, port=port, log_level=level, log_config=server_log_config(level))
