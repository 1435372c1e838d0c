"""Identity numbers never reach a log line."""

from __future__ import annotations

import pytest

from barnskydd.core.logging import REDACTED, path_only, redact_identity_numbers


@pytest.mark.parametrize(
    "number",
    ["20150916-9874", "201509169874", "150916-9874", "1509169874", "150916+9874", "20150916R001"],
)
def test_identity_numbers_in_any_form_are_redacted(number: str) -> None:
    event = redact_identity_numbers(None, "info", {"event": f"sökte {number} i registret"})
    assert number not in event["event"]
    assert REDACTED in event["event"]


def test_other_numbers_are_left_alone() -> None:
    event = {"event": "ärende BU-2025-000123 läst", "count": 12345678901234}
    assert redact_identity_numbers(None, "info", dict(event)) == event


def test_the_access_log_never_shows_a_one_time_answering_code() -> None:
    shown = path_only("/rost/l/Zk3-q9_hemlig?x=1")
    assert shown == "/rost/l/[kod borttagen]"
    assert path_only("/arenden/BU-2025-000001/rost/3/svar") == "/arenden/BU-2025-000001/rost/3/svar"
