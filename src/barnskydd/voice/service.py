"""The one write path of the child's voice, and what the case page and inbox read of it.

At a follow-up the step's handler calls `record_follow_up`, at an övervägande of a placement
`record_placement_review` (both through `_record`): a status other than answered is
final at once (the anonymous `VoiceResponse` is written with it); an answered one waits for
the child's answers, given in child mode on the worker's device (`hand_over`), through a
one-time link (`create_link`) or with the worker reading aloud or an interpreter
(`answer_with_worker`). `submit` writes the answers and the anonymous response in the
caller's transaction, once: a used, expired or unknown code is the same NotFound.

The audit trail records that answers were taken (entity child_voice_record), never what
they say; a one-time code is stored only as its sha256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.models import Case, FollowUp, PlacementReview
from barnskydd.cases.service import audit_case, authorize
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.voice.codes import (
    AUTO_BAND,
    NEEDS_REASON,
    ShownTo,
    VoiceContext,
    VoiceMode,
    VoiceReason,
    VoiceStatus,
)
from barnskydd.voice.itemset import Band, ItemSet, item_set
from barnskydd.voice.models import ChildVoiceAnswer, ChildVoiceRecord, VoiceResponse

LINK_DAYS = 14  # a one-time link's validity (capabilities.md 1.4; what suits practice: unverified)
CHILD_MODE_HOURS = 2  # how long a hand-over in child mode waits for the child
MAX_WORDS = 2000  # the child's words, per open question
CHILD = Actor(username="barnet", role=Role.SYSTEM)  # who answers in child mode or by link
MSG_NOT_FOUND = "Sidan finns inte. Länken kan ha använts redan eller ha gått ut."
MSG_NOT_WAITING = "Barnets svar är redan lämnade, eller väntas inte på det här sättet."
MSG_VALUE = "Välj ett av svaren."
MSG_TOO_LONG = f"Högst {MAX_WORDS} tecken."
SKIP = "skip"  # "vill inte svara"
PURPOSE = "barnets röst"


@dataclass(frozen=True, slots=True)
class Obtained:
    """How the child's view was obtained, as the follow-up and review steps record it."""

    status: VoiceStatus
    reason: VoiceReason | None = None
    reason_text: str = ""
    mode: VoiceMode | None = None
    band: str = AUTO_BAND
    alone: bool | None = None


@dataclass(frozen=True, slots=True)
class Answers:
    """The child's answers: item id -> value (None: vill inte svara), question id -> words."""

    values: Mapping[str, int | None]
    words: Mapping[str, str]
    shown_to: ShownTo = ShownTo.WORKER


def digest(code: str) -> str:
    """Return the stored form of a one-time code."""
    return hashlib.sha256(code.encode()).hexdigest()


def band_of(case: Case, day: dt.date, choice: str) -> Band:
    """Return the band chosen, or the one preselected from the child's age on the day."""
    items = item_set()
    if choice != AUTO_BAND:
        return items.band(choice)
    if day < case.child.birth_date:
        return items.bands[0]
    return items.band_on(case.child.birth_date, day)


def record_follow_up(
    session: Session, actor: Actor, case: Case, follow_up: FollowUp, obtained: Obtained
) -> ChildVoiceRecord:
    """Write how the child's view was obtained at a follow-up (and, when final, its count).

    A follow-up in a case without interventions is the one after an investigation that ended
    without one (23 kap. 1 §), its own context in the counts.
    """
    context = (
        VoiceContext.INTERVENTION_FOLLOW_UP
        if case.interventions
        else VoiceContext.AFTER_INVESTIGATION
    )
    record = _record(actor, case, follow_up.followed_up_on, context, obtained)
    record.follow_up_id = follow_up.id
    return _add(session, case, record)


def record_placement_review(
    session: Session, actor: Actor, case: Case, review: PlacementReview, obtained: Obtained
) -> ChildVoiceRecord:
    """Write how the child's view was obtained at an övervägande of a placement (and its count)."""
    record = _record(actor, case, review.reviewed_on, VoiceContext.PLACEMENT_REVIEW, obtained)
    record.placement_review_id = review.id
    return _add(session, case, record)


def _record(
    actor: Actor, case: Case, on: dt.date, context: VoiceContext, obtained: Obtained
) -> ChildVoiceRecord:
    needs_reason = obtained.status in NEEDS_REASON
    return ChildVoiceRecord(
        case_id=case.id,
        taken_on=on,
        context=context,
        status=obtained.status,
        reason=obtained.reason if needs_reason else None,
        reason_text=(obtained.reason_text or None)
        if needs_reason and obtained.reason is VoiceReason.OTHER
        else None,
        mode=obtained.mode if obtained.status is VoiceStatus.ANSWERED else None,
        band=band_of(case, on, obtained.band).id,
        item_set_version=item_set().version,
        alone=obtained.alone,
        recorded_by=actor.username,
    )


def _add(session: Session, case: Case, record: ChildVoiceRecord) -> ChildVoiceRecord:
    session.add(record)
    if record.status is not VoiceStatus.ANSWERED:
        session.add(_response(case, record))
    return record


def _response(case: Case, record: ChildVoiceRecord) -> VoiceResponse:
    """Return the anonymous response of a final record: counts only, nothing that joins back.

    The intervention category is the placement reviewed, at a review; at a follow-up the latest
    intervention running on the day (or the latest of all).
    """
    on = record.taken_on
    running = [
        x
        for x in case.interventions
        if x.start_on <= on and (x.ended_on is None or x.ended_on >= on)
    ]
    latest = max(running or case.interventions, key=lambda x: x.start_on, default=None)
    if record.placement_review_id is not None:  # at a review: the placement reviewed
        reviewed = record.placement_review_id
        latest = next(
            (x for x in case.interventions if reviewed in {r.id for r in x.reviews}), latest
        )
    scores = {a.item_id: a.value for a in record.answers if a.words is None}
    themes = {item.id: item.theme for item in item_set(record.item_set_version).items[record.band]}
    by_theme = {themes[k]: v for k, v in scores.items() if k in themes}
    return VoiceResponse(
        id=uuid.uuid4().hex,
        municipality_code=case.unit.municipality_code,
        unit_id=case.unit_id,
        month=f"{on.year:04d}-{on.month:02d}",
        context=record.context,
        status=record.status,
        reason=record.reason,
        band=record.band,
        gender=case.child.gender,
        intervention_category=latest.category if latest is not None else None,
        item_set_version=record.item_set_version,
        **by_theme,
    )


def _waiting(record: ChildVoiceRecord, mode: VoiceMode | None = None) -> None:
    if record.status is not VoiceStatus.ANSWERED or record.answered_at is not None:
        raise ForbiddenTransition(MSG_NOT_WAITING)
    if mode is not None and record.mode is not mode:
        raise ForbiddenTransition(MSG_NOT_WAITING)


def get_record(session: Session, case: Case, record_id: int) -> ChildVoiceRecord:
    """Return a voice record of the case (already authorized), or NotFound."""
    record = session.get(ChildVoiceRecord, record_id)
    if record is None or record.case_id != case.id:
        raise NotFound("Svaren finns inte.")
    return record


def _new_code(record: ChildVoiceRecord, valid: dt.timedelta) -> str:
    code = secrets.token_urlsafe(24)
    record.code_digest = digest(code)
    record.code_expires_at = utcnow() + valid
    return code


def hand_over(session: Session, actor: Actor, case: Case, record: ChildVoiceRecord) -> str:
    """Start child mode: return the code the worker's (then ended) session carries."""
    _waiting(record, VoiceMode.CHILD_MODE)
    code = _new_code(record, dt.timedelta(hours=CHILD_MODE_HOURS))
    audit_case(
        session,
        actor,
        case,
        action="hand_over",
        entity="child_voice_record",
        entity_id=record.id,
        purpose=PURPOSE,
    )
    return code


def create_link(session: Session, actor: Actor, case: Case, record: ChildVoiceRecord) -> str:
    """Create (or replace) the one-time link's code; it is shown once and stored as a hash."""
    _waiting(record, VoiceMode.LINK)
    code = _new_code(record, dt.timedelta(days=LINK_DAYS))
    audit_case(
        session,
        actor,
        case,
        action="create_link",
        entity="child_voice_record",
        entity_id=record.id,
        purpose=PURPOSE,
    )
    return code


def by_code(session: Session, code: str) -> ChildVoiceRecord:
    """Return the record waiting for this code; unknown, used and expired are one NotFound."""
    if not code or len(code) > 100:
        raise NotFound(MSG_NOT_FOUND)
    record = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.code_digest == digest(code))
    ).first()
    if (
        record is None
        or record.answered_at is not None
        or record.code_expires_at is None
        or _aware(record.code_expires_at) <= utcnow()
    ):
        raise NotFound(MSG_NOT_FOUND)
    return record


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_answers(items: ItemSet, band_id: str, form: Mapping[str, object]) -> Answers:
    """Read the answers from a form: item_<id> (1..points or skip), open_<id>, shown_to.

    A question left unanswered counts as "vill inte svara"; a value no choice offers is refused.
    """
    band = items.band(band_id)
    values: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for item in items.items[band_id]:
        raw = str(form.get(f"item_{item.id}", SKIP) or SKIP).strip()
        if raw == SKIP:
            values[item.id] = None
        elif raw.isascii() and raw.isdigit() and 1 <= int(raw) <= band.points:
            values[item.id] = int(raw)
        else:
            errors[f"item_{item.id}"] = MSG_VALUE
    words: dict[str, str] = {}
    for question in items.open[band_id]:
        text = str(form.get(f"open_{question.id}", "") or "").strip()
        if "\x00" in text:
            errors[f"open_{question.id}"] = "Texten innehåller ett tecken som inte kan sparas."
        elif len(text) > MAX_WORDS:
            errors[f"open_{question.id}"] = MSG_TOO_LONG
        elif text:
            words[question.id] = text
    shown = str(form.get("shown_to", ShownTo.WORKER.value) or ShownTo.WORKER.value)
    if shown not in {s.value for s in ShownTo}:
        errors["shown_to"] = MSG_VALUE
    if errors:
        first = next(iter(errors))
        raise InvalidInput(errors[first], field=first)
    return Answers(values=values, words=words, shown_to=ShownTo(shown))


def submit(
    session: Session, actor: Actor, case: Case, record: ChildVoiceRecord, answers: Answers
) -> ChildVoiceRecord:
    """Write the child's answers and the anonymous response, in the caller's transaction."""
    _waiting(record)
    items = item_set(record.item_set_version)
    concern_items = {i.id for i in items.items[record.band] if i.concern}
    for item in items.items[record.band]:
        record.answers.append(ChildVoiceAnswer(item_id=item.id, value=answers.values.get(item.id)))
    for question in items.open[record.band]:
        if question.id in answers.words:
            record.answers.append(
                ChildVoiceAnswer(item_id=question.id, words=answers.words[question.id])
            )
    record.shown_to = answers.shown_to
    record.concern = any(answers.values.get(i) == 1 for i in concern_items)
    record.answered_at = utcnow()
    record.code_digest = None  # works once
    record.code_expires_at = None
    session.add(_response(case, record))
    session.flush()
    audit_case(
        session,
        actor,
        case,
        action="answer",
        entity="child_voice_record",
        entity_id=record.id,
        purpose=PURPOSE,
    )
    return record


def case_of(session: Session, record: ChildVoiceRecord) -> Case:
    """Return the case of a record reached by its code (no user to authorize)."""
    case = session.get(Case, record.case_id)
    if case is None:  # pragma: no cover - the foreign key holds it
        raise NotFound(MSG_NOT_FOUND)
    return case


def for_case(session: Session, case: Case) -> list[ChildVoiceRecord]:
    """Return the case's voice records, newest contact first."""
    return list(
        session.scalars(
            select(ChildVoiceRecord)
            .where(ChildVoiceRecord.case_id == case.id)
            .order_by(ChildVoiceRecord.taken_on.desc(), ChildVoiceRecord.id.desc())
        )
    )


@dataclass(frozen=True, slots=True)
class Concern:
    """A note on the inbox: the child answered lowest on feeling safe or on the help."""

    case_number: str
    taken_on: dt.date
    themes: tuple[str, ...]


def concerns(session: Session, actor: Actor, *, assigned_to_id: int | None) -> list[Concern]:
    """Return the "följ upp" notes of open cases the actor's inbox lists; nothing else happens."""
    query = (
        select(ChildVoiceRecord, Case)
        .join(Case, Case.id == ChildVoiceRecord.case_id)
        .where(ChildVoiceRecord.concern.is_(True), Case.status != CaseStatus.CLOSED)
        .order_by(ChildVoiceRecord.taken_on.desc())
    )
    if actor.role is not Role.ADMIN:
        query = query.where(Case.unit_id == actor.unit_id)
    if assigned_to_id is not None:
        query = query.where(Case.assigned_to_id == assigned_to_id)
    notes = []
    for record, case in session.execute(query.limit(200)):
        try:
            authorize(actor, case)
        except PermissionDenied:  # a case the actor may not see gives no note
            continue
        items = item_set(record.item_set_version).items[record.band]
        low = {a.item_id for a in record.answers if a.value == 1}
        themes = tuple(i.theme for i in items if i.concern and i.id in low)
        notes.append(Concern(case.case_number, record.taken_on, themes))
    return notes
