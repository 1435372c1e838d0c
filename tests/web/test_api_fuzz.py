"""The API fuzzed with schemathesis against its own OpenAPI document, in-process (ASGI).

Every operation gets schema-valid and schema-invalid requests from a logged-in case worker
with the CSRF header, each step on a real case in a status that allows it, so that requests
get past the transition table to the step's own checks. Checked: no 5xx, only documented
statuses and content types, bodies that match their response schema, and schema-invalid
input refused. Not checked: that schema-valid input is accepted (positive_data_acceptance),
since the domain refuses much that JSON Schema cannot say (check digits, dates relative to
today and to earlier steps, the transition table).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.strategies import SearchStrategy
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.settings import Settings
from barnskydd.web.api.deps import SESSION_COOKIE
from barnskydd.web.app import create_app
from barnskydd.web.security import CSRF_HEADER
from tests.web.conftest import TestClient
from tests.web.test_api import Caller, caller, register

MAX_EXAMPLES = 10  # per operation and mode: about 300 requests, about half a minute per dialect
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# The case (by the status it is left in) that each operation is sent to.
TARGETS = {
    "assess_protection": "awaiting_protection_assessment",
    "decide_preliminary": "preliminary_assessment",
    "record_bbic": "investigation",
    "extend_investigation": "investigation",
    "decide_intervention": "investigation",
    "refuse_intervention": "investigation",
    "complete_investigation": "investigation",
    "end_intervention": "follow_up",
    "follow_up": "follow_up",
    "close": "follow_up",
}


def _cases_by_status(api: Caller) -> dict[str, str]:
    """Register four cases and take them to four statuses; return their numbers by status."""
    day = today().isoformat()
    now = dt.datetime.now(SWEDEN).isoformat(timespec="seconds")
    numbers = {status: register(api) for status in set(TARGETS.values())}
    for status, number in numbers.items():
        if status == "awaiting_protection_assessment":
            continue
        api.step(number, "assess_protection", assessed_at=now, immediate_protection_needed=False)
        if status == "preliminary_assessment":
            continue
        api.step(number, "decide_preliminary", decided_on=day, outcome="investigation_opened")
        if status == "investigation":
            continue
        decided = api.step(
            number, "decide_intervention", category="open_care", legal_basis="sol", decided_on=day
        )
        api.step(number, "complete_investigation", completed_on=day, outcome="interventions")
        api.step(number, "follow_up", followed_up_on=day, voice_status="declined_by_child")
        intervention = decided.json()["interventions"][0]["id"]
        ended = api.step(
            number, "end_intervention", intervention_id=intervention, ended_on=day, reason="Klart"
        )
        assert ended.json()["status"] == status, ended.text
    return numbers


def _run(strategy: SearchStrategy[schemathesis.Case]) -> None:
    @given(case=strategy)
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # a fixed seed: the same requests on every run
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


def test_fuzzed_requests_get_no_server_error_and_documented_answers(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        api = caller(client, "handlaggare")
        numbers = _cases_by_status(api)
        cookie = client.cookies[SESSION_COOKIE]
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            fixed: dict[str, Any] = {
                "headers": {CSRF_HEADER: api.headers[CSRF_HEADER]},
                "cookies": {SESSION_COOKIE: cookie},
            }
            if "{case_number}" in operation.path:
                status = TARGETS.get(operation.path.rsplit("/", 1)[-1], "investigation")
                fixed["path_parameters"] = {"case_number": numbers[status]}
            _run(operation.as_strategy(schemathesis.GenerationMode.POSITIVE, **fixed))
            if operation.query or operation.body:  # else nothing is left to make invalid
                _run(operation.as_strategy(schemathesis.GenerationMode.NEGATIVE, **fixed))
    finally:
        asgi.shutdown_lifespans()
