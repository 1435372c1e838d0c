"""Write and read a case's communications: the one path for the desk, API, CLI and generator.

The edge loads the case with its audited read; each function here checks the actor again.
A communication is recorded when the material is sent and answered once; it is never
deleted (it is part of the decision's legal record). Refusals raise before anything is
written. Whether a decision must wait is `waiting` (used by cases.chain.checks).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.models import Communication, Recipient
from barnskydd.cases.journal.service import WRITERS
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.law import decisions as law

ENTITY = "communication"
MSG_WRITERS = "Kommunicering registreras av handläggare, arbetsledare och administratörer."
MSG_ANSWERED = "Svaret är redan registrerat och kan inte ändras."
MSG_CHILD_UNDER_15 = (
    "Barnet har inte fyllt 15 år den {day} och för inte sin egen talan ({paragraph}); "
    "kommunicera med vårdnadshavarna."
)


class CommunicationNotFound(NotFound):
    """No communication with this id in this case."""

    MESSAGE = "Kommuniceringen finns inte i ärendet."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


def _writer(actor: Actor, case: Case) -> None:
    if actor.role not in WRITERS:
        raise PermissionDenied(MSG_WRITERS)
    cases.authorize(actor, case)


def _day(value: dt.date, *, field: str, what: str, not_before: dt.date) -> None:
    if value < not_before:
        raise InvalidInput(f"{what} kan inte ligga före {not_before.isoformat()}.", field=field)
    if value > today():
        raise InvalidInput(f"{what} kan inte ligga i framtiden.", field=field)


def add(session: Session, *, actor: Actor, case: Case, data: CommunicationAdd) -> Communication:
    """Record material sent to a party for an answer by a given day."""
    _writer(actor, case)
    received = local_date(case.report.received_at)
    _day(data.sent_on, field="sent_on", what="Datum då det skickades", not_before=received)
    if data.answer_by <= data.sent_on:
        raise InvalidInput(
            "Sista svarsdag måste ligga efter den dag materialet skickades.", field="answer_by"
        )
    # Only a child of 15 pleads their own case (3 kap. 4 § SoL 2025:400, read in the text of
    # SFS 2025:400): a younger child is communicated with through the guardians.
    if data.recipient_kind is Recipient.CHILD and not law.child_is_party(
        case.child.birth_date, data.sent_on
    ):
        raise InvalidInput(
            MSG_CHILD_UNDER_15.format(
                day=data.sent_on.isoformat(), paragraph=law.CHILD_OWN_VOICE.text
            ),
            field="recipient_kind",
        )
    item = Communication(case_id=case.id, author=actor.username, **data.model_dump())
    session.add(item)
    session.flush()
    cases.audit_case(session, actor, case, action="create", entity=ENTITY, entity_id=item.id)
    return item


def answer(
    session: Session, *, actor: Actor, case: Case, communication_id: int, data: CommunicationAnswer
) -> Communication:
    """Record the party's answer, once."""
    _writer(actor, case)
    item = session.scalars(
        select(Communication).where(
            Communication.id == communication_id, Communication.case_id == case.id
        )
    ).one_or_none()
    if item is None:
        raise CommunicationNotFound
    if item.answered_on is not None:
        raise ForbiddenTransition(MSG_ANSWERED)
    _day(data.answered_on, field="answered_on", what="Svarsdatum", not_before=item.sent_on)
    item.answered_on = data.answered_on
    item.answer = data.answer
    session.flush()
    cases.audit_case(session, actor, case, action="update", entity=ENTITY, entity_id=item.id)
    return item


def get_all(session: Session, *, actor: Actor, case: Case, purpose: str) -> list[Communication]:
    """Return the case's communications, newest first, auditing the read."""
    cases.authorize(actor, case)
    items = list(
        session.scalars(
            select(Communication)
            .where(Communication.case_id == case.id)
            .order_by(Communication.sent_on.desc(), Communication.id.desc())
        )
    )
    cases.audit_case(session, actor, case, action="read", entity="communications", purpose=purpose)
    return items
