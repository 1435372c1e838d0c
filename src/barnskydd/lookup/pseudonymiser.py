"""The pseudonymiser: a national service that holds the OPRF keys and nothing else.

It evaluates blinded elements for authenticated municipalities. It never sees a personnummer
(the input is blinded) nor a pseudonym (the municipality unblinds and hashes), stores nothing,
and logs only who asked for how many evaluations under which key version.
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from barnskydd.core.bounds import PositiveInt32
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.lookup import oprf
from barnskydd.lookup.auth import PSEUDONYMISER, Registry
from barnskydd.lookup.edge import (
    BodyLimit,
    RateLimiter,
    add_error_handlers,
    municipality_dependency,
)
from barnskydd.lookup.keys import KeyRing

MAX_BATCH = 100
ON_LOOP = 4  # batches up to this many elements are evaluated without a thread hop
HEX_ELEMENT = r"^[0-9a-f]{64}$"
log = structlog.get_logger("barnskydd.pseudonymiser")


class EvaluateRequest(BaseModel):
    """Blinded elements (hex) to evaluate under one key version."""

    model_config = ConfigDict(extra="forbid")

    key_version: PositiveInt32
    blinded_elements: list[Annotated[str, Field(pattern=HEX_ELEMENT)]] = Field(
        min_length=1, max_length=MAX_BATCH
    )


class EvaluateResponse(BaseModel):
    """The evaluated elements, in the order asked, and the key versions as of this answer.

    `current` and `accepted` are what GET /v1/keys would say at the same moment, so a client
    that caches the key versions learns of a rotation with its next evaluation.
    """

    key_version: int
    evaluated_elements: list[str]
    current: int | None = None
    accepted: list[int] | None = None


class KeysResponse(BaseModel):
    """Which key version to use now, and which are still accepted."""

    current: int
    accepted: list[int]


Municipality = Annotated[str, Depends(municipality_dependency(PSEUDONYMISER))]


def create_app(keys: KeyRing, registry: Registry, limiter: RateLimiter) -> FastAPI:
    """Build the pseudonymiser for a key ring, a municipality registry and a rate limiter."""
    app = FastAPI(title="Barnskydd pseudonymiser", docs_url=None, redoc_url=None)
    app.state.registry = registry
    app.add_middleware(BodyLimit)
    add_error_handlers(app)

    @app.get("/v1/keys")
    async def key_versions(municipality: Municipality) -> KeysResponse:
        """Return the current and the accepted key versions."""
        return KeysResponse(current=keys.current, accepted=keys.accepted(today()))

    @app.post("/v1/evaluate")
    async def evaluate(body: EvaluateRequest, municipality: Municipality) -> EvaluateResponse:
        """Evaluate blinded elements; a malformed one refuses the whole batch.

        A lookup's one element (0.1-0.2 ms) is evaluated on the event loop; a publisher's
        batch in a worker thread, so that it does not hold up the lookups meanwhile.
        """
        day = today()
        secret = keys.secret(body.key_version, day)
        elements = []
        for position, text in enumerate(body.blinded_elements):
            try:
                elements.append(oprf.deserialize_element(bytes.fromhex(text)))
            except oprf.OprfError:
                raise InvalidInput(
                    f"Element {position} är ingen giltig ristretto255-punkt.",
                    field="blinded_elements",
                ) from None
        limiter.take(municipality, len(elements), day)
        if len(elements) <= ON_LOOP:
            evaluated = _evaluate_all(secret, elements)
        else:
            evaluated = await run_in_threadpool(_evaluate_all, secret, elements)
        log.info(
            "evaluated",
            municipality=municipality,
            count=len(evaluated),
            key_version=body.key_version,
        )
        return EvaluateResponse(
            key_version=body.key_version,
            evaluated_elements=evaluated,
            current=keys.current,
            accepted=keys.accepted(day),
        )

    return app


def _evaluate_all(secret: bytes, elements: list[bytes]) -> list[str]:
    return [oprf.blind_evaluate(secret, e).hex() for e in elements]
