"""barnskydd dictation ...: the dictation worker and the check of the installed model."""

from __future__ import annotations

import logging
import logging.config
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from barnskydd.cli._common import EXIT_INVALID, fail
from barnskydd.core.logging import server_log_config
from barnskydd.core.settings import get_settings

app = typer.Typer(help="Diktering: taligenkänning på kommunens egen server.", no_args_is_help=True)
log = logging.getLogger("barnskydd.dictation")

ModelDir = Annotated[
    Path | None,
    typer.Option(help="Modellkatalogen (annars inställningen BARNSKYDD_DICTATION_MODEL_DIR)."),
]


def _checked(model_dir: Path | None) -> Any:
    from barnskydd.dictation.engine import check_model

    check = check_model(model_dir or get_settings().dictation_model_dir)
    if not check.ok:
        fail(check.message, EXIT_INVALID)
    return check


@app.command("check-model")
def check_model_command(
    model_dir: ModelDir = None,
    load: Annotated[bool, typer.Option(help="Ladda också modellen (tar några sekunder).")] = True,
) -> None:
    """Kontrollera modellkatalogen: filerna som behövs och deras sha256.

    Avslutar med kod 2 och ett meddelande när en fil saknas eller ingen katalog är inställd.
    """
    check = _checked(model_dir)
    for name, digest in check.sha256().items():
        typer.echo(f"{digest}  {name}")
    if load:
        from barnskydd.dictation.engine import WhisperTranscriber

        try:
            WhisperTranscriber(check.directory).load()
        except Exception as error:  # a directory with the files that CTranslate2 still refuses
            fail(f"Modellen kunde inte laddas ({type(error).__name__}).", EXIT_INVALID)
        typer.echo("Modellen laddades.")


@app.command()
def worker(
    model_dir: ModelDir = None,
    once: Annotated[
        bool, typer.Option(help="Töm kön och avsluta i stället för att vänta.")
    ] = False,
) -> None:
    """Transkribera köade dikteringar, en i taget, tills processen stoppas.

    Startas av `barnskydd serve` när en modell är inställd, eller för sig (fler på en större
    server: en per två kärnor). Kön ligger i databasen: en diktering överlever en omstart.
    """
    from barnskydd.core.db import make_engine, session_factory
    from barnskydd.dictation import worker as dictation_worker
    from barnskydd.dictation.engine import WhisperTranscriber

    settings = get_settings()
    if not logging.getLogger().handlers:  # a process of its own: the server's redacting log
        logging.config.dictConfig(server_log_config(settings.log_level.lower()))
    check = _checked(model_dir)
    for name, digest in check.sha256().items():
        log.info("dictation model %s sha256 %s", name, digest)
    transcriber = WhisperTranscriber(
        check.directory, beam_size=settings.dictation_beam_size, threads=settings.dictation_threads
    )
    transcriber.load()
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    timeout = float(settings.dictation_timeout_seconds)
    try:
        if once:
            while dictation_worker.run_one(factory, transcriber, timeout=timeout) is not None:
                pass
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        typer.echo("Dikteringen väntar på inspelningar.")
        dictation_worker.run(factory, transcriber, timeout=timeout, stop=stop)
    finally:
        engine.dispose()
