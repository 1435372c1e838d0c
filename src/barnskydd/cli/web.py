"""barnskydd serve: run the web app on the configured database, in one or several processes."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from barnskydd.cli._common import whole_number_between
from barnskydd.core.settings import Mode, get_settings

MAX_WORKERS = 64


def serve(
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help=f"Antal processer (1-{MAX_WORKERS}).",
            callback=whole_number_between("--workers", 1, MAX_WORKERS),
        ),
    ] = 1,
) -> None:
    """Serve the social worker's desk (demo accounts have password 'demo' in demo mode only)."""
    settings = get_settings()
    if settings.mode is Mode.DEMO:
        typer.echo(
            "Demoläge: kontona handlaggare, arbetsledare, analytiker och admin "
            "har lösenordet 'demo'."
        )
    typer.echo(f"Barnskydd på http://{host}:{port}")
    level = settings.log_level.lower()
    if workers == 1:
        import uvicorn

        uvicorn.run(
            "barnskydd.web.asgi:app", host=host, port=port, log_level=level, proxy_headers=False
        )
    else:
        _serve_processes(host, port, workers, level)


def _serve_processes(host: str, port: int, workers: int, level: str) -> None:
    """Run uvicorn workers under gunicorn, each accepting on its own SO_REUSEPORT socket.

    uvicorn's own --workers share one listening socket, and whichever process wakes first
    accepts a whole burst of connections; browsers keep theirs open, so under the bench's 50
    users one process served every request while the other idled. With a socket per process
    the kernel spreads the connections evenly.
    """
    from gunicorn.app.base import BaseApplication

    class Desk(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "uvicorn_worker.UvicornWorker",
                "reuse_port": True,
                "loglevel": level,
                "accesslog": None,
                "proc_name": "barnskydd",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from barnskydd.web.asgi import app  # in each worker, after the fork

            return app

    Desk().run()
