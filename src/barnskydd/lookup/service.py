"""The municipality's lookup: who may ask, what is asked, what the answer shows, notices.

A lookup needs a case worker or team lead, an open case of their own unit in the municipality
the database serves (barnskydd.staff.deployment) for the child, and a purpose. The check and
the audit entry are written in the caller's transaction before any national service is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.codes import CaseStatus
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.lookup.client import NationalClient
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.lookup.rules import STATUS_CLASS_LABELS, oprf_input
from barnskydd.lookup.schemas import LookupRequest
from barnskydd.people.rules import IdentityKind
from barnskydd.staff import deployment

PURPOSES: dict[str, str] = {
    "skyddsbedomning": "Skyddsbedömning",
    "forhandsbedomning": "Förhandsbedömning",
    "utredning": "Barnavårdsutredning",
    "insats": "Planering av insats",
}


@dataclass(frozen=True, slots=True)
class Subject:
    """An authorised question about one child, ready to send."""

    identity_number: str
    purpose: str
    asked_by: str
    contact: str


@dataclass(frozen=True, slots=True)
class Answer:
    """One municipality that holds a report, as the case page shows it."""

    municipality: str
    latest_report_month: str
    status: str
    contact_unit: str


def authorise(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    purpose: str,
    asked_by: str,
    contact: str,
) -> Subject:
    """Check that the actor may ask about the case's child, audit the lookup, return it."""
    if actor.role not in (Role.CASE_WORKER, Role.TEAM_LEAD):
        raise PermissionDenied("Bara handläggare och arbetsledare kan göra riksuppslag.")
    if purpose not in PURPOSES:
        raise InvalidInput("Ange syftet med uppslaget.", field="purpose")
    case = cases.get_by_number(
        session, actor=actor, case_number=case_number, purpose=f"riksuppslag: {PURPOSES[purpose]}"
    )
    if case.status is CaseStatus.CLOSED:
        raise PermissionDenied("Riksuppslag kräver ett öppet ärende om barnet.")
    if case.unit.municipality_code != deployment.municipality(session).code:
        raise PermissionDenied("Ärendet hör inte till den här kommunen.")
    if case.child.identity_kind == IdentityKind.reserve:
        raise InvalidInput("Ett reservnummer kan inte sökas i andra kommuner.")
    cases.audit_case(
        session,
        actor,
        case,
        action="lookup",
        entity="national_lookup",
        entity_id=case.id,
        purpose=PURPOSES[purpose],
    )
    unit_contact = f"{case.unit.name}, {contact}" if contact else case.unit.name
    return Subject(case.child.identity_number, PURPOSES[purpose], asked_by, unit_contact[:200])


def ask(client: NationalClient, subject: Subject) -> list[Answer]:
    """Pseudonymise under every accepted key version and ask the index."""
    answer = client.lookup(
        LookupRequest(
            pseudonyms=client.versioned_pseudonyms(oprf_input(subject.identity_number)),
            purpose=subject.purpose,
            asked_by=subject.asked_by,
            contact=subject.contact,
        )
    )
    return [
        Answer(
            municipality=municipality_label(m.municipality_code),
            latest_report_month=m.latest_report_month,
            status=STATUS_CLASS_LABELS[m.status_class],
            contact_unit=m.contact_unit,
        )
        for m in answer.matches
    ]


def municipality_label(code: str) -> str:
    """Return "Name (code)" for a municipality code, or the code when it is unknown."""
    return deployment.label(code)


def fetch_notices(session: Session, client: NationalClient) -> list[LookupNotice]:
    """Fetch new notifications from the index and store them against our children."""
    after = session.scalar(select(func.max(LookupNotice.notification_id))) or 0
    fetched = client.notifications(after).notifications
    now, stored = utcnow(), []
    for item in fetched:
        child_id = session.scalar(
            select(LookupPublication.child_id).where(
                LookupPublication.published_pseudonym == item.pseudonym
            )
        )
        notice = LookupNotice(
            notification_id=item.id,
            child_id=child_id,
            asking_municipality=item.asking_municipality,
            asked_by=item.asked_by,
            contact=item.contact,
            purpose=item.purpose,
            asked_at=item.asked_at,
            received_at=now,
        )
        session.add(notice)
        stored.append(notice)
    session.flush()
    return stored
