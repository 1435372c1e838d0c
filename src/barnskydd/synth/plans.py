"""The synthetic municipality's investigation plans and communications before a decision.

Written through barnskydd.cases.plan.service and barnskydd.cases.communication.service by the
case's worker, so their rules and audit hold for generated data as for real data. A random
stream of its own (seeded from the run's seed) keeps the rest of the generated chain as it
was.

Not calibrated on measured data (none found): the numbers below are assumptions, chosen from
the plan's parts as municipal guidance describes them (the questions, whom to contact, the
talks with the child) and the journal's two talks with the child per investigation.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.models import Recipient
from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd
from barnskydd.cases.plan.models import ContactParty, PlanItemKind
from barnskydd.core.actor import Actor
from barnskydd.synth import calibration as cal

QUESTIONS = (
    "Hur ser barnets skolgång och närvaro ut?",
    "Hur tillgodoser vårdnadshavarna barnets behov av omsorg och trygghet?",
    "Vad säger barnet själv om sin situation hemma?",
    "Finns det risk för att barnet far illa i hemmet?",
    "Vilket stöd behöver familjen?",
)
AUTHORITIES = ("Mentor på skolan", "Elevhälsan", "BVC-sjuksköterska", "BUP", "Förskolan")
PRIVATE = ("Mormor", "Farbror", "En granne familjen nämnt")
QUESTIONS_PER_PLAN = (2, 4)  # assumption
AUTHORITY_CONTACTS = (1, 2)  # assumption: school or child health care in nearly every plan
PRIVATE_CONTACT_SHARE = 0.25  # assumption: a relative or other private person is contacted
CONSENT_SHARE = 0.85  # assumption: of those, the guardians consented
COMMUNICATED_BEFORE = 21  # assumption: the investigation is sent three weeks before completion
ANSWER_DAYS = 14  # assumption: two weeks to answer, a common time in municipal letters
ANSWERED_SHARE = 0.6  # assumption: the guardians answer (often "inget att tillägga")


class Plans:
    """Write the plans and communications of the generated investigations; count them."""

    def __init__(self, session: Session, *, seed: int, end: dt.date) -> None:
        self.session = session
        self.rng = random.Random(f"plan:{seed}")
        self.end = end
        self.items = 0
        self.communications = 0

    def _add(self, actor: Actor, case_id: int, **fields: object) -> None:
        case = cases.load(self.session, case_id, whole_chain=False)
        plan.add(self.session, actor=actor, case=case, data=PlanAdd.model_validate(fields))
        self.items += 1

    def investigation(
        self, case_id: int, actor: Actor, opened_on: dt.date, completed_on: dt.date
    ) -> None:
        """Write an opened investigation's plan and its communication before completion."""
        self.opened(case_id, actor, opened_on, completed_on)
        self.before_completion(case_id, actor, opened_on, completed_on)

    def opened(self, case_id: int, actor: Actor, opened_on: dt.date, completed_on: dt.date) -> None:
        """Write the plan of an investigation opened on `opened_on`."""
        rng = self.rng
        for text in rng.sample(QUESTIONS, rng.randint(*QUESTIONS_PER_PLAN)):
            self._add(actor, case_id, kind=PlanItemKind.QUESTION, text=text)
        for who in rng.sample(AUTHORITIES, rng.randint(*AUTHORITY_CONTACTS)):
            self._add(
                actor,
                case_id,
                kind=PlanItemKind.CONTACT,
                text=f"{who} (testdata).",
                party=ContactParty.AUTHORITY,
            )
        if rng.random() < PRIVATE_CONTACT_SHARE:
            self._add(
                actor,
                case_id,
                kind=PlanItemKind.CONTACT,
                text=f"{rng.choice(PRIVATE)} (testdata).",
                party=ContactParty.PRIVATE,
                consent=rng.random() < CONSENT_SHARE,
            )
        span = max(1, (completed_on - opened_on).days // 2)
        for _ in range(cal.CHILD_TALKS_PER_INVESTIGATION):
            self._add(
                actor,
                case_id,
                kind=PlanItemKind.CHILD_TALK,
                text="Samtal med barnet (testdata).",
                planned_on=opened_on + dt.timedelta(days=rng.randint(1, span)),
                child_alone=rng.random() < cal.CHILD_ALONE_SHARE,
            )

    def before_completion(
        self, case_id: int, actor: Actor, opened_on: dt.date, completed_on: dt.date
    ) -> None:
        """Send the investigation to the guardians for an answer before it is completed.

        The answer's last day falls before the completion, so the decision never waits; an
        investigation too short for it, or sent after the run's end, is not communicated.
        """
        sent_on = completed_on - dt.timedelta(days=COMMUNICATED_BEFORE)
        if sent_on <= opened_on or sent_on >= self.end:
            return
        case = cases.load(self.session, case_id, whole_chain=False)
        data = CommunicationAdd(
            recipient_kind=Recipient.GUARDIAN,
            recipient="Vårdnadshavarna (testdata)",
            material="Utredningen i sin helhet (testdata).",
            sent_on=sent_on,
            answer_by=sent_on + dt.timedelta(days=ANSWER_DAYS),
        )
        sent = communication.add(self.session, actor=actor, case=case, data=data)
        self.communications += 1
        answered_on = sent_on + dt.timedelta(days=self.rng.randint(2, ANSWER_DAYS))
        if self.rng.random() < ANSWERED_SHARE and answered_on < self.end:
            answer = CommunicationAnswer(answered_on=answered_on, answer="Inget att tillägga.")
            communication.answer(
                self.session, actor=actor, case=case, communication_id=sent.id, data=answer
            )
