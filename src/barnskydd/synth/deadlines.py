"""The synthetic municipality's cases that reach the deadlines after the investigation.

Run once after the generator's event queue, through the same service layer, with its own
random stream (so nothing else of a run changes). On the run's last day it:

- gives the feedback a mandatory reporter is owed on most decisions (FEEDBACK_GIVEN), and
  leaves the rest owed: those older than a week are late;
- reviews running placements (SoL and LVU) about every six months, revising the vårdplan at
  the review nearest two years, with the child's view obtained as at a follow-up
  (`synth.voice.review`); a placement whose worker stops reviewing (REVIEW_LAPSE per
  review) runs late from then;
- adds to a few cases in `interventions` a jourhem placement from the investigation's end, an
  ungdomstjänst judgment not yet carried out, or a SoL insats decided but not yet started, so
  the jourhem, ungdomstjänst and ej verkställt deadlines appear, the older ones late.

The shares are not calibrated on published figures: they are chosen so that a demo shows
each deadline on time and late. Follow-ups after a placement and LVU reviews come from the
generator's own placements. Feedback given is dated a few days after the decision (one in
ten after its week, FEEDBACK_LATE), so the deviation scan and the municipality's numbers see
most of it on time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from barnskydd.cases import chain, feedback
from barnskydd.cases import deadlines as case_deadlines
from barnskydd.cases import service as cases
from barnskydd.cases.chain import inputs as step
from barnskydd.cases.codes import PLACEMENTS, CaseStatus, InterventionCategory, LegalBasis
from barnskydd.cases.models import Case, Intervention
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.errors import DomainError
from barnskydd.law import rules as law
from barnskydd.staff.service import actor_for
from barnskydd.synth import voice as voice_synth

FEEDBACK_GIVEN = 0.85
FEEDBACK_LATE = 0.1  # of those given, after the week (assumption, for the demo)
REVIEW_LAPSE = 0.08
CARE_PLAN_AFTER = dt.timedelta(days=660)  # the review nearest two years placed revises it
# Of the open cases whose investigation has ended, the share given each extra kind (at least
# MIN_EACH cases each, so a small demo shows every deadline): one kind per case.
EXTRA_SHARES = {
    "jourhem": 0.05,
    "ungdomstjänst": 0.03,
    "ej verkställt": 0.04,
    "placering slut": 0.04,
}
MIN_EACH = 2
SALT = 0x1D_EAD


def add(session: Session, *, seed: int, end: dt.date) -> Counter[str]:
    """Take the later steps described above; return how many of each were taken."""
    rng = random.Random(seed ^ SALT)
    taken: Counter[str] = Counter()
    rows = session.scalars(
        select(Case)
        .where(Case.assigned_to_id.is_not(None))
        .options(
            selectinload(Case.assigned_to),
            selectinload(Case.interventions).selectinload(Intervention.reviews),
        )
        .order_by(Case.id)
    ).all()
    eligible: list[tuple[Case, Actor]] = []
    for case in rows:
        if case.assigned_to is None:
            continue
        actor = actor_for(case.assigned_to)
        if _owed_feedback(session, case, end) and rng.random() < FEEDBACK_GIVEN:
            given_at = _feedback_time(case, end)
            feedback.record(session, actor=actor, case_id=case.id, given_at=given_at)
            taken["feedback"] += 1
        if case.status in (
            CaseStatus.INVESTIGATION,
            CaseStatus.INTERVENTIONS,
            CaseStatus.FOLLOW_UP,
        ):
            for placement in [x for x in case.interventions if _running_placement(x, end)]:
                taken["review_placement"] += _review(session, rng, actor, case, placement, end)
        if (
            case.status in (CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP)
            and case.interventions  # not a follow-up after an investigation (23 kap. 1 §)
            and case.investigation is not None
            and case.investigation.completed_on is not None
        ):
            eligible.append((case, actor))
    rng.shuffle(eligible)
    for kind, share in EXTRA_SHARES.items():
        count = max(MIN_EACH, round(share * len(eligible)))
        chosen, eligible = eligible[:count], eligible[count:]
        for case, actor in chosen:
            if _extra(session, rng, actor, case, end, kind):
                taken[kind] += 1
    return taken


def _feedback_time(case: Case, end: dt.date) -> dt.datetime | None:
    """When the feedback was given: mostly within its week of the decision, one in ten later.

    Drawn from a generator of the case's own, so the other draws stay as they were. None
    (now) when the decision was on the last day generated.
    """
    preliminary = case.preliminary_assessment
    if preliminary is None:
        return None
    own = random.Random(f"feedback-given:{case.id}")
    days = own.randint(8, 20) if own.random() < FEEDBACK_LATE else own.randint(1, 6)
    day = min(preliminary.decided_on + dt.timedelta(days=days), end)
    if day >= today():
        return None
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=SWEDEN)


def _owed_feedback(session: Session, case: Case, end: dt.date) -> bool:
    return any(
        d.rule == "feedback" for d in case_deadlines.open_deadlines(session, case, today=end)
    )


def _running_placement(x: Intervention, end: dt.date) -> bool:
    return x.ended_on is None and x.category in PLACEMENTS and x.start_on <= end


def _take(session: Session, actor: Actor, case: Case, data: step.StepInput) -> chain.Taken | None:
    loaded = cases.load(session, case.id, whole_chain=False)
    try:
        return chain.take(session, actor=actor, case=loaded, data=data)
    except DomainError:
        return None


def _review(
    session: Session,
    rng: random.Random,
    actor: Actor,
    case: Case,
    placement: Intervention,
    end: dt.date,
) -> int:
    """Review a placement every six months or so until the run's end, or until a lapse."""
    rule = "lvu_review" if placement.legal_basis is LegalBasis.LVU else "placement_review"
    last, revised, done = placement.start_on, False, 0
    while True:
        try:
            due = law.later_deadline(rule, last).due
        except DomainError:
            return done
        day = max(last + dt.timedelta(days=1), due - dt.timedelta(days=rng.randint(0, 20)))
        if day > end or rng.random() < REVIEW_LAPSE:
            return done
        revise = not revised and day - placement.start_on >= CARE_PLAN_AFTER
        reviewed = voice_synth.review(
            session,
            partial(_take, session, actor, case),
            case.id,
            intervention_id=placement.id,
            on=day,
            care_plan_revised=revise,
        )
        if not reviewed:
            return done
        last, revised, done = day, revised or revise, done + 1


def _extra(
    session: Session, rng: random.Random, actor: Actor, case: Case, end: dt.date, kind: str
) -> bool:
    """Add a jourhem, an ungdomstjänst, a not yet started insats, or end the last placement."""
    investigation = case.investigation
    if investigation is None or investigation.completed_on is None:
        return False
    ended = investigation.completed_on
    later = end + dt.timedelta(days=rng.randint(5, 60))
    data: step.StepInput
    if kind == "jourhem":
        data = step.DecideIntervention(
            category=InterventionCategory.EMERGENCY_HOME,
            legal_basis=LegalBasis.SOL,
            decided_on=ended,
        )
    elif kind == "ungdomstjänst":
        data = step.DecideIntervention(
            category=InterventionCategory.YOUTH_SERVICE,
            legal_basis=LegalBasis.SOL,
            decided_on=ended,
            start_on=later,
            judgment_final_on=ended - dt.timedelta(days=rng.randint(0, 20)),
        )
    elif kind == "ej verkställt":
        data = step.DecideIntervention(
            category=InterventionCategory.CONTACT_PERSON_OR_FAMILY,
            legal_basis=LegalBasis.SOL,
            decided_on=end - dt.timedelta(days=rng.randint(10, 150)),
            start_on=later,
        )
        if data.decided_on < ended:
            return False
    else:
        return _end_placement(session, rng, actor, case, end)
    return _take(session, actor, case, data) is not None


def _end_placement(
    session: Session, rng: random.Random, actor: Actor, case: Case, end: dt.date
) -> bool:
    """A family home placement from the investigation's end, ended since: its follow-up runs."""
    if any(x.ended_on is None and x.category in PLACEMENTS for x in case.interventions):
        return False
    investigation = case.investigation
    if investigation is None or investigation.completed_on is None:
        return False
    started = investigation.completed_on
    decided = step.DecideIntervention(
        category=InterventionCategory.FAMILY_HOME, legal_basis=LegalBasis.SOL, decided_on=started
    )
    if _take(session, actor, case, decided) is None:
        return False
    placement = max(case.interventions, key=lambda x: x.id)
    ended_on = min(end, started + dt.timedelta(days=rng.randint(20, 120)))
    ending = step.EndIntervention(
        intervention_id=placement.id, ended_on=ended_on, reason="Placeringen har upphört."
    )
    return _take(session, actor, case, ending) is not None
