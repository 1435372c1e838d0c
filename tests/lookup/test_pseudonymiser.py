"""The pseudonymiser evaluates blinded elements for registered municipalities, and nothing else."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from joserfc import jwt

from barnskydd.lookup import keys as keyring
from barnskydd.lookup import oprf
from barnskydd.lookup.auth import ALGORITHM, PSEUDONYMISER, Registry, Signer
from barnskydd.lookup.edge import RateLimiter
from barnskydd.lookup.pseudonymiser import create_app
from tests.lookup.conftest import UNKNOWN, A, TestClient

INPUT = b"barnskydd-lookup-v1:201509169874"


def _evaluate(client: TestClient, signer: Signer, body: object) -> tuple[int, dict[str, object]]:
    response = client.post("/v1/evaluate", json=body, headers=signer.headers(PSEUDONYMISER))
    return response.status_code, response.json()


def test_an_evaluated_blinded_element_finalizes_to_the_keyed_prf(
    pseudonymiser: TestClient, signers: dict[str, Signer], key_file: Path
) -> None:
    blinded = oprf.blind(INPUT)
    status, body = _evaluate(
        pseudonymiser, signers[A], {"key_version": 1, "blinded_elements": [blinded.element.hex()]}
    )
    assert status == 200
    evaluated = bytes.fromhex(body["evaluated_elements"][0])  # type: ignore[index]
    secret = keyring.load(key_file).secret(1, dt.date.today())
    assert oprf.finalize(INPUT, blinded.blind, evaluated) == oprf.evaluate(secret, INPUT)


def test_a_malformed_point_is_refused_with_400(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    good = oprf.blind(INPUT).element.hex()
    status, body = _evaluate(
        pseudonymiser, signers[A], {"key_version": 1, "blinded_elements": [good, "ff" * 32]}
    )
    assert (status, body["field"]) == (400, "blinded_elements")
    assert "Element 1" in str(body["detail"])
    status, _ = _evaluate(
        pseudonymiser, signers[A], {"key_version": 1, "blinded_elements": ["00" * 32]}
    )
    assert status == 400


def test_not_hex_too_many_or_extra_fields_are_refused_with_422(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    good = oprf.blind(INPUT).element.hex()
    for body in (
        {"key_version": 1, "blinded_elements": ["zz" * 32]},
        {"key_version": 1, "blinded_elements": [good] * 101},
        {"key_version": 1, "blinded_elements": [good], "identity": "201509169874"},
    ):
        assert _evaluate(pseudonymiser, signers[A], body)[0] == 422


def test_a_wrong_key_version_is_refused(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    body = {"key_version": 7, "blinded_elements": [oprf.blind(INPUT).element.hex()]}
    status, answer = _evaluate(pseudonymiser, signers[A], body)
    assert (status, answer["field"]) == (400, "key_version")


def test_unknown_municipality_missing_or_bad_tokens_get_401(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    body = {"key_version": 1, "blinded_elements": [oprf.blind(INPUT).element.hex()]}
    assert _evaluate(pseudonymiser, signers[UNKNOWN], body)[0] == 401
    assert pseudonymiser.post("/v1/evaluate", json=body).status_code == 401
    other_service = {"Authorization": f"Bearer {signers[A].token('barnskydd-lookup-index')}"}
    assert pseudonymiser.post("/v1/evaluate", json=body, headers=other_service).status_code == 401
    forged = Signer(A, signers[UNKNOWN].key)  # claims to be A, signed with another key
    assert _evaluate(pseudonymiser, forged, body)[0] == 401
    old = int(time.time()) - 3600
    expired = jwt.encode(
        {"alg": ALGORITHM},
        {"iss": A, "aud": PSEUDONYMISER, "iat": old, "exp": old + 60},
        signers[A].key,
        algorithms=[ALGORITHM],
    )
    headers = {"Authorization": f"Bearer {expired}"}
    assert pseudonymiser.post("/v1/evaluate", json=body, headers=headers).status_code == 401


def test_an_oversized_request_gets_413(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    response = pseudonymiser.post(
        "/v1/evaluate",
        content=b'{"key_version": 1, "blinded_elements": ["' + b"a" * 70_000 + b'"]}',
        headers={**signers[A].headers(PSEUDONYMISER), "content-type": "application/json"},
    )
    assert response.status_code == 413


def test_an_oversized_chunked_request_gets_413(
    pseudonymiser: TestClient, signers: dict[str, Signer]
) -> None:
    """Without a Content-Length the body is counted as it arrives (it was a 400 before)."""
    pieces = [b'{"key_version": 1, "blinded_elements": ["'] + [b"a" * 10_000] * 7 + [b'"]}']
    response = pseudonymiser.post(
        "/v1/evaluate",
        content=iter(pieces),
        headers={**signers[A].headers(PSEUDONYMISER), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "För stor förfrågan."}


def test_a_municipality_over_its_rate_gets_429(
    key_file: Path, registry: Registry, signers: dict[str, Signer]
) -> None:
    app = create_app(keyring.load(key_file), registry, RateLimiter(rate=0.001, burst=3, daily=10))
    body = {"key_version": 1, "blinded_elements": [oprf.blind(INPUT).element.hex()] * 2}
    with TestClient(app) as client:
        assert _evaluate(client, signers[A], body)[0] == 200
        assert _evaluate(client, signers[A], body)[0] == 429


def test_rotation_keeps_the_old_version_for_the_transition_only(key_file: Path) -> None:
    today = dt.date(2026, 11, 26)
    assert keyring.rotate(key_file, today=today, transition_days=30) == 2
    ring = keyring.load(key_file)
    assert ring.current == 2
    assert ring.accepted(today) == [2, 1]
    assert ring.accepted(today + dt.timedelta(days=31)) == [2]
    assert ring.secret(1, today) != ring.secret(2, today)
