"""What every command shares: one transaction per command, domain errors to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from barnskydd.core import messages
from barnskydd.core.actor import SYSTEM, Actor
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import DomainError, NotFound, PermissionDenied
from barnskydd.core.settings import get_settings
from barnskydd.staff import deployment

EXIT_INVALID = 2
EXIT_NOT_FOUND = 3
EXIT_DENIED = 4

UserOption = typer.Option(
    "system",
    "--as",
    envvar="BARNSKYDD_CLI_USER",
    help="Användarnamn som kommandot körs som (revisionsloggen visar det).",
)


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error to stderr and exit with the given code."""
    typer.echo(f"fel: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def command_session() -> Iterator[Session]:
    """Open the configured database for one command: commit on success, else roll back.

    Refuses (exit 2) when BARNSKYDD_MUNICIPALITY_CODE names another municipality than the
    database serves, or the database cannot tell which one it serves.
    """
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(session_factory(engine)) as session:
            deployment.agree(session, configured=settings.municipality_code)
            yield session
    except PermissionDenied as error:
        fail(error.message, EXIT_DENIED)
    except NotFound as error:
        fail(error.message, EXIT_NOT_FOUND)
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        fail(f"{error.message}{where}")
    except ValidationError as error:
        fail(validation_message(error))
    finally:
        engine.dispose()


def validation_message(error: ValidationError, *, names: Mapping[str, str] | None = None) -> str:
    """Turn a Pydantic error into one Swedish line per field, naming the field (or option)."""
    fields = messages.field_errors(error.errors(), whole="indata")
    return "; ".join(f"{(names or {}).get(f, f)}: {m}" for f, m in fields.items())


def actor(session: Session, username: str) -> Actor:
    """Return the actor for --as: a staff member, or the system job."""
    from barnskydd.staff import service as staff

    if username == SYSTEM.username:
        return SYSTEM
    return staff.actor_for(staff.get_by_username(session, username=username))


def parse_date(value: str, option: str) -> dt.date:
    """Parse YYYY-MM-DD or exit 2 naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' är inget giltigt datum (ÅÅÅÅ-MM-DD).")


def parse_datetime(value: str, option: str) -> dt.datetime:
    """Parse an ISO time; a time without zone is Swedish local time."""
    from barnskydd.core.clock import SWEDEN

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' är ingen giltig tidpunkt (ÅÅÅÅ-MM-DDTTT:MM).")
    return moment if moment.tzinfo else moment.replace(tzinfo=SWEDEN)


def print_json(data: Any) -> None:
    """Print JSON to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
