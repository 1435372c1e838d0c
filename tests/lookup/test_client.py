"""The municipality's client keeps what it may keep: connections, its token, the key versions."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from barnskydd.core.clock import today
from barnskydd.lookup import auth, oprf, service
from barnskydd.lookup import keys as keyring
from barnskydd.lookup.auth import PSEUDONYMISER, Registry, Signer, Unauthenticated
from barnskydd.lookup.batching import Batcher
from barnskydd.lookup.client import NationalClient, NationalUnavailable
from barnskydd.lookup.index_models import LookupLog, Notification
from barnskydd.lookup.pseudonymiser import create_app as create_pseudonymiser
from barnskydd.lookup.rules import oprf_input
from barnskydd.lookup.schemas import UpsertRequest
from tests.lookup.conftest import A, B, TestClient, limiter

CHILD = oprf_input("201501011234")


@contextmanager
def pseudonymiser_on(key_file: Path, registry: Registry) -> Iterator[tuple[TestClient, list[str]]]:
    """The pseudonymiser on a key file as it is now, and the paths it was asked for."""
    asked: list[str] = []
    with TestClient(create_pseudonymiser(keyring.load(key_file), registry, limiter())) as http:
        http.event_hooks["request"] = [lambda request: asked.append(request.url.path)]
        yield http, asked


def _expected(key_file: Path, version: int) -> str:
    return oprf.evaluate(keyring.load(key_file).secret(version, today()), CHILD).hex()


def test_a_lookup_asks_for_the_key_versions_once_then_learns_them_from_each_evaluation(
    key_file: Path, registry: Registry, signers: dict[str, Signer], local_index: TestClient
) -> None:
    with pseudonymiser_on(key_file, registry) as (before, asked):
        client = NationalClient(before, local_index, signers[A])
        first = client.versioned_pseudonyms(CHILD)
        second = client.versioned_pseudonyms(CHILD)
    assert asked == ["/v1/keys", "/v1/evaluate", "/v1/evaluate"]
    assert [k.key_version for k in first] == [k.key_version for k in second] == [1]
    assert first[0].pseudonym == second[0].pseudonym == _expected(key_file, 1)

    keyring.rotate(key_file, today=today(), transition_days=30)  # v2 current, v1 accepted
    with pseudonymiser_on(key_file, registry) as (rotated, asked):
        client.pseudonymiser = rotated
        during = client.versioned_pseudonyms(CHILD)
        again = client.versioned_pseudonyms(CHILD)
    # The first lookup after the rotation asks under v1 as it knew, hears of v2 in the same
    # answer and asks under it too; no request for the versions was needed.
    assert asked == ["/v1/evaluate"] * 4
    assert {k.key_version: k.pseudonym for k in during} == {
        2: _expected(key_file, 2),
        1: _expected(key_file, 1),
    }
    assert [k.key_version for k in again] == [2, 1]


def test_a_retired_version_makes_the_client_ask_for_the_versions_again(
    key_file: Path, registry: Registry, signers: dict[str, Signer], local_index: TestClient
) -> None:
    with pseudonymiser_on(key_file, registry) as (before, _):
        client = NationalClient(before, local_index, signers[A])
        assert [k.key_version for k in client.versioned_pseudonyms(CHILD)] == [1]
    keyring.rotate(key_file, today=today() - dt.timedelta(days=40), transition_days=30)
    with pseudonymiser_on(key_file, registry) as (retired, asked):
        client.pseudonymiser = retired
        found = client.versioned_pseudonyms(CHILD)
    assert asked == ["/v1/evaluate", "/v1/keys", "/v1/evaluate"]  # v1 refused (400), then v2
    assert [(k.key_version, k.pseudonym) for k in found] == [(2, _expected(key_file, 2))]


def test_a_token_is_reused_until_little_of_its_lifetime_is_left(
    signers: dict[str, Signer], monkeypatch: pytest.MonkeyPatch
) -> None:
    signer = Signer(A, signers[A].key)
    now = 1_800_000_000.0
    monkeypatch.setattr(auth.time, "time", lambda: now)
    first = signer.headers(PSEUDONYMISER)
    assert signer.headers(PSEUDONYMISER) == first
    assert signer.headers(auth.INDEX) != first  # one token per audience
    now += auth.TOKEN_SECONDS - auth.REUSE_SECONDS - 1
    assert signer.headers(PSEUDONYMISER) == first
    now += 2
    assert signer.headers(PSEUDONYMISER) != first


def test_a_remembered_token_is_refused_once_it_has_expired(
    registry: Registry, signers: dict[str, Signer], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Registry(registry.keys)
    token = f"Bearer {signers[A].token(PSEUDONYMISER)}"
    assert fresh.verify(token, PSEUDONYMISER) == A
    assert fresh.verify(token, PSEUDONYMISER) == A  # remembered
    with pytest.raises(Unauthenticated):
        fresh.verify(token, auth.INDEX)  # remembered for its audience only
    later = auth.time.time() + auth.TOKEN_SECONDS + auth.LEEWAY_SECONDS + 1
    monkeypatch.setattr(auth.time, "time", lambda: later)
    with pytest.raises(Unauthenticated):
        fresh.verify(token, PSEUDONYMISER)
    with pytest.raises(Unauthenticated):
        fresh.verify(token, PSEUDONYMISER)  # forgotten, and still refused by its claims


def test_a_token_changed_in_one_byte_is_verified_afresh(
    registry: Registry, signers: dict[str, Signer]
) -> None:
    fresh = Registry(registry.keys)
    token = signers[A].token(PSEUDONYMISER)
    assert fresh.verify(f"Bearer {token}", PSEUDONYMISER) == A
    header, _, signature = token.split(".")
    claims = json.loads(auth.jws.extract_compact(token.encode()).payload)
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "iss": B}).encode())
    forged_payload = forged.rstrip(b"=").decode()
    with pytest.raises(Unauthenticated):
        fresh.verify(f"Bearer {header}.{forged_payload}.{signature}", PSEUDONYMISER)


def test_lookups_made_at_the_same_moment_share_their_requests_and_get_their_own_answers(
    pseudonymiser: TestClient, local_index: TestClient, signers: dict[str, Signer]
) -> None:
    """Eight threads ask at once: the first goes alone, the seven queued meanwhile together."""
    children = [f"20150101{n:04d}" for n in range(8)]
    owner = NationalClient(pseudonymiser, local_index, signers[A])
    published = owner.pseudonyms([oprf_input(c) for c in children[:4]], 1)
    expires = (today() + dt.timedelta(days=100)).isoformat()
    entries = [
        {
            "key_version": 1,
            "pseudonym": p,
            "latest_report_month": f"2026-0{n + 1}",
            "status_class": "closed",
            "contact_unit": "Barn och unga",
            "expires_on": expires,
        }
        for n, p in enumerate(published)
    ]
    assert owner.upsert(UpsertRequest.model_validate({"entries": entries})).stored == 4

    asker = NationalClient(pseudonymiser, local_index, signers[B], in_flight=1)
    asker.keys()  # known beforehand, so every lookup starts with its evaluation
    asked: list[str] = []
    queued = threading.Event()

    def hold_the_first(request: httpx.Request) -> None:
        asked.append(request.url.path)
        if len(asked) == 1:  # the first lookup's evaluation waits until all have queued
            assert queued.wait(10)

    pseudonymiser.event_hooks["request"] = [hold_the_first]
    local_index.event_hooks["request"] = [lambda request: asked.append(request.url.path)]

    def ask(child: str) -> list[str]:
        answer = service.ask(asker, service.Subject(child, "Förhandsbedömning", "Test", "Söder"))
        return [a.latest_report_month for a in answer]

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(ask, child) for child in children]
        deadline = time.monotonic() + 10
        while len(asker._evaluations._queue) < 7 and time.monotonic() < deadline:
            time.sleep(0.01)  # until seven wait behind the held one
        queued.set()
        answers = [f.result(timeout=30) for f in futures]

    assert answers == [[f"2026-0{n + 1}"] for n in range(4)] + [[]] * 4
    evaluations = [path for path in asked if path == "/v1/evaluate"]
    assert len(evaluations) == 2  # the held one alone, then the seven queued behind it
    assert "/v1/lookups" in asked
    assert asked.count("/v1/lookup") + asked.count("/v1/lookups") < 8
    with local_index.app.state.session_factory() as session:  # type: ignore[attr-defined]
        logged = session.scalar(select(func.count()).select_from(LookupLog))
        notified = session.scalar(select(func.count()).select_from(Notification))
    assert (logged, notified) == (8, 4)  # each lookup logged, each match notified, as alone


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)


def test_a_batcher_with_two_sends_under_way_gives_each_item_its_own_result() -> None:
    release = threading.Event()
    sent: list[list[int]] = []

    def send(items: list[int]) -> list[int]:
        sent.append(list(items))
        if len(sent) <= 2:
            assert release.wait(10)
        return [i * 10 for i in items]

    batcher: Batcher[int, int] = Batcher(send, in_flight=2)
    with ThreadPoolExecutor(max_workers=6) as pool:
        first = pool.submit(batcher, 1)
        _until(lambda: len(sent) == 1)
        second = pool.submit(batcher, 2)
        _until(lambda: len(sent) == 2)
        rest = [pool.submit(batcher, i) for i in (3, 4, 5, 6)]
        _until(lambda: len(batcher._queue) == 4)
        release.set()
        results = [f.result(timeout=10) for f in (first, second, *rest)]
    assert results == [10, 20, 30, 40, 50, 60]
    assert sent[:2] == [[1], [2]]
    assert sorted(sent[2]) == [3, 4, 5, 6]  # the four waited, then went as one
    assert len(sent) == 3


def test_a_failed_send_fails_every_item_it_carried() -> None:
    def send(items: list[int]) -> list[int]:
        raise NationalUnavailable("nere")

    batcher: Batcher[int, int] = Batcher(send)
    with pytest.raises(NationalUnavailable, match="nere"):
        batcher(1)
    with pytest.raises(NationalUnavailable, match="nere"):
        batcher(2)  # the batcher is not stuck after a failure
