"""The municipality's client for both national services: blind, evaluate, finalize, publish, ask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from barnskydd.core.errors import DomainError
from barnskydd.core.settings import Settings
from barnskydd.lookup import oprf
from barnskydd.lookup.auth import INDEX, PSEUDONYMISER, Signer
from barnskydd.lookup.batching import Batcher
from barnskydd.lookup.pseudonymiser import MAX_BATCH, EvaluateResponse, KeysResponse
from barnskydd.lookup.schemas import (
    MAX_LOOKUPS_PER_REQUEST,
    EntryKey,
    LookupRequest,
    LookupResponse,
    LookupsResponse,
    NotificationsResponse,
    UpsertRequest,
    UpsertResponse,
)

TIMEOUT_SECONDS = 5.0
# Requests under way at once per service and client; lookups arriving meanwhile share the next.
IN_FLIGHT = 2
M = TypeVar("M", bound=BaseModel)


class NationalUnavailable(DomainError):
    """A national service could not be reached or failed (try again later)."""


class NationalRefused(DomainError):
    """A national service refused the request (4xx); retrying the same will not help.

    `field` is the HTTP status; `names` the field the service named, if it did.
    """

    def __init__(self, message: str, *, field: str | None = None, names: str | None = None):
        super().__init__(message, field=field)
        self.names = names


@dataclass
class NationalClient:
    """Talks to the pseudonymiser and the index on behalf of one municipality.

    One client is meant to live as long as its process: its HTTP clients keep their
    connections open (keep-alive), its signer reuses a token until it runs out soon, and it
    remembers the pseudonymiser's key versions, which every evaluation answers afresh, so a
    lookup needs no request for them (see versioned_pseudonyms). It is safe to share between
    threads, and lookups that threads make at the same moment share their requests (Batcher).
    """

    pseudonymiser: httpx.Client
    index: httpx.Client
    signer: Signer
    in_flight: int = IN_FLIGHT
    _keys: KeysResponse | None = field(default=None, repr=False, compare=False)
    _evaluations: Batcher[tuple[int, bytes, bytes], tuple[str, KeysResponse | None]] = field(
        init=False, repr=False, compare=False
    )
    _lookups: Batcher[LookupRequest, LookupResponse] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._evaluations = Batcher(self._evaluate_together, in_flight=self.in_flight)
        self._lookups = Batcher(self._lookup_together, in_flight=self.in_flight)

    @classmethod
    def connect(cls, *, pseudonymiser_url: str, index_url: str, signer: Signer) -> NationalClient:
        """Return a client for the services at the given base URLs."""
        return cls(
            httpx.Client(base_url=pseudonymiser_url, timeout=TIMEOUT_SECONDS),
            httpx.Client(base_url=index_url, timeout=TIMEOUT_SECONDS),
            signer,
        )

    def _call(
        self, http: httpx.Client, audience: str, method: str, path: str, answer: type[M], **kw: Any
    ) -> M:
        try:
            response = http.request(method, path, headers=self.signer.headers(audience), **kw)
        except httpx.HTTPError as error:
            raise NationalUnavailable(f"{audience} svarar inte ({type(error).__name__}).") from None
        if response.status_code >= 500:
            raise NationalUnavailable(f"{audience} svarade {response.status_code}.")
        if response.status_code >= 400:
            raise NationalRefused(
                _detail(response), field=str(response.status_code), names=_field(response)
            )
        try:
            return answer.model_validate_json(response.content)
        except ValidationError:
            raise NationalUnavailable(f"{audience} gav ett oväntat svar.") from None

    def close(self) -> None:
        """Close both connections."""
        self.pseudonymiser.close()
        self.index.close()

    def keys(self) -> KeysResponse:
        """Return the pseudonymiser's current and accepted key versions (asked now)."""
        keys = self._call(self.pseudonymiser, PSEUDONYMISER, "GET", "/v1/keys", KeysResponse)
        self._keys = keys
        return keys

    def pseudonyms(self, inputs: Sequence[bytes], key_version: int) -> list[str]:
        """Return the OPRF pseudonyms (hex) of the inputs under one key version."""
        result: list[str] = []
        for start in range(0, len(inputs), MAX_BATCH):
            result.extend(self._evaluate(inputs[start : start + MAX_BATCH], key_version)[0])
        return result

    def versioned_pseudonyms(self, data: bytes) -> list[EntryKey]:
        """Return one input's pseudonym under every key version the pseudonymiser accepts.

        The key versions are the ones the last answer named; every evaluation answers them
        again, so a rotation (a new current version, an old one retired) is seen by the very
        lookup that evaluates under the versions known before it: the new version is then
        evaluated too, and a retired one is dropped. A version refused meanwhile (400) makes
        the client ask for the versions again, once.
        """
        known = self._keys or self.keys()
        try:
            found = self._under(data, known.accepted)
        except NationalRefused as refused:
            if refused.names != "key_version":
                raise
            found = self._under(data, self.keys().accepted)
        return [EntryKey(key_version=v, pseudonym=p) for v, p in found.items()]

    def _under(self, data: bytes, versions: list[int]) -> dict[int, str]:
        """Evaluate under the versions, and under any the answers name that were not asked."""
        found: dict[int, str] = {}
        accepted = list(versions)
        while pending := [v for v in accepted if v not in found]:
            found[pending[0]], latest = self._evaluate_one(data, pending[0])
            if latest is not None:
                self._keys, accepted = latest, latest.accepted
        return {v: found[v] for v in accepted}

    def _evaluate_one(self, data: bytes, key_version: int) -> tuple[str, KeysResponse | None]:
        """Blind one input, have it evaluated (with others asked meanwhile), finalize it."""
        blinded = oprf.blind(data)
        element, latest = self._evaluations((key_version, data, blinded.element))
        try:
            return oprf.finalize(data, blinded.blind, bytes.fromhex(element)).hex(), latest
        except (oprf.OprfError, ValueError):
            raise NationalUnavailable("Pseudonymiseraren gav en ogiltig punkt.") from None

    def _evaluate_together(
        self, items: list[tuple[int, bytes, bytes]]
    ) -> list[tuple[str, KeysResponse | None]]:
        """Send blinded elements, one request per key version and MAX_BATCH elements."""
        results: dict[int, tuple[str, KeysResponse | None]] = {}
        for version in dict.fromkeys(v for v, _, _ in items):
            positions = [i for i, (v, _, _) in enumerate(items) if v == version]
            for start in range(0, len(positions), MAX_BATCH):
                chunk = positions[start : start + MAX_BATCH]
                elements, latest = self._send_elements([items[i][2] for i in chunk], version)
                results.update({i: (e, latest) for i, e in zip(chunk, elements, strict=True)})
        return [results[i] for i in range(len(items))]

    def _send_elements(
        self, elements: list[bytes], key_version: int
    ) -> tuple[list[str], KeysResponse | None]:
        body = {"key_version": key_version, "blinded_elements": [e.hex() for e in elements]}
        answer = self._call(
            self.pseudonymiser, PSEUDONYMISER, "POST", "/v1/evaluate", EvaluateResponse, json=body
        )
        if answer.key_version != key_version or len(answer.evaluated_elements) != len(elements):
            raise NationalUnavailable("Pseudonymiseraren gav ett oväntat svar.")
        latest = None
        if answer.current is not None and answer.accepted is not None:
            latest = KeysResponse(current=answer.current, accepted=answer.accepted)
        return answer.evaluated_elements, latest

    def _evaluate(
        self, chunk: Sequence[bytes], key_version: int
    ) -> tuple[list[str], KeysResponse | None]:
        """Blind, evaluate and finalize at most MAX_BATCH inputs under one key version."""
        blinded = [oprf.blind(data) for data in chunk]
        elements, latest = self._send_elements([b.element for b in blinded], key_version)
        try:
            result = [
                oprf.finalize(data, b.blind, bytes.fromhex(element)).hex()
                for data, b, element in zip(chunk, blinded, elements, strict=True)
            ]
        except (oprf.OprfError, ValueError):
            raise NationalUnavailable("Pseudonymiseraren gav en ogiltig punkt.") from None
        return result, latest

    def upsert(self, request: UpsertRequest) -> UpsertResponse:
        """Publish and withdraw entries at the index."""
        body = request.model_dump(mode="json")
        return self._call(self.index, INDEX, "PUT", "/v1/entries", UpsertResponse, json=body)

    def lookup(self, request: LookupRequest) -> LookupResponse:
        """Ask the index about one child's pseudonyms (with other lookups asked meanwhile)."""
        return self._lookups(request)

    def _lookup_together(self, requests: list[LookupRequest]) -> list[LookupResponse]:
        """Send one lookup alone (POST /v1/lookup), several together (POST /v1/lookups)."""
        if len(requests) == 1:
            body = requests[0].model_dump(mode="json")
            return [self._call(self.index, INDEX, "POST", "/v1/lookup", LookupResponse, json=body)]
        answers: list[LookupResponse] = []
        for start in range(0, len(requests), MAX_LOOKUPS_PER_REQUEST):
            chunk = requests[start : start + MAX_LOOKUPS_PER_REQUEST]
            body = {"lookups": [r.model_dump(mode="json") for r in chunk]}
            answer = self._call(
                self.index, INDEX, "POST", "/v1/lookups", LookupsResponse, json=body
            )
            if len(answer.answers) != len(chunk):
                raise NationalUnavailable("Indexet gav ett oväntat svar.")
            answers.extend(answer.answers)
        return answers

    def notifications(self, after: int) -> NotificationsResponse:
        """Fetch the notifications about our entries after an id."""
        return self._call(
            self.index,
            INDEX,
            "GET",
            "/v1/notifications",
            NotificationsResponse,
            params={"after": after},
        )


def _field(response: httpx.Response) -> str | None:
    """Return the field a refusal names (the pseudonymiser names key_version), if any."""
    try:
        named = response.json().get("field")
    except (ValueError, AttributeError):
        named = None
    return named if isinstance(named, str) else None


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return detail if isinstance(detail, str) else f"HTTP {response.status_code}"


def client_from_settings(settings: Settings, *, municipality: str) -> NationalClient:
    """Return the client for the configured services, or refuse when the lookup is off.

    `municipality` is the database's (barnskydd.staff.deployment): the code the client signs
    its requests as, so the index files the entries under it.
    """
    if not settings.lookup_pseudonymiser_url or not settings.lookup_index_url:
        raise NationalUnavailable("Riksuppslaget är inte konfigurerat i den här kommunen.")
    try:
        signer = Signer.from_file(municipality, settings.lookup_key_file)
    except (OSError, ValueError):
        raise NationalUnavailable("Kommunens nyckel för riksuppslaget saknas.") from None
    return NationalClient.connect(
        pseudonymiser_url=settings.lookup_pseudonymiser_url,
        index_url=settings.lookup_index_url,
        signer=signer,
    )
