"""The steps' input models: strict for the API, text mode for the desk and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from barnskydd.cases.chain import inputs as i
from barnskydd.core import messages
from barnskydd.core.clock import SWEDEN


def _errors(error: pytest.ExceptionInfo[ValidationError], *, desk: bool = False) -> dict[str, str]:
    return messages.field_errors(error.value.errors(), choices_shown=desk)


def test_an_end_reason_over_200_characters_is_refused_in_swedish_never_cut() -> None:
    fields = {"intervention_id": 1, "ended_on": dt.date(2025, 10, 1), "reason": "x" * 201}
    with pytest.raises(ValidationError) as strict:
        i.EndIntervention.model_validate(fields)
    assert _errors(strict) == {"reason": "Högst 200 tecken."}
    text = {"intervention_id": "1", "ended_on": "2025-10-01", "reason": "x" * 201}
    with pytest.raises(ValidationError) as typed:
        i.EndIntervention.from_text(text)
    assert _errors(typed, desk=True) == {"reason": "Högst 200 tecken."}
    assert i.EndIntervention.from_text({**text, "reason": "x" * 200}).reason == "x" * 200


def test_text_mode_reads_ja_nej_and_a_datetime_local_as_swedish_time() -> None:
    data = i.AssessProtection.from_text(
        {"assessed_at": "2025-06-19T11:00", "immediate_protection_needed": "ja", "notes": " "}
    )
    assert data.assessed_at == dt.datetime(2025, 6, 19, 11, 0, tzinfo=SWEDEN)
    assert data.immediate_protection_needed is True
    assert data.notes == ""
    with pytest.raises(ValidationError) as unchosen:
        i.AssessProtection.from_text({"assessed_at": "2025-06-19T11:00"})
    assert _errors(unchosen, desk=True) == {"immediate_protection_needed": "Välj ja eller nej."}


def test_the_api_takes_only_json_types() -> None:
    with pytest.raises(ValidationError) as loose:
        i.AssessProtection.model_validate(
            {"assessed_at": "2025-06-19T11:00", "immediate_protection_needed": "ja"}
        )
    assert _errors(loose) == {
        "assessed_at": i.MSG_MOMENT,
        "immediate_protection_needed": "Ange true eller false.",
    }
    with pytest.raises(ValidationError) as text_id:
        i.EndIntervention.model_validate(
            {"intervention_id": "1", "ended_on": "2025-10-01", "reason": "Klar"}
        )
    assert _errors(text_id) == {"intervention_id": "Ange ett heltal."}


def test_a_non_number_intervention_id_is_a_swedish_refusal() -> None:
    with pytest.raises(ValidationError) as error:
        i.EndIntervention.from_text(
            {"intervention_id": "abc", "ended_on": "2025-10-01", "reason": "Klar"}
        )
    assert _errors(error, desk=True) == {"intervention_id": "Välj ett av alternativen."}
    assert _errors(error) == {"intervention_id": "Ange ett heltal."}


def test_an_empty_optional_field_is_left_out_and_a_required_one_named() -> None:
    data = i.DecidePreliminary.from_text(
        {"decided_on": "2025-07-01", "outcome": "not_opened", "transferred_to": "", "notes": ""}
    )
    assert data.transferred_to is None
    with pytest.raises(ValidationError) as error:
        i.DecidePreliminary.from_text({"decided_on": "", "outcome": ""})
    assert _errors(error, desk=True) == {
        "decided_on": i.MSG_DAY,
        "outcome": "Välj ett av alternativen.",
    }


def test_the_desks_one_bbic_choice_is_split_into_side_and_area() -> None:
    data = i.RecordBbic.from_text({"area": "child_development:health", "text": "Text"})
    assert (data.side, data.area) == ("child_development", "health")
    separate = i.RecordBbic.from_text({"side": "child_development", "area": "health", "text": ""})
    assert (separate.side, separate.area) == (data.side, data.area)


def test_nul_is_refused_on_every_text_field() -> None:
    with pytest.raises(ValidationError) as error:
        i.FollowUp.from_text(
            {"followed_up_on": "2025-10-01", "notes": "a\x00b", "voice_status": "declined_by_child"}
        )
    assert _errors(error) == {"notes": i.MSG_NUL}
