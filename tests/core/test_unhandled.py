"""An unhandled error reaches the server's log as its place in the code, never its input."""

from __future__ import annotations

import traceback

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from barnskydd.core.unhandled import ScrubUnhandled, UnhandledError
from tests.web.conftest import TestClient

MARK = "MARKERAT-VÄRDE-4711"


async def broken(request: Request) -> Response:
    form = await request.form()
    # A failure that quotes its input, as int(), Pydantic and the database drivers do.
    try:
        int(str(form["id"]))
    except ValueError as error:
        raise RuntimeError(f"could not use {form['id']}") from error
    return Response("ok")


def app() -> Starlette:
    service = Starlette(routes=[Route("/", broken, methods=["POST"])])
    service.add_middleware(ScrubUnhandled)
    return service


def test_the_error_names_the_place_and_the_types_without_any_message() -> None:
    with TestClient(app()) as client, pytest.raises(UnhandledError) as raised:
        client.post("/", data={"id": MARK})
    # What uvicorn logs for an error that reaches it: the formatted exception and its chain.
    printed = "".join(traceback.format_exception(raised.value))
    assert "test_unhandled.py" in printed
    assert "in broken" in printed
    assert "builtins.RuntimeError" in printed
    assert "builtins.ValueError" in printed
    assert MARK not in printed


def test_the_desk_scrubs_unhandled_errors() -> None:
    from barnskydd.core.settings import Mode, Settings
    from barnskydd.web.app import create_app

    desk = create_app(Settings(mode=Mode.DEMO, database_url="sqlite:///:memory:"))
    assert isinstance(desk.build_middleware_stack(), ScrubUnhandled)
