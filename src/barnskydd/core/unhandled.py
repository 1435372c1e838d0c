"""An unhandled error's log line names the code, never the input (ASGI middleware).

A 500 is logged by the server (uvicorn: "Exception in ASGI application" and the traceback).
The messages of the exceptions in that traceback can quote what was typed: a ValueError
repeats the text it could not parse, a Pydantic error its input_value, a driver error the
statement's parameters. This middleware replaces the error, on its way to the server, by one
that carries the place only: the exception types of the chain and the stack (file, line,
function and source line: code, not data). The server still answers 500 and logs it.
"""

from __future__ import annotations

import traceback

from starlette.types import ASGIApp, Receive, Scope, Send


class UnhandledError(Exception):
    """Stands in for an unhandled error: where it happened, without any exception's message."""


def describe(error: BaseException) -> str:
    """Return the exception chain's types and stack frames, without their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message left out)\n{frames}")
        current = current.__cause__ or current.__context__
    return "\n".join(parts).rstrip()


class ScrubUnhandled:
    """Re-raise any unhandled error as an UnhandledError that holds no input."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the lifespan's errors (startup) carry no request
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except UnhandledError:
            raise
        except Exception as error:  # every error: none may carry input to a log
            raise UnhandledError(describe(error)) from None
