"""What every command shares: one transaction per command, domain errors to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from barnskydd.audit.purpose import check_purpose
from barnskydd.cases.models import Case
from barnskydd.core import messages
from barnskydd.core.actor import SYSTEM, Actor
from barnskydd.core.bounds import FIRST_DAY, INT32_MAX, LAST_DAY, in_day_range
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from barnskydd.core.settings import get_settings
from barnskydd.staff import deployment

EXIT_INVALID = 2
EXIT_NOT_FOUND = 3
EXIT_DENIED = 4

CaseNumber = Annotated[str, typer.Argument(help="Ärendenummer, t.ex. BU-2025-000123.")]
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


# The purpose a change's read of its case is audited with, as on the desk and the API.
WRITE_PURPOSE = "handläggning"


def open_case(
    session: Session, as_user: str, case_number: str, purpose: str = WRITE_PURPOSE
) -> tuple[Actor, Case]:
    """Return the actor for --as and the case it reads (audited with the purpose)."""
    from barnskydd.cases import service as cases

    who = actor(session, as_user)
    return who, cases.get_by_number(session, actor=who, case_number=case_number, purpose=purpose)


def checked_purpose(purpose: str) -> str:
    """Return --purpose once it passes the one purpose rule, or exit 2 naming the option."""
    try:
        return check_purpose(purpose)
    except InvalidInput as error:
        fail(f"{error.message} (--purpose)")


def _in_range(day: dt.date, option: str) -> None:
    if not in_day_range(day):
        fail(f"{option}: ange ett datum mellan {FIRST_DAY} och {LAST_DAY}.")


def parse_date(value: str, option: str) -> dt.date:
    """Parse YYYY-MM-DD between FIRST_DAY and LAST_DAY, or exit 2 naming the option."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' är inget giltigt datum (ÅÅÅÅ-MM-DD).")
    _in_range(day, option)
    return day


def parse_datetime(value: str, option: str) -> dt.datetime:
    """Parse an ISO time (years as parse_date); a time without zone is Swedish local time."""
    from barnskydd.core.clock import SWEDEN

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' är ingen giltig tidpunkt (ÅÅÅÅ-MM-DDTTT:MM).")
    _in_range(moment.date(), option)
    return moment if moment.tzinfo else moment.replace(tzinfo=SWEDEN)


def number_between(
    option: str, low: float, high: float, *, above_low: bool = False
) -> Callable[[float | None], float | None]:
    """Return a Typer callback: a finite number from low (or above it) to high, else exit 2.

    Click's own ranges let nan through (no comparison with nan is false) and take inf as a
    number; this refuses both, naming the option in Swedish.
    """

    def check(value: float | None) -> float | None:
        if value is None:
            return None
        low_ok = value > low if above_low else value >= low
        if not (math.isfinite(value) and low_ok and value <= high):
            lowest = f"större än {low:g}" if above_low else f"minst {low:g}"
            fail(f"{option}: ange ett tal {lowest} och högst {high:g}.")
        return value

    return check


def whole_number_between(option: str, low: int, high: int) -> Callable[[int | None], int | None]:
    """Return a Typer callback: an integer from low to high, else exit 2 naming the option."""

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            fail(f"{option}: ange ett heltal från {low} till {high}.")
        return value

    return check


def existing_file(option: str) -> Callable[[Path], Path]:
    """Return a Typer callback: a file that exists, else exit 2 naming the option."""

    def check(value: Path) -> Path:
        if not value.is_file():
            fail(f"{option}: filen {value} finns inte.")
        return value

    return check


SEED_CHECK = whole_number_between("--seed", 0, INT32_MAX)
MAX_INTERVAL = 86_400  # seconds: a day between rounds of a repeating job
MAX_RATE = 1_000_000.0  # items per second: more than any service here can serve
RATE_CHECK = number_between("--rate", 0, MAX_RATE, above_low=True)
BURST_CHECK = whole_number_between("--burst", 1, INT32_MAX)
DAILY_CHECK = whole_number_between("--daily", 1, INT32_MAX)


def print_json(data: Any) -> None:
    """Print JSON to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
