"""The child's voice at the synthetic municipality's follow-ups and reviews: answers, refusals.

Each follow-up and each övervägande of a placement draws from a random stream of its own
(seeded by the case, the placement and the day), so the rest of the generation draws the same
as before this module existed. An övervägande is drawn like a follow-up: the anchors below are
of placed children asked at the social worker's visits, which is where a review's talk with
the child happens.

Calibrated on (capabilities.md section 1.3; figures are anchors, not measurements of a
municipality that asks every child):
- Falkenberg 2022: 88 % of placed young people 13-21 answered when asked on an iPad during
  the social worker's visit, prepared in advance: offered children 13+ answer 88 %.
- SKR's surveys reach only 13+ and almost no municipality asks younger children: fewer
  younger children are offered the questions (75 % at 8-12, 55 % at 4-7 against 85 % at 13+),
  and "age or maturity" is the most common reason under 8.
- SKR IFO 2021/2023: the possibility to influence is the weakest item and the situation
  having changed (our `help_helps`) among the least positive; Socialstyrelsen 2021: most
  placed children feel safe where they live. The per-theme shares below follow that order.
- SKR 2023: the largest gender gap is among young people 13+, boys more positive: boys 13+
  are a few points more positive.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.chain import Taken
from barnskydd.cases.chain import inputs as step
from barnskydd.cases.models import Case
from barnskydd.core.actor import SYSTEM
from barnskydd.voice import service as voice
from barnskydd.voice.codes import AUTO_BAND, VoiceMode, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import item_set
from barnskydd.voice.models import ChildVoiceRecord

OFFERED = {"4-7": 0.55, "8-12": 0.75, "13-20": 0.85}
ANSWERED_WHEN_OFFERED = {"4-7": 0.8, "8-12": 0.85, "13-20": 0.88}
# Of those not asked: not offered or not possible, with the reasons' weights.
NOT_POSSIBLE_SHARE = 0.45
REASONS = {
    "4-7": ((VoiceReason.AGE_MATURITY, 6), (VoiceReason.NOT_REACHED, 2), (VoiceReason.OTHER, 1)),
    "other": (
        (VoiceReason.NOT_REACHED, 5),
        (VoiceReason.SAFETY, 1),
        (VoiceReason.NO_INTERPRETER, 1),
        (VoiceReason.NO_ADAPTED_FORMAT, 1),
        (VoiceReason.AGE_MATURITY, 1),
        (VoiceReason.OTHER, 1),
    ),
}
MODES = {
    "4-7": ((VoiceMode.READ_ALOUD, 9), (VoiceMode.INTERPRETER, 1)),
    "8-12": ((VoiceMode.CHILD_MODE, 5), (VoiceMode.READ_ALOUD, 4), (VoiceMode.INTERPRETER, 1)),
    "13-20": (
        (VoiceMode.CHILD_MODE, 6),
        (VoiceMode.LINK, 3),
        (VoiceMode.READ_ALOUD, 1),
        (VoiceMode.INTERPRETER, 1),
    ),
}
# The share answering at the positive end, per theme (the order of SKR's and Socialstyrelsen's).
POSITIVE = {
    "safe": 0.8,
    "knows_worker": 0.75,
    "listened": 0.7,
    "understood_info": 0.62,
    "school": 0.62,
    "time_alone": 0.6,
    "contact_family": 0.6,
    "help_helps": 0.55,
    "influence": 0.5,
}
LOWEST = 0.05  # the share at the lowest answer, of those not positive, doubled for the rest
SKIP = 0.05  # "vill inte svara"
WORDS = {
    "good": ("Att jag får spela fotboll.", "Min kompis.", "Att det är lugnt hemma nu."),
    "worries": ("Skolan.", "Att flytta igen.", "Att mamma är ledsen."),
    "wishes": ("Träffa pappa oftare.", "Att någon lyssnar mer.", "Mindre bråk."),
}
OTHER_REASON = "Barnet var sjukt vid besöket."


def _pick(rng: random.Random, weighted: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def obtained(rng: random.Random, band: str) -> voice.Obtained:
    """Return how the child's view was obtained at a contact, drawn for the child's band."""
    if rng.random() < OFFERED[band]:
        if rng.random() < ANSWERED_WHEN_OFFERED[band]:
            mode = _pick(rng, MODES[band])
            assert isinstance(mode, VoiceMode)
            alone = mode in (VoiceMode.CHILD_MODE, VoiceMode.LINK) or rng.random() < 0.5
            return voice.Obtained(status=VoiceStatus.ANSWERED, mode=mode, alone=alone)
        return voice.Obtained(status=VoiceStatus.DECLINED)
    status = (
        VoiceStatus.NOT_POSSIBLE if rng.random() < NOT_POSSIBLE_SHARE else VoiceStatus.NOT_OFFERED
    )
    reason = _pick(rng, REASONS["4-7" if band == "4-7" else "other"])
    assert isinstance(reason, VoiceReason)
    text = OTHER_REASON if reason is VoiceReason.OTHER else ""
    return voice.Obtained(status=status, reason=reason, reason_text=text)


def follow_up_input(rng: random.Random, band: str, on: dt.date) -> step.FollowUp:
    """Return a follow-up step's input with how the child's view was obtained."""
    o = obtained(rng, band)
    return step.FollowUp(
        followed_up_on=on,
        voice_status=o.status,
        voice_reason=o.reason,
        voice_reason_text=o.reason_text,
        voice_mode=o.mode,
        voice_alone=o.alone,
    )


def review_input(
    rng: random.Random, band: str, *, intervention_id: int, on: dt.date, care_plan_revised: bool
) -> step.ReviewPlacement:
    """Return an övervägande's input with how the child's view was obtained, as at follow-ups."""
    o = obtained(rng, band)
    return step.ReviewPlacement(
        intervention_id=intervention_id,
        reviewed_on=on,
        care_plan_revised=care_plan_revised,
        voice_status=o.status,
        voice_reason=o.reason,
        voice_reason_text=o.reason_text,
        voice_mode=o.mode,
        voice_alone=o.alone,
    )


def answers(rng: random.Random, band_id: str, *, boy: bool) -> voice.Answers:
    """Return a child's drawn answers for a band."""
    items = item_set()
    band = items.band(band_id)
    values: dict[str, int | None] = {}
    lift = 0.04 if boy and band_id == "13-20" else 0.0
    for item in items.items[band_id]:
        draw = rng.random()
        if draw < SKIP:
            values[item.id] = None
            continue
        if rng.random() < POSITIVE[item.theme] + lift:
            values[item.id] = rng.randint(band.positive_from, band.points)
        elif rng.random() < LOWEST * 2:
            values[item.id] = 1
        else:
            values[item.id] = rng.randint(min(2, band.positive_from - 1), band.positive_from - 1)
    words = {q: rng.choice(texts) for q, texts in WORDS.items() if rng.random() < 0.3}
    return voice.Answers(values=values, words=words)


def follow_up(
    session: Session, take: Callable[[step.StepInput], Taken], case_id: int, on: dt.date
) -> None:
    """Take a follow-up step with the child's voice, and give the answers when the child does."""
    case = cases.load(session, case_id, whole_chain=False)
    rng = random.Random(f"voice-{case_id}-{on.isoformat()}")
    band = voice.band_of(case, on, AUTO_BAND).id
    taken = take(follow_up_input(rng, band, on))
    record = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.follow_up_id == taken.record.id)
    ).one()
    _answer(session, rng, case, record)


def review(
    session: Session,
    take: Callable[[step.StepInput], Taken | None],
    case_id: int,
    *,
    intervention_id: int,
    on: dt.date,
    care_plan_revised: bool,
) -> bool:
    """Take an övervägande with the child's voice and the child's answers; False if refused."""
    case = cases.load(session, case_id, whole_chain=False)
    rng = random.Random(f"voice-review-{case_id}-{intervention_id}-{on.isoformat()}")
    band = voice.band_of(case, on, AUTO_BAND).id
    data = review_input(
        rng, band, intervention_id=intervention_id, on=on, care_plan_revised=care_plan_revised
    )
    taken = take(data)
    if taken is None:
        return False
    record = session.scalars(
        select(ChildVoiceRecord).where(ChildVoiceRecord.placement_review_id == taken.record.id)
    ).one()
    _answer(session, rng, case, record)
    return True


def _answer(session: Session, rng: random.Random, case: Case, record: ChildVoiceRecord) -> None:
    """Give the child's drawn answers when the child answers (by device, link or aloud)."""
    if record.status is VoiceStatus.ANSWERED:
        drawn = answers(rng, record.band, boy=case.child.gender == "boy")
        by_child = record.mode in (VoiceMode.CHILD_MODE, VoiceMode.LINK)
        actor = voice.CHILD if by_child else SYSTEM
        voice.submit(session, actor, case, record, drawn)
