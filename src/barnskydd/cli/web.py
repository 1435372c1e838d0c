"""barnskydd serve: run the web app on the configured database, in one or several processes."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Annotated, Any

import typer

from barnskydd.cli._common import command_session, fail, whole_number_between
from barnskydd.core.logging import server_log_config
from barnskydd.core.settings import Mode, get_settings
from barnskydd.staff.passwords import DEMO_USERNAMES

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
    """Kör handläggarens skrivbord (demokontona har lösenordet 'demo', bara i demoläge).

    I produktionsläge startar den inte så länge ett konto har demolösenordet.
    """
    settings = get_settings()
    with command_session():  # refuses a database of another municipality than the setting's
        pass
    if settings.mode is Mode.PRODUCTION:
        _refuse_demo_passwords()
    if settings.mode is Mode.DEMO:
        *rest, last = DEMO_USERNAMES
        typer.echo(f"Demoläge: kontona {', '.join(rest)} och {last} har lösenordet 'demo'.")
    typer.echo(f"Barnskydd på http://{host}:{port}")
    level = settings.log_level.lower()
    logging.captureWarnings(True)  # a library's warnings pass the same filters as its logs
    transcribers = _start_dictation_workers()
    try:
        _serve(host, port, workers, level)
    finally:
        for process in transcribers:
            process.terminate()
        for process in transcribers:
            process.wait(timeout=30)


def _start_dictation_workers() -> list[subprocess.Popen[bytes]]:
    """Start the setting's number of `barnskydd dictation worker` processes, if a model is set."""
    from barnskydd.dictation.engine import check_model

    settings = get_settings()
    check = check_model(settings.dictation_model_dir)
    if not check.ok or settings.dictation_workers == 0:
        typer.echo(
            check.message or "Diktering: inga arbetsprocesser (BARNSKYDD_DICTATION_WORKERS=0)."
        )
        return []
    typer.echo(
        f"Diktering: {settings.dictation_workers} arbetsprocess(er), modell {check.directory}."
    )
    command = [sys.executable, "-m", "barnskydd", "dictation", "worker"]
    return [subprocess.Popen(command) for _ in range(settings.dictation_workers)]  # noqa: S603


def _serve(host: str, port: int, workers: int, level: str) -> None:
    if workers == 1:
        import uvicorn

        uvicorn.run(
            "barnskydd.web.asgi:app",
            host=host,
            port=port,
            log_level=level,
            log_config=server_log_config(level),
            proxy_headers=False,
        )
    else:
        _serve_processes(host, port, workers, level)


def _refuse_demo_passwords() -> None:
    """Exit 2, before any worker starts, while an account still has the demo password."""
    from barnskydd.staff.passwords import DemoPasswordsLeft, refuse_demo_passwords

    try:
        with command_session() as session:
            refuse_demo_passwords(session, settings=get_settings())
    except DemoPasswordsLeft as error:
        fail(str(error))


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
                "accesslog": None,  # one process per core serves the bench: no access log
                "logconfig_dict": server_log_config(level),
                "proc_name": "barnskydd",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from barnskydd.web.asgi import app  # in each worker, after the fork

            return app

    Desk().run()
