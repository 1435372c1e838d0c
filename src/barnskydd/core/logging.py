"""Structured logging (structlog) that never lets an identity number through."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

# 10 or 12 digits with an optional - or + before the last four: any personnummer,
# samordningsnummer or reserve number shape. Redacted wherever it appears in an event.
IDENTITY_PATTERN = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?(?:\d{4}|R\d{3})(?!\d)")
REDACTED = "[personnummer borttaget]"


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
