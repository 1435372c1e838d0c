"""Deviations and the child's voice as JSON: the desk's rules, through the same services.

`/deviations`: list (own reports; the team lead also the unit's; the municipality roles all),
report one (anyone logged in, 201), read one (its owners and its reporter; any other is the
same 404) and assess it (the unit's team lead or a municipality role: an ordinary deviation,
or a Lex Sarah investigation). `/cases/{case_number}/voice`: the voice records of a case and
the child's answers, read as the case page reads them (audited with the purpose).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.deviations import service as deviations
from barnskydd.deviations.codes import Assessment, DeviationKind, DeviationStatus, Factor
from barnskydd.deviations.models import Deviation
from barnskydd.deviations.schemas import DeviationCreate
from barnskydd.voice import service as voice
from barnskydd.voice.codes import ShownTo, VoiceContext, VoiceMode, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import item_set
from barnskydd.voice.models import ChildVoiceRecord
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import ApiUser, CaseNumber, CaseReader, Writer
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(tags=["deviations"])
DeviationId = Annotated[int, Path(ge=1, le=MAX_ID, description="the deviation's id")]


class DeviationSummary(BaseModel):
    """One deviation in a list: no free text."""

    id: int
    kind: DeviationKind
    status: DeviationStatus
    unit_id: int
    occurred_on: dt.date
    reported_at: dt.datetime
    rule: str | None
    due: dt.date | None
    factors: list[Factor]

    @classmethod
    def of(cls, d: Deviation) -> DeviationSummary:
        """Return the summary of a loaded deviation."""
        return cls(
            id=d.id,
            kind=d.kind,
            status=d.status,
            unit_id=d.unit_id,
            occurred_on=d.occurred_on,
            reported_at=d.reported_at,
            rule=d.rule,
            due=d.due,
            factors=[f.factor for f in d.factors],
        )


class DeviationRead(DeviationSummary):
    """One deviation as its owners and its reporter read it."""

    what_happened: str
    immediate_measures: str | None
    immediate_measures_at: dt.datetime | None
    assessment: Assessment | None
    case_number: str | None
    reporter: str | None  # the owners only; never shown to the unit


class Assess(BaseModel):
    """The owner's first assessment: an ordinary deviation, or a Lex Sarah investigation."""

    model_config = ConfigDict(extra="forbid")

    lex_sarah: bool


def _read(session: SessionDep, user: ApiUser, d: Deviation) -> DeviationRead:
    summary = DeviationSummary.of(d).model_dump()
    return DeviationRead(
        **summary,
        what_happened=d.what_happened,
        immediate_measures=d.immediate_measures,
        immediate_measures_at=d.immediate_measures_at,
        assessment=d.investigation.assessment if d.investigation else None,
        case_number=deviations.case_number(session, actor=user, deviation=d),
        reporter=deviations.reporter(session, actor=user, deviation=d),
    )


@router.get("/deviations", responses=responses(401, 422))
def list_deviations(
    session: SessionDep,
    user: ApiUser,
    status: Annotated[DeviationStatus | None, Query(description="only this status")] = None,
) -> list[DeviationSummary]:
    """Return the deviations you see, newest first (the list is audited)."""
    return [DeviationSummary.of(d) for d in deviations.get_all(session, actor=user, status=status)]


@router.post("/deviations", status_code=201, responses=responses(401, 403, 404, 422))
def report_deviation(session: SessionDep, user: Writer, body: DeviationCreate) -> DeviationRead:
    """Report a deviation: what happened, when, which unit; the rest optional."""
    created = deviations.create(session, actor=user, data=body)
    return _read(session, user, deviations.get(session, actor=user, deviation_id=created.id))


@router.get("/deviations/{deviation_id}", responses=responses(401, 404, 422))
def read_deviation(deviation_id: DeviationId, session: SessionDep, user: ApiUser) -> DeviationRead:
    """Return one deviation (audited); one you may not read is the same 404 as none."""
    return _read(session, user, deviations.get(session, actor=user, deviation_id=deviation_id))


@router.post("/deviations/{deviation_id}/assess", responses=responses(401, 403, 404, 409, 422))
def assess_deviation(
    deviation_id: DeviationId, session: SessionDep, user: Writer, body: Assess
) -> DeviationRead:
    """Assess a deviation to assess (its owner): ordinary, or a Lex Sarah investigation."""
    d = deviations.triage(session, actor=user, deviation_id=deviation_id, lex_sarah=body.lex_sarah)
    return _read(session, user, d)


class VoiceAnswerRead(BaseModel):
    """One answer: the item, its theme, the value (none: "vill inte svara") or the words."""

    item_id: str
    theme: str | None
    value: int | None
    words: str | None


class VoiceRecordRead(BaseModel):
    """How the child's view was obtained at one follow-up or övervägande, and the answers."""

    id: int
    taken_on: dt.date
    context: VoiceContext
    status: VoiceStatus
    reason: VoiceReason | None
    reason_text: str | None
    mode: VoiceMode | None
    band: str
    item_set_version: str
    alone: bool | None
    answered: bool
    shown_to: ShownTo | None
    concern: bool
    answers: list[VoiceAnswerRead]

    @classmethod
    def of(cls, r: ChildVoiceRecord) -> VoiceRecordRead:
        """Return a loaded record with its answers."""
        themes = {i.id: i.theme for i in item_set(r.item_set_version).items.get(r.band, ())}
        return cls(
            id=r.id,
            taken_on=r.taken_on,
            context=r.context,
            status=r.status,
            reason=r.reason,
            reason_text=r.reason_text,
            mode=r.mode,
            band=r.band,
            item_set_version=r.item_set_version,
            alone=r.alone,
            answered=r.answered_at is not None,
            shown_to=r.shown_to,
            concern=r.concern,
            answers=[
                VoiceAnswerRead(
                    item_id=a.item_id, theme=themes.get(a.item_id), value=a.value, words=a.words
                )
                for a in r.answers
            ],
        )


@router.get("/cases/{case_number}/voice", tags=["voice"], responses=responses(401, 403, 404, 422))
def case_voice(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> list[VoiceRecordRead]:
    """Return the case's voice records, newest first; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    return [VoiceRecordRead.of(r) for r in voice.for_case(session, case)]
