"""Logging that carries no personal data: structlog for the app's events, and the servers'
own logs (uvicorn's error and access logs, the standard library's loggers) through filters.

- the access log shows the path without its query string (a query may hold anything a client
  put in it), with anything shaped like an identity number in the path redacted;
- every other record has identity numbers redacted, and an exception's message (which may
  quote the input, as Pydantic's do) replaced by its type: the traceback's frames stay;
- fpdf2 and fontTools, which name the characters of a text they cannot show, log errors only.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import MutableMapping
from typing import Any

import structlog

from barnskydd.core.unhandled import UnhandledError

# 10 or 12 digits with an optional - or + before the last four: any personnummer,
# samordningsnummer or reserve number shape. Redacted wherever it appears in an event.
IDENTITY_PATTERN = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?(?:\d{4}|R\d{3})(?!\d)")
REDACTED = "[personnummer borttaget]"
WITHHELD = "[meddelandet utelämnat]"


def redact_identity_numbers(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace anything shaped like an identity number in every string value of the event."""
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = IDENTITY_PATTERN.sub(REDACTED, value)
    return event


def configure(level: str = "INFO") -> None:
    """Configure structlog to write key-value lines to stderr, redacting identity numbers."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_identity_numbers,
            structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"]),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=_stderr()),
        cache_logger_on_first_use=True,
    )


def _stderr() -> Any:
    import sys

    return sys.stderr


# A path segment that is a credential: the child's one-time answering link (/rost/l/{code},
# docs/voice.md). Whoever read it in a log could answer in the child's place.
SECRET_SEGMENT = re.compile(r"(?<=/rost/l/)[^/]+")
CODE_REDACTED = "[kod borttagen]"


def path_only(full_path: str) -> str:
    """Return a request target without its query string, identity numbers and codes redacted."""
    path = SECRET_SEGMENT.sub(CODE_REDACTED, full_path.split("?", 1)[0])
    return IDENTITY_PATTERN.sub(REDACTED, path)


class AccessLogFilter(logging.Filter):
    """uvicorn's access records: the path without the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], path_only(args[2]), args[3], args[4])
        return True


class RedactFilter(logging.Filter):
    """Every other record: identity numbers redacted, exceptions by type and frames only."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = IDENTITY_PATTERN.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = "".join(traceback.format_tb(error.__traceback__))
            kind = f"{type(error).__module__}.{type(error).__qualname__}"
            # An UnhandledError's message is the place of the error it stands in for (types and
            # frames, core.unhandled.describe), never input: it is what makes a 500 findable.
            said = str(error) if isinstance(error, UnhandledError) else WITHHELD
            record.exc_text = f"Traceback (most recent call last):\n{frames}{kind}: {said}"
        return True


def server_log_config(level: str = "INFO") -> dict[str, Any]:
    """Return the dictConfig for a server process (uvicorn, or gunicorn's uvicorn workers).

    uvicorn's own formats (uvicorn.config.LOGGING_CONFIG), with the filters on the handlers,
    so that records propagated from any logger pass them; the standard library's other
    loggers (the app's, httpx, SQLAlchemy's warnings) reach the same redacting handler.
    """
    this = f"{__name__}"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": f"{this}.RedactFilter"},
            "access": {"()": f"{this}.AccessLogFilter"},
        },
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(message)s",
                "use_colors": False,
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
                "use_colors": False,
            },
        },
        "handlers": {
            "default": {
                "formatter": "default",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "filters": ["redact"],
            },
            "access": {
                "formatter": "access",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["access"],
            },
        },
        "root": {"handlers": ["default"], "level": "WARNING"},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "barnskydd": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "fpdf": {"level": "ERROR"},
            "fontTools": {"level": "ERROR"},
        },
    }
