"""A family for the extract's tests: a child with a sibling, a guardian, an unrelated child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from barnskydd.cases import family
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.models import Case
from barnskydd.cases.schemas import SiblingCreate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.people.rules import parse_identity
from barnskydd.staff import service as staff
from tests.factories import OTHER_CHILD_PNR, registered_case, unit_and_worker

SIBLING_PNR = "20170304-9880"  # synthetic, valid check digit
GUARDIAN_PNR = "19850412-4564"
REPORTER = "Rut Reporter-Svensson"
CHILD_TEXT = "Saga berättade om skolan och sina vänner."
SIBLING_TEXT = "Ebba ritade en teckning av hemmet: hemligt syskonspår."
OTHER_TEXT = "Elis pratade om fotbollen: helt annan familj."


@dataclass(frozen=True)
class Family:
    worker: Actor
    lead: Actor
    admin: Actor
    analyst: Actor
    case: Case
    sibling_case: Case
    other_case: Case
    guardian_id: int


def _entry(session: Session, worker: Actor, case: Case, text: str) -> None:
    data = JournalAdd(
        kind=JournalKind.CHILD_TALK,
        at=dt.datetime(2025, 6, 23, 10, 0, tzinfo=SWEDEN),
        minutes=45,
        child_alone=True,
        text=text,
    )
    entry = journal.create(session, actor=worker, case=case, data=data)
    journal.sign(session, actor=worker, case=case, entry_id=entry.id)


def family_with_sibling(session: Session) -> Family:
    """Register a report about Saga and her sister Ebba, and one about unrelated Elis."""
    unit_id, worker = unit_and_worker(session)
    people = {
        role: staff.actor_for(
            staff.create(session, username=name, display_name=name, role=role, unit_id=unit_id)
        )
        for name, role in (
            ("lisa", Role.TEAM_LEAD),
            ("ada", Role.ADMIN),
            ("alf", Role.ANALYST),
        )
    }
    case = registered_case(
        session,
        unit_id,
        worker,
        reporter_name=REPORTER,
        reporter_contact="rut@example.org",
        free_text=f"Oro för Saga Lind och Ebba Lind ({SIBLING_PNR}).",
        siblings=[SiblingCreate(identity=SIBLING_PNR, first_name="Ebba", last_name="Lind")],
    )
    sibling_case = (
        session.query(Case).filter(Case.report_group == case.id, Case.id != case.id).one()
    )
    other_case = registered_case(
        session,
        unit_id,
        worker,
        child_identity=OTHER_CHILD_PNR,
        child_first_name="Elis",
        child_last_name="Ek",
        free_text="Oro för Elis Ek, en annan familj.",
    )
    _entry(session, worker, case, CHILD_TEXT)
    _entry(session, worker, sibling_case, SIBLING_TEXT)
    _entry(session, worker, other_case, OTHER_TEXT)
    guardian = family.add_guardian(
        session,
        actor=worker,
        case=case,
        data=GuardianInput.model_validate(
            {
                "identity": GUARDIAN_PNR,
                "first_name": "Lena",
                "last_name": "Lind",
                "relation": "mother",
                "phone": "070-123 45 67",
            }
        ),
    )
    session.flush()
    return Family(
        worker=worker,
        lead=people[Role.TEAM_LEAD],
        admin=people[Role.ADMIN],
        analyst=people[Role.ANALYST],
        case=case,
        sibling_case=sibling_case,
        other_case=other_case,
        guardian_id=guardian.id,
    )


def number(text: str) -> str:
    """Return the normalised identity number."""
    return parse_identity(text).number
