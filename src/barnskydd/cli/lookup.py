"""barnskydd lookup ...: the national index, credentials, and the municipality's publishing."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Annotated

import typer

from barnskydd.cli._common import (
    BURST_CHECK,
    DAILY_CHECK,
    MAX_INTERVAL,
    RATE_CHECK,
    command_session,
    existing_file,
    fail,
    number_between,
    print_json,
)
from barnskydd.core.errors import DomainError
from barnskydd.core.logging import server_log_config

app = typer.Typer(
    help="Nationellt uppslag: index, publicering och aviseringar.", no_args_is_help=True
)


def _database_url(value: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(value)
    except ArgumentError:
        fail("--database-url: ange en databas-URL, t.ex. sqlite:///var/lookup-index.db.")
    return value


IndexUrl = Annotated[
    str,
    typer.Option(
        "--database-url",
        help="Indexets databas (SQLite eller PostgreSQL).",
        callback=_database_url,
    ),
]
RegistryFile = Annotated[
    Path,
    typer.Option(
        help="Kommunernas publika nycklar (JSON).", callback=existing_file("--municipalities")
    ),
]


@app.command()
def serve(
    database_url: IndexUrl = "sqlite:///var/lookup-index.db",
    municipalities: RegistryFile = Path("var/lookup-municipalities.json"),
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8200,
    rate: Annotated[
        float, typer.Option(help="Poster och uppslag per sekund och kommun.", callback=RATE_CHECK)
    ] = 50.0,
    burst: Annotated[
        int, typer.Option(help="Största skur per kommun.", callback=BURST_CHECK)
    ] = 5000,
    daily: Annotated[
        int, typer.Option(help="Poster och uppslag per dygn och kommun.", callback=DAILY_CHECK)
    ] = 200000,
) -> None:
    """Kör det nationella indexet (skapar dess tabeller i en tom databas)."""
    import uvicorn

    from barnskydd.core.settings import get_settings
    from barnskydd.lookup.auth import Registry
    from barnskydd.lookup.edge import RateLimiter
    from barnskydd.lookup.index_app import create_app

    service = create_app(
        database_url, Registry.from_file(municipalities), RateLimiter(rate, burst, daily)
    )
    typer.echo(f"Uppslagsindexet på http://{host}:{port}")
    level = get_settings().log_level.lower()
    uvicorn.run(service, host=host, port=port, log_level=level, log_config=server_log_config(level))


@app.command()
def expire(database_url: IndexUrl = "sqlite:///var/lookup-index.db") -> None:
    """Radera indexets utgångna poster och dess gamla loggar och aviseringar."""
    from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
    from barnskydd.lookup import index
    from barnskydd.lookup.index_models import IndexBase

    engine = make_engine(database_url)
    IndexBase.metadata.create_all(engine)
    with transaction(session_factory(engine)) as session:
        print_json(index.expire(session, now=utcnow()))
    engine.dispose()


@app.command()
def credentials(
    municipality: Annotated[str, typer.Option(help="Kommunkod.")],
    key_out: Annotated[Path, typer.Option(help="Var kommunens privata nyckel skrivs.")],
    registry: Annotated[
        Path, typer.Option(help="Tjänsternas nyckelregister att lägga den publika nyckeln i.")
    ] = Path("var/lookup-municipalities.json"),
) -> None:
    """Skapa kommunens signeringsnyckel och registrera dess publika del hos tjänsterna."""
    from barnskydd.lookup.auth import generate_key, public_part
    from barnskydd.reference.municipalities import get

    try:
        code = get(municipality).code
    except DomainError as error:
        fail(f"--municipality: {error.message}")
    if key_out.exists():
        fail(f"{key_out} finns redan.")
    private = generate_key()
    key_out.parent.mkdir(parents=True, exist_ok=True)
    key_out.touch(mode=0o600)
    key_out.write_text(json.dumps(private), encoding="utf-8")
    data = json.loads(registry.read_text("utf-8")) if registry.exists() else {"municipalities": {}}
    data["municipalities"][code] = public_part(private)
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(json.dumps(data, indent=2), encoding="utf-8")
    typer.echo(f"Nyckel för {code} skriven till {key_out} och registrerad i {registry}.")


@app.command()
def sync() -> None:
    """Härled varje barns post från ärendena till utkorgen (fångar varje ändring)."""
    from barnskydd.lookup import outbox

    with command_session() as session:
        changed = outbox.refresh_all(session)
    typer.echo(f"{changed} poster att publicera.")


@app.command()
def send() -> None:
    """Publicera utkorgen till det nationella indexet (försöker igen senare vid fel)."""
    from barnskydd.core.db import make_engine, session_factory
    from barnskydd.core.settings import get_settings
    from barnskydd.lookup.client import client_from_settings
    from barnskydd.lookup.sender import send_all
    from barnskydd.staff import deployment

    settings = get_settings()
    with command_session() as session:
        code = deployment.municipality(session).code
    try:
        client = client_from_settings(settings, municipality=code)
    except DomainError as error:
        fail(error.message)
    engine = make_engine(settings.database_url)
    try:
        result = send_all(session_factory(engine), client)
    finally:
        client.close()
        engine.dispose()
    print_json(
        {"published": result.published, "withdrawn": result.withdrawn, "failed": result.failed}
    )
    if result.error:
        fail(result.error)


@app.command()
def notices() -> None:
    """Hämta aviseringar om andra kommuners uppslag som träffat våra poster."""
    from barnskydd.core.settings import get_settings
    from barnskydd.lookup import service
    from barnskydd.lookup.client import client_from_settings
    from barnskydd.staff import deployment

    with command_session() as session:
        code = deployment.municipality(session).code
        client = client_from_settings(get_settings(), municipality=code)
        try:
            stored = service.fetch_notices(session, client)
        finally:
            client.close()
        print_json(
            [
                {
                    "child_id": n.child_id,
                    "asking_municipality": n.asking_municipality,
                    "asked_by": n.asked_by,
                    "contact": n.contact,
                    "purpose": n.purpose,
                    "asked_at": n.asked_at.isoformat(),
                }
                for n in stored
            ]
        )


@app.command()
def run(
    interval: Annotated[
        float,
        typer.Option(
            help=f"Sekunder mellan varven (1-{MAX_INTERVAL}).",
            callback=number_between("--interval", 1, MAX_INTERVAL),
        ),
    ] = 60.0,
) -> None:
    """Synka, skicka och hämta aviseringar i en slinga, varje intervall (kommunens jobb)."""
    while True:
        for step in (sync, send, notices):
            with contextlib.suppress(typer.Exit):  # the step printed its error; try next round
                step()
        time.sleep(interval)
