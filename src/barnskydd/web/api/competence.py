"""Staff competence and co-signatures as JSON: the desk's rules, through the same services.

`/staff/{username}/competence`: read a worker's degree and its date, experience periods,
introduction and its progress, co-signers and employment (the worker themselves, their team
lead, an administrator; anyone else and an unknown name get the same 404), and record them
(the team lead of the unit, not their own; an administrator). Every read and edit is audited
(entity `staff_competence` or `staff_employment`). `/co-signatures`: the steps that await the
logged-in user's co-signature, and confirming one as oneself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from barnskydd.cases.chain import signatures
from barnskydd.cases.chain.inputs import MAX_ID, Day, StrictInput
from barnskydd.core.clock import today
from barnskydd.staff import employment
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.inputs import (
    CompetenceSet,
    EarlierPeriod,
    IntroductionStart,
    ItemDone,
)
from barnskydd.staff.competence.service import CompetenceView
from barnskydd.web.api.deps import ApiUser, Writer
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(tags=["competence"])
Username = Annotated[
    str, Path(min_length=1, max_length=60, pattern=r"^[^\x00]+$", description="användarnamn")
]
SignatureId = Annotated[int, Path(ge=1, le=MAX_ID, description="the co-signature's id")]


class PeriodRead(BaseModel):
    """A period of experience; `to` none: still going."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(alias="to")


class ItemRead(BaseModel):
    """One item of the introduction programme; `completed_on` none: not yet."""

    key: str
    title: str
    completed_on: dt.date | None


class IntroductionRead(BaseModel):
    """A worker's introduction programme and its progress."""

    programme: str
    version: int
    started_on: dt.date
    planned_end: dt.date | None
    mentor: str | None
    items: list[ItemRead]


class EmploymentRead(BaseModel):
    """A period of employment in a role."""

    role: str
    start: dt.date | None
    end: dt.date | None


class CompetenceRead(BaseModel):
    """A worker's competence on a day, as the desk shows it."""

    username: str
    recorded: bool
    degree: str | None
    degree_date: dt.date | None
    degree_kind: str | None
    certificate_ref: str | None
    experience_periods: list[PeriodRead]
    experience_years: float
    independent_from: dt.date | None
    independent: bool
    supervision_minutes_per_week: int | None
    introduction: IntroductionRead | None
    co_signers: list[str]
    may_co_sign_now: list[str]
    employment: list[EmploymentRead]


class CompetenceUpdate(CompetenceSet):
    """The fields to record (the rest stay); `earlier`, when given, replaces the ended periods."""

    earlier: list[EarlierPeriod] | None = None


class CoSignerName(StrictInput):
    """A co-signer to name, or to stop naming."""

    co_signer: Annotated[str, Field(min_length=1, max_length=60)]
    named: bool = True


class EmploymentUpdate(StrictInput):
    """The start and, when the worker leaves, the last day of the latest employment."""

    start_on: Day | None = None
    end_on: Day | None = None


class CoSignatureRead(BaseModel):
    """A step's co-signature: who took it, who is to co-sign, and when it was confirmed."""

    id: int
    case_number: str
    step: str
    actor: str
    co_signer: str
    at: dt.datetime
    confirmed_at: dt.datetime | None


def _read(session: SessionDep, user: ApiUser, shown: CompetenceView) -> CompetenceRead:
    member = competence.reachable(session, user, shown.username, edit=False)
    return CompetenceRead.model_validate(
        {
            **shown.as_json(),
            "employment": [
                {"role": p.role.value, "start": p.start_on, "end": p.end_on}
                for p in employment.periods(session, member)
            ],
        }
    )


@router.get("/staff/{username}/competence", responses=responses(401, 404, 422))
def read_competence(
    username: Username,
    session: SessionDep,
    user: ApiUser,
    on: Annotated[dt.date | None, Query(description="the day (today)")] = None,
) -> CompetenceRead:
    """Return a worker's competence on a day (audited); one out of reach is the same 404."""
    shown = competence.get(session, actor=user, username=username, on=on or today())
    return _read(session, user, shown)


@router.patch("/staff/{username}/competence", responses=responses(401, 403, 404, 422))
def update_competence(
    username: Username, session: SessionDep, user: Writer, body: CompetenceUpdate
) -> CompetenceRead:
    """Record a worker's degree, experience, sign-off, supervision (the fields given)."""
    data = CompetenceSet.model_validate(
        body.model_dump(include=body.model_fields_set - {"earlier"})
    )
    shown = competence.update(
        session, actor=user, username=username, data=data, earlier=body.earlier, today=today()
    )
    return _read(session, user, shown)


@router.post("/staff/{username}/competence/introduction", responses=responses(401, 403, 404, 422))
def start_introduction(
    username: Username, session: SessionDep, user: Writer, body: IntroductionStart
) -> CompetenceRead:
    """Enrol a worker in an introduction programme (replacing an earlier enrolment)."""
    shown = competence.start_introduction(
        session, actor=user, username=username, data=body, today=today()
    )
    return _read(session, user, shown)


@router.post(
    "/staff/{username}/competence/introduction/items", responses=responses(401, 403, 404, 422)
)
def complete_item(
    username: Username, session: SessionDep, user: Writer, body: ItemDone
) -> CompetenceRead:
    """Record that a worker completed one item of their programme on a day."""
    shown = competence.complete_item(
        session, actor=user, username=username, data=body, today=today()
    )
    return _read(session, user, shown)


@router.post("/staff/{username}/competence/co-signers", responses=responses(401, 403, 404, 422))
def name_co_signer(
    username: Username, session: SessionDep, user: Writer, body: CoSignerName
) -> CompetenceRead:
    """Name (or, with `named` false, stop naming) a co-signer for a worker's reserved steps."""
    shown = competence.set_co_signer(
        session,
        actor=user,
        username=username,
        co_signer=body.co_signer,
        named=body.named,
        today=today(),
    )
    return _read(session, user, shown)


@router.patch("/staff/{username}/employment", responses=responses(401, 403, 404, 422))
def update_employment(
    username: Username, session: SessionDep, user: Writer, body: EmploymentUpdate
) -> list[EmploymentRead]:
    """Set the start, and when the worker leaves the last day, of the latest employment."""
    periods = employment.update(
        session,
        actor=user,
        username=username,
        start_on=body.start_on,
        end_on=body.end_on,
        today=today(),
    )
    return [EmploymentRead(role=p.role.value, start=p.start_on, end=p.end_on) for p in periods]


@router.get("/co-signatures", responses=responses(401))
def awaiting_co_signatures(session: SessionDep, user: ApiUser) -> list[CoSignatureRead]:
    """Return the steps that await your co-signature, the earliest first."""
    return [
        CoSignatureRead.model_validate(s.as_json())
        for s in signatures.awaiting_me(session, actor=user)
    ]


@router.post("/co-signatures/{signature_id}/confirm", responses=responses(401, 403, 404, 422))
def confirm_co_signature(
    signature_id: SignatureId, session: SessionDep, user: Writer
) -> CoSignatureRead:
    """Co-sign, as yourself, a step that awaits you; anyone else's is the same 404."""
    shown = signatures.confirm(session, actor=user, signature_id=signature_id, today=today())
    return CoSignatureRead.model_validate(shown.as_json())
