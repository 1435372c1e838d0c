"""The servers' log filters: no query string, no identity number, no exception message."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest

from barnskydd.core.logging import server_log_config
from barnskydd.core.unhandled import UnhandledError, describe
from tests.factories import CHILD_PNR

NAME = "Saga Lind"


@pytest.fixture
def streams(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """The server's log configuration, writing to two buffers instead of stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "barnskydd", "fpdf", "fontTools")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level) for n in names}
    propagate = {n: logging.getLogger(n).propagate for n in names}
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    logging.config.dictConfig(server_log_config("info"))
    yield out, err
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.level, logger.propagate = handlers, level, propagate[name]
    root.handlers, root.level = saved_root


def test_the_access_log_has_the_path_without_query_or_number(
    streams: tuple[io.StringIO, io.StringIO],
) -> None:
    out, _ = streams
    access = logging.getLogger("uvicorn.access")
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/sok?query=Saga", "1.1", 200)
    number = CHILD_PNR.replace("-", "")
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", f"/arenden/{number}", "1.1", 404)
    logged = out.getvalue()
    assert '"GET /sok HTTP/1.1" 200' in logged
    assert "Saga" not in logged
    assert number not in logged
    assert "/arenden/[personnummer borttaget]" in logged


def test_an_exception_is_logged_by_type_and_frames_without_its_message(
    streams: tuple[io.StringIO, io.StringIO],
) -> None:
    _, err = streams
    message = f"input_value='{NAME}' {CHILD_PNR}"  # the frame shows this line, not the values
    try:
        raise ValueError(message)
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    logging.getLogger("barnskydd.web").warning("kontroll av %s", CHILD_PNR)
    logged = err.getvalue()
    assert "Exception in ASGI application" in logged
    assert "builtins.ValueError: [meddelandet utelämnat]" in logged
    assert "test_server_logging.py" in logged  # the frames are kept
    assert NAME not in logged
    assert CHILD_PNR not in logged
    assert "kontroll av [personnummer borttaget]" in logged


def test_an_unhandled_error_keeps_the_place_of_what_it_stands_in_for(
    streams: tuple[io.StringIO, io.StringIO],
) -> None:
    _, err = streams
    try:
        try:
            raise TimeoutError(f"QueuePool limit reached for {NAME} {CHILD_PNR}")
        except TimeoutError as error:
            raise UnhandledError(describe(error)) from None
    except UnhandledError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    logged = err.getvalue()
    assert "builtins.TimeoutError (message left out)" in logged  # the cause is named
    assert "test_server_logging.py" in logged
    assert NAME not in logged
    assert CHILD_PNR not in logged
