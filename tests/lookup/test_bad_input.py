"""The national services refuse bad input with a 4xx, on SQLite and PostgreSQL, and log none of it.

Two kinds of test: each known instance (integers beyond PostgreSQL's integer or beyond 64
bits, NUL and lone surrogates in text, NaN and infinities, dates near year 9999) sent on
purpose, each answered 4xx with nothing stored; and schemathesis over both services' own
OpenAPI documents, schema-valid and schema-invalid requests, none answered 5xx.
"""

from __future__ import annotations

import gc
import json
import logging
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.strategies import SearchStrategy
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import negative_data_rejection

from barnskydd.core.unhandled import ScrubUnhandled
from barnskydd.lookup import keys as keyring
from barnskydd.lookup.auth import INDEX, PSEUDONYMISER, Registry, Signer
from barnskydd.lookup.index_app import create_app as create_index
from barnskydd.lookup.index_models import Entry, LookupLog, Notification
from barnskydd.lookup.pseudonymiser import create_app as create_pseudonymiser
from tests.lookup.conftest import A, TestClient, limiter
from tests.lookup.test_index import count, entry

MAX_EXAMPLES = 15  # per operation and mode: about 150 requests per service and dialect
CHECKS = [not_a_server_error, negative_data_rejection]
MARK = "MARKERAT-VÄRDE-4711"  # typed into a request that fails: must not reach any log


def _send(client: TestClient, method: str, path: str, raw: str, headers: dict[str, str]) -> Any:
    """Send a raw JSON text (so that NaN, 1e400 and lone surrogates go as written)."""
    return client.request(
        method, path, content=raw, headers={**headers, "content-type": "application/json"}
    )


PSEUDONYM = secrets.token_hex(64)


def _entry_json(**fields: Any) -> str:
    return json.dumps({"entries": [entry(PSEUDONYM, **fields)]})


def _raw_number(body: dict[str, Any], number: str) -> str:
    """Return the body as JSON with the number written as given (NaN, 1e400) where "@" is."""
    return json.dumps(body).replace('"@"', number)


# (name, method, path, raw JSON body); every one must be refused with a 4xx.
INDEX_CASES: list[tuple[str, str, str, str]] = [
    ("key_version beyond integer", "PUT", "/v1/entries", _entry_json(key_version=2**31)),
    ("key_version beyond bigint", "PUT", "/v1/entries", _entry_json(key_version=2**63)),
    ("key_version beyond 64 bits", "PUT", "/v1/entries", _entry_json(key_version=2**70)),
    ("NUL in contact_unit", "PUT", "/v1/entries", _entry_json(contact_unit="Barn\x00unga")),
    ("lone surrogate in text", "PUT", "/v1/entries", _entry_json(contact_unit="Barn\ud800")),
    ("year 0 month", "PUT", "/v1/entries", _entry_json(latest_report_month="0000-01")),
    ("expiry in year 9999", "PUT", "/v1/entries", _entry_json(expires_on="9999-12-31")),
    (
        "NaN key_version",
        "PUT",
        "/v1/entries",
        _raw_number({"withdrawals": [{"key_version": "@", "pseudonym": PSEUDONYM}]}, "NaN"),
    ),
    (
        "infinite key_version",
        "PUT",
        "/v1/entries",
        _raw_number({"withdrawals": [{"key_version": "@", "pseudonym": PSEUDONYM}]}, "1e400"),
    ),
    (
        "withdrawal beyond bigint",
        "PUT",
        "/v1/entries",
        json.dumps({"withdrawals": [{"key_version": 2**63, "pseudonym": PSEUDONYM}]}),
    ),
    (
        "lookup beyond integer",
        "POST",
        "/v1/lookup",
        json.dumps(
            {
                "pseudonyms": [{"key_version": 2**31, "pseudonym": PSEUDONYM}],
                "purpose": "Förhandsbedömning",
                "asked_by": "Bo",
                "contact": "Söder",
            }
        ),
    ),
    (
        "NUL in purpose",
        "POST",
        "/v1/lookup",
        json.dumps(
            {
                "pseudonyms": [{"key_version": 1, "pseudonym": PSEUDONYM}],
                "purpose": "Förhands\x00bedömning",
                "asked_by": "Bo",
                "contact": "Söder",
            }
        ),
    ),
]
AFTER_CASES = [str(2**31), str(2**63), str(10**30), str(-(10**30)), "-1", "abc"]


@pytest.fixture
def index_client(index_url: str, registry: Registry) -> Iterator[TestClient]:
    """The index, answering a 500 as a 500 rather than raising it into the test."""
    app = create_index(index_url, registry, limiter())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("name", "method", "path", "raw"), INDEX_CASES, ids=[c[0] for c in INDEX_CASES]
)
def test_the_index_refuses_bad_input_with_4xx_and_stores_nothing(
    index_client: TestClient,
    signers: dict[str, Signer],
    name: str,
    method: str,
    path: str,
    raw: str,
) -> None:
    response = _send(index_client, method, path, raw, signers[A].headers(INDEX))
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
    assert isinstance(response.json()["detail"], str)
    assert [count(index_client, m) for m in (Entry, LookupLog, Notification)] == [0, 0, 0]


@pytest.mark.parametrize("after", AFTER_CASES)
def test_notifications_after_an_id_out_of_range_is_422(
    index_client: TestClient, signers: dict[str, Signer], after: str
) -> None:
    response = index_client.get(
        "/v1/notifications", params={"after": after}, headers=signers[A].headers(INDEX)
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("key_version", ["0", "-1", str(2**31), str(2**70), "NaN", "1e400"])
def test_the_pseudonymiser_refuses_key_versions_out_of_range(
    pseudonymiser: TestClient, signers: dict[str, Signer], key_version: str
) -> None:
    raw = _raw_number({"key_version": "@", "blinded_elements": ["00" * 32]}, key_version)
    response = _send(pseudonymiser, "POST", "/v1/evaluate", raw, signers[A].headers(PSEUDONYMISER))
    assert response.status_code == 422, response.text


def test_both_services_scrub_unhandled_errors(
    index_url: str, key_file: Path, registry: Registry
) -> None:
    index = create_index(index_url, registry, limiter())
    pseudonymiser = create_pseudonymiser(keyring.load(key_file), registry, limiter())
    for app in (index, pseudonymiser):
        assert ScrubUnhandled in [m.cls for m in app.user_middleware]


def _run(strategy: SearchStrategy[schemathesis.Case], sign: Callable[[], dict[str, str]]) -> None:
    @given(case=strategy)
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=sign(), checks=CHECKS)

    check()


def _fuzz(app: Any, sign: Callable[[], dict[str, str]]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            _run(operation.as_strategy(schemathesis.GenerationMode.POSITIVE), sign)
            if operation.query or operation.body:
                _run(operation.as_strategy(schemathesis.GenerationMode.NEGATIVE), sign)
    finally:
        asgi.shutdown_lifespans()


# Schemathesis abandons some requests mid-flight on PostgreSQL, and the connection they held is
# finalised by the garbage collector at a moment of its choosing (a ResourceWarning raised as
# an unraisable exception). The collector is run at the test's end, so that it happens here, under
# this test's filter, and not in whichever test comes next (the suite's timing decides which:
# the pseudonymiser's fuzz test below failed on it). What is asserted, no 5xx, is unaffected;
# the leak itself is an open issue (closing note of 2026-12-02).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_fuzzed_requests_to_the_index_get_no_server_error(
    index_url: str, registry: Registry, signers: dict[str, Signer]
) -> None:
    app = create_index(index_url, registry, limiter())
    try:
        _fuzz(app, lambda: signers[A].headers(INDEX))
    finally:  # the lifespan that would dispose of the engine is not run by schemathesis
        app.state.session_factory.kw["bind"].dispose()
        gc.collect()  # the abandoned connections are finalised now (see above)


def test_fuzzed_requests_to_the_pseudonymiser_get_no_server_error(
    key_file: Path, registry: Registry, signers: dict[str, Signer]
) -> None:
    app = create_pseudonymiser(keyring.load(key_file), registry, limiter())
    _fuzz(app, lambda: signers[A].headers(PSEUDONYMISER))


def test_refused_input_is_not_logged(
    index_client: TestClient, signers: dict[str, Signer], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    raw = _entry_json(contact_unit=f"{MARK}\x00", key_version=2**63)
    response = _send(index_client, "PUT", "/v1/entries", raw, signers[A].headers(INDEX))
    assert response.status_code == 422
    assert MARK not in response.text
    assert all(MARK not in record.getMessage() for record in caplog.records)
