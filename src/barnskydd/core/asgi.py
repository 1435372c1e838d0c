"""Plain ASGI middleware shared by the desk and the national services: headers and body size.

Plain ASGI rather than @app.middleware("http"), whose BaseHTTPMiddleware runs each request in
an extra task and stream, a measurable share of a short request's time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class SecurityHeaders:
    """Add headers to every response the wrapped app sends, errors and server errors included.

    Wrapped around the whole app (outside Starlette's ServerErrorMiddleware), it also reaches
    the 500 answer to an unhandled exception. `cacheable(scope, status)` names the responses
    that may be kept by the browser: they get the headers without `Cache-Control: no-store`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        headers: Mapping[str, str],
        cacheable: Callable[[Scope, int], bool] = lambda _scope, _status: False,
    ) -> None:
        self.app = app
        self.headers = dict(headers)
        self.cacheable = cacheable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(self.headers)
                if not self.cacheable(scope, int(message["status"])):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    """The request body has grown over the limit while it was received."""


class BodyLimit:
    """Answer `too_large(scope)` (a 413) to a request whose body is over max_bytes.

    `max_bytes` is one limit for every request, or a function of the request's scope, so that
    a route which takes files (an upload) has a larger limit and no other route does.

    A declared Content-Length over the limit is refused before the app runs. A body without
    one (Transfer-Encoding: chunked) is counted while the app receives it: the chunk that goes
    over the limit raises in the app's `receive`, whatever the app then answers (FastAPI turns a
    failed body read into a 400, a form parser into a 500) is dropped, the exception is
    swallowed, and the 413 is sent instead. It works inside or outside ServerErrorMiddleware.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int | Callable[[Scope], int],
        too_large: Callable[[Scope], Response],
    ) -> None:
        self.app = app
        self.limit = max_bytes if callable(max_bytes) else lambda _scope: max_bytes
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            await self.too_large(scope)(scope, receive, send)
            return
        seen = 0
        over = started = False

        async def counted() -> Message:
            nonlocal seen, over
            if over:  # asked again after the refusal: the client is gone as far as we care
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the app's answer to the failed read; the 413 goes out below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self.too_large(scope)(scope, receive, send)
