"""The index: own entries only, idempotent upserts, same-shape answers, logs and notifications."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import func, select

from barnskydd.lookup.auth import INDEX, Signer
from barnskydd.lookup.index_models import Entry, LookupLog
from tests.lookup.conftest import UNKNOWN, A, B, TestClient


def pseudonym() -> str:
    """Return a random stand-in for an OPRF output (64 bytes, hex)."""
    return secrets.token_hex(64)


def entry(p: str, **overrides: Any) -> dict[str, Any]:
    """Return an entry body for pseudonym p."""
    fields = {
        "key_version": 1,
        "pseudonym": p,
        "latest_report_month": "2026-10",
        "status_class": "investigation_ongoing",
        "contact_unit": "Barn och unga Centrum",
        "expires_on": (dt.date.today() + dt.timedelta(days=1000)).isoformat(),
    }
    fields.update(overrides)
    return fields


def put(index: TestClient, signer: Signer, **body: Any) -> Any:
    """PUT entries as the signer's municipality."""
    return index.put("/v1/entries", json=body, headers=signer.headers(INDEX))


def ask(index: TestClient, signer: Signer, *pseudonyms: str) -> Any:
    """Look up pseudonyms as the signer's municipality."""
    body = {
        "pseudonyms": [{"key_version": 1, "pseudonym": p} for p in pseudonyms],
        "purpose": "Förhandsbedömning",
        "asked_by": "Bo Berg",
        "contact": "Socialtjänsten Stockholm, 08-000 00",
    }
    return index.post("/v1/lookup", json=body, headers=signer.headers(INDEX))


def count(index: TestClient, model: Any = Entry) -> int:
    """Return how many rows a table of the index holds."""
    with index.app.state.session_factory() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_child_published_by_a_is_found_by_b_and_a_is_notified(
    index: TestClient, signers: dict[str, Signer]
) -> None:
    child = pseudonym()
    assert put(index, signers[A], entries=[entry(child)]).json() == {"stored": 1, "withdrawn": 0}
    answer = ask(index, signers[B], child)
    assert answer.status_code == 200
    assert answer.json() == {
        "matches": [
            {
                "municipality_code": A,
                "latest_report_month": "2026-10",
                "status_class": "investigation_ongoing",
                "contact_unit": "Barn och unga Centrum",
            }
        ]
    }
    notes = index.get("/v1/notifications", headers=signers[A].headers(INDEX)).json()
    [note] = notes["notifications"]
    assert (note["pseudonym"], note["asking_municipality"]) == (child, B)
    assert (note["purpose"], note["asked_by"]) == ("Förhandsbedömning", "Bo Berg")
    assert index.get("/v1/notifications", headers=signers[B].headers(INDEX)).json() == {
        "notifications": []
    }
    after = {"after": note["id"]}
    again = index.get("/v1/notifications", params=after, headers=signers[A].headers(INDEX))
    assert again.json() == {"notifications": []}
    assert count(index, LookupLog) == 1


def test_the_answer_has_the_same_shape_without_matches_and_hides_own_entries(
    index: TestClient, signers: dict[str, Signer]
) -> None:
    child = pseudonym()
    put(index, signers[A], entries=[entry(child)])
    for answer in (ask(index, signers[B], pseudonym()), ask(index, signers[A], child)):
        assert (answer.status_code, answer.json()) == (200, {"matches": []})
    assert count(index, LookupLog) == 2


def test_upserts_are_idempotent_and_replace_the_entry(
    index: TestClient, signers: dict[str, Signer]
) -> None:
    child = pseudonym()
    put(index, signers[A], entries=[entry(child)])
    put(index, signers[A], entries=[entry(child)])
    put(index, signers[A], entries=[entry(child, status_class="interventions_ongoing")])
    assert count(index) == 1
    [match] = ask(index, signers[B], child).json()["matches"]
    assert match["status_class"] == "interventions_ongoing"


def test_a_municipality_can_only_write_and_withdraw_its_own_entries(
    index: TestClient, signers: dict[str, Signer]
) -> None:
    child = pseudonym()
    put(index, signers[A], entries=[entry(child)])
    foreign = put(index, signers[B], entries=[{**entry(child), "municipality_code": A}])
    assert foreign.status_code == 422
    withdrawn = put(index, signers[B], withdrawals=[{"key_version": 1, "pseudonym": child}])
    assert withdrawn.json() == {"stored": 0, "withdrawn": 0}
    put(index, signers[B], entries=[entry(child, contact_unit="Stockholm")])
    assert count(index) == 2  # B's own entry beside A's, not over it
    assert put(index, signers[A], withdrawals=[{"key_version": 1, "pseudonym": child}]).json() == {
        "stored": 0,
        "withdrawn": 1,
    }
    assert [m["municipality_code"] for m in ask(index, signers[B], child).json()["matches"]] == []


def test_bad_input_gets_a_clear_4xx_and_nothing_is_stored(
    index: TestClient, signers: dict[str, Signer]
) -> None:
    child = pseudonym()
    too_late = (dt.date.today() + dt.timedelta(days=366 * 30)).isoformat()
    cases = [
        (signers[A], {"entries": [entry("abc")]}, 422),
        (signers[A], {"entries": [entry(child, status_class="secret")]}, 422),
        (signers[A], {"entries": [entry(child, latest_report_month="2026-13")]}, 422),
        (signers[A], {"entries": [entry(child, contact_unit="x" * 201)]}, 422),
        (signers[A], {"entries": [entry(child), entry(child, expires_on=too_late)]}, 400),
        (signers[A], {"entries": [entry(child)] * 101}, 422),
        (signers[UNKNOWN], {"entries": [entry(child)]}, 401),
    ]
    for signer, body, status in cases:
        response = put(index, signer, **body)
        assert response.status_code == status, (body, response.text)
        assert "detail" in response.json()
    assert count(index) == 0
    assert ask(index, signers[B], "nothex").status_code == 422
    assert count(index, LookupLog) == 0


def test_expired_entries_are_not_answered(index: TestClient, signers: dict[str, Signer]) -> None:
    child = pseudonym()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert put(index, signers[A], entries=[entry(child, expires_on=yesterday)]).status_code == 400
    assert count(index) == 0
