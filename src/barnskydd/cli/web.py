"""barnskydd serve: run the web app with uvicorn on the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from barnskydd.core.settings import Mode, get_settings


def serve(
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Antal processer.")] = 1,
) -> None:
    """Serve the social worker's desk (demo accounts have password 'demo' in demo mode only)."""
    import uvicorn

    settings = get_settings()
    if settings.mode is Mode.DEMO:
        typer.echo(
            "Demoläge: kontona handlaggare, arbetsledare, analytiker och admin "
            "har lösenordet 'demo'."
        )
    typer.echo(f"Barnskydd på http://{host}:{port}")
    uvicorn.run(
        "barnskydd.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )
