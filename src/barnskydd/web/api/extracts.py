"""Register extracts: requests with their deadlines, the collected items, the review, the PDF.

Team leads (their unit's requests) and administrators only; case workers and analysts get 403,
audited. Reading a request's items is an audited read of the person's data with its purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import Ground, Requester
from barnskydd.extract.schemas import ExtractRead, RequestRead
from barnskydd.people.rules import Identity
from barnskydd.people.schemas import ParsedIdentity
from barnskydd.staff import deployment
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import ApiUser, Writer
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep
from barnskydd.web.extract_pdf import render_pdf

router = APIRouter(prefix="/extracts", tags=["extracts"])
RequestId = Annotated[
    int, Path(alias="request_id", ge=1, le=MAX_ID, description="the request's number")
]
MAX_KEY = 80
MAX_DECISIONS = 100_000


def _reader(session: SessionDep, user: ApiUser) -> Actor:
    extracts.authorize(session, actor=user)
    return user


def _writer(session: SessionDep, user: Writer) -> Actor:
    extracts.authorize(session, actor=user)
    return user


Reader = Annotated[Actor, Depends(_reader)]
Changer = Annotated[Actor, Depends(_writer)]


class RequestCreate(BaseModel):
    """A request for a register extract as received."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    identity: ParsedIdentity
    received_on: dt.date
    requester: Requester = Requester.SELF
    custody_checked: bool = Field(False, description="required for a guardian's request")


class Decisions(BaseModel):
    """The review of items: key -> null (release) or the ground it is withheld under."""

    model_config = ConfigDict(extra="forbid")

    decisions: dict[Annotated[str, Field(max_length=MAX_KEY)], Ground | None] = Field(
        max_length=MAX_DECISIONS
    )


@router.get("", responses=responses(401, 403))
def list_requests(session: SessionDep, user: Reader) -> list[RequestRead]:
    """List the requests not yet answered, with days left, the most urgent first."""
    return [RequestRead.of(r) for r in extracts.get_all(session, actor=user, today=today())]


@router.post("", status_code=201, responses=responses(401, 403, 422))
def create_request(session: SessionDep, user: Changer, body: RequestCreate) -> RequestRead:
    """Register a request; its deadline is a month after it came in (GDPR art. 12.3)."""
    identity: Identity = body.identity
    created = extracts.create(
        session,
        actor=user,
        identity=identity,
        received_on=body.received_on,
        requester=body.requester,
        custody_checked=body.custody_checked,
        today=today(),
    )
    return RequestRead(
        id=created.id,
        received_on=created.received_on,
        due=created.due,
        days_left=(created.due - today()).days,
        overdue=created.due < today(),
        extended=False,
    )


class Extension(BaseModel):
    """The deadline extended by two further months: why, and when the person was told."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=extracts.MAX_REASON, description="what the person was told")
    told_on: dt.date = Field(description="when the person was told (within the first month)")


@router.post("/{request_id}/extension", responses=responses(401, 403, 404, 409, 422))
def extend(
    session: SessionDep, user: Changer, request_id: RequestId, body: Extension
) -> RequestRead:
    """Extend the deadline by two further months, once (GDPR art. 12.3)."""
    extended = extracts.extend(
        session,
        actor=user,
        request_id=request_id,
        reason=body.reason,
        told_on=body.told_on,
        today=today(),
    )
    return RequestRead(
        id=extended.id,
        received_on=extended.received_on,
        due=extended.deadline,
        days_left=(extended.deadline - today()).days,
        overdue=extended.deadline < today(),
        extended=True,
    )


@router.get("/{request_id}", responses=responses(401, 403, 404, 422))
def get_extract(
    request_id: RequestId, purpose: Purpose, session: SessionDep, user: Reader
) -> ExtractRead:
    """Return every item held about the request's person, as reviewed (an audited read)."""
    found = extracts.collect_for(session, actor=user, request_id=request_id, purpose=purpose)
    return ExtractRead.of(found)


@router.put("/{request_id}/decisions", responses=responses(401, 403, 404, 422))
def review(
    request_id: RequestId, purpose: Purpose, session: SessionDep, user: Changer, body: Decisions
) -> ExtractRead:
    """Record the review of the given items (release, or withhold under a ground)."""
    found = extracts.decide(
        session, actor=user, request_id=request_id, decisions=body.decisions, purpose=purpose
    )
    return ExtractRead.of(found)


@router.get(
    "/{request_id}/pdf",
    responses={**responses(401, 403, 404, 422), 200: {"content": {"application/pdf": {}}}},
    response_class=Response,
)
def extract_pdf(
    request_id: RequestId, purpose: Purpose, session: SessionDep, user: Reader
) -> Response:
    """Return the reviewed extract as PDF (422 while an item is not reviewed)."""
    produced = extracts.produce(session, actor=user, request_id=request_id, purpose=purpose)
    name = deployment.municipality(session).name
    return Response(
        render_pdf(produced, municipality=name, today=today()),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="registerutdrag-{request_id}.pdf"'},
    )
