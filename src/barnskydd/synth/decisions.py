"""The synthetic municipality's decisions: a few refusals, and when each party was told.

Written through the chain (`chain.take` of a refuse_intervention step) and the decisions'
service (`tell`), so their rules and audit hold for generated data as for real data. Each case
draws from a stream of its own (seeded by its id), so the rest of the generated chain is as it
was without them.

Not calibrated: no public statistic counts refused applications in child and youth care. The
shares and days below are demo choices, said as such: about one completed investigation in ten
also has a refused application; a party is told by letter (arriving two to five days after the
decision) or, one time in three, handed the decision at a meeting the same day or the next.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from barnskydd.cases import chain
from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import RefuseIntervention
from barnskydd.cases.codes import InterventionCategory
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.codes import NoticeWay
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date

REFUSAL_SHARE = 0.1
HANDED_OVER_SHARE = 1 / 3
LETTER_DAYS = (2, 5)
REFUSED = (
    (InterventionCategory.CONTACT_PERSON_OR_FAMILY, "Behovet tillgodoses genom öppenvården."),
    (InterventionCategory.SUPPORTED_HOUSING, "Den unge bedöms inte ha behov av stödboende nu."),
    (InterventionCategory.OPEN_CARE, "Behovet tillgodoses genom skolans elevhälsa."),
)
PURPOSE = "delgivning"


def decide(session: Session, case_id: int, actor: Actor, on: dt.date, *, end: dt.date) -> None:
    """Maybe refuse an application on the day; record when each party of each decision was told."""
    rng = random.Random(f"decisions:{case_id}")
    case = cases.load(session, case_id, whole_chain=False)
    if rng.random() < REFUSAL_SHARE:
        category, reason = rng.choice(REFUSED)
        applied_on = max(
            on - dt.timedelta(days=rng.randint(7, 40)), local_date(case.report.received_at)
        )
        data = RefuseIntervention(
            category=category, applied_on=applied_on, decided_on=on, reason=reason
        )
        chain.take(session, actor=actor, case=case, data=data)
    for view in decisions.get_all(session, actor=actor, case=case, purpose=PURPOSE):
        for party in view.parties:
            if party.told_on is not None:
                continue
            if rng.random() < HANDED_OVER_SHARE:
                way, told_on = (
                    NoticeWay.HANDED_OVER,
                    view.decision.decided_on + dt.timedelta(days=rng.randint(0, 1)),
                )
            else:
                way, told_on = (
                    NoticeWay.LETTER,
                    view.decision.decided_on + dt.timedelta(days=rng.randint(*LETTER_DAYS)),
                )
            if told_on > end:
                continue
            told = DecisionTold(party=party.key, told_on=told_on, way=way)
            decisions.tell(session, actor=actor, case=case, decision_id=view.decision.id, data=told)
