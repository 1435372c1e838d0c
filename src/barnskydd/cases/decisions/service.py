"""Read a case's decisions, its parties and their appeal deadlines; record when a party was told.

The edge loads the case with its audited read (cases.service.get_by_number, which answers a
hidden case as one that does not exist); each function here checks the actor again and audits
its own read or write. The parties of a decision are the child's custodians (people.guardians)
and the child when 15 or older on the decision day (3 kap. 4 § SoL 2025:400). A party key is
"child" or "guardian:<id>": no personal data in a URL, an option or the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases import service as cases
from barnskydd.cases.codes import INTERVENTION_LABELS
from barnskydd.cases.decisions.codes import (
    CHILD_PARTY,
    GUARDIAN_PREFIX,
    OUTCOME_LABELS,
    WAY_LABELS,
    DecisionOutcome,
    NoticeWay,
)
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.cases.decisions.models import Decision, DecisionNotice
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.law import decisions as law
from barnskydd.people import access, guardians
from barnskydd.people.guardians import lives_with_child
from barnskydd.people.models import Guardian

ENTITY = "decision"
NOTICE_ENTITY = "decision_notice"
WRITERS = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ADMIN)
MSG_WRITERS = "Delgivning registreras av handläggare, arbetsledare och administratörer."
MSG_PARTY = "Parten finns inte för beslutet: ange child eller guardian:<id> för en vårdnadshavare."
MSG_TOLD_BEFORE = "Parten kan inte ha fått del av beslutet före beslutsdatum ({day})."
MSG_TOLD_FUTURE = "Dagen då parten fick del av beslutet kan inte ligga i framtiden."


class DecisionNotFound(NotFound):
    """No decision with this id in this case (another case's is answered the same way)."""

    MESSAGE = "Beslutet finns inte i ärendet."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


@dataclass(frozen=True, slots=True)
class Party:
    """One party of a decision: who, where a letter goes, and when they were told."""

    key: str
    name: str
    role: str
    address: str | None
    address_withheld: bool
    told_on: dt.date | None
    way: NoticeWay | None
    appeal_due: dt.date | None

    @property
    def way_label(self) -> str:
        """The way the party was told, as the desk shows it."""
        return WAY_LABELS[self.way] if self.way else ""


@dataclass(frozen=True, slots=True)
class DecisionView:
    """A decision with its legal basis and its parties, as every edge shows it."""

    decision: Decision
    parties: tuple[Party, ...]

    @property
    def heading(self) -> str:
        """What was decided, in a few words."""
        label = INTERVENTION_LABELS[self.decision.category]
        if self.decision.outcome is DecisionOutcome.REFUSED:
            return f"Avslag på ansökan om {label.lower()}"
        return f"Beviljad insats: {label.lower()}"

    @property
    def outcome_label(self) -> str:
        """Beviljad or Avslag."""
        return OUTCOME_LABELS[self.decision.outcome]

    @property
    def basis(self) -> law.Reference:
        """The paragraphs the decision rests on."""
        return law.legal_basis(self.decision.category, self.decision.legal_basis)

    @property
    def appealable(self) -> law.Reference:
        """The paragraph that lets the decision be appealed to the förvaltningsrätt."""
        return law.appealable_under(self.decision.legal_basis)

    def party(self, key: str) -> Party:
        """Return one party by its key, or refuse: not a party of this decision."""
        found = next((p for p in self.parties if p.key == key), None)
        if found is None:
            raise InvalidInput(MSG_PARTY, field="party")
        return found


def _reader(actor: Actor, case: Case) -> None:
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till personuppgifter.")
    cases.authorize(actor, case)


def _writer(actor: Actor, case: Case) -> None:
    if actor.role not in WRITERS:
        raise PermissionDenied(MSG_WRITERS)
    cases.authorize(actor, case)


def _decisions(session: Session, case: Case) -> list[Decision]:
    query = select(Decision).where(Decision.case_id == case.id)
    return list(session.scalars(query.order_by(Decision.decided_on.desc(), Decision.id.desc())))


def _decision(session: Session, case: Case, decision_id: int) -> Decision:
    decision = session.scalars(
        select(Decision).where(Decision.id == decision_id, Decision.case_id == case.id)
    ).one_or_none()
    if decision is None:
        raise DecisionNotFound
    return decision


def _notices(session: Session, decisions: list[Decision]) -> dict[tuple[int, str], DecisionNotice]:
    if not decisions:
        return {}
    query = select(DecisionNotice).where(DecisionNotice.decision_id.in_([d.id for d in decisions]))
    return {(n.decision_id, n.party): n for n in session.scalars(query)}


def _address(case: Case, guardian: Guardian) -> tuple[str | None, bool]:
    """Return the address a letter may carry, and whether protection withholds it.

    The letter leaves the office: whoever prints it, the address of a guardian who shares
    the protected child's address is never on it (people.guardians hides it on screen only
    from those not named for the child).
    """
    if access.is_restricted(case.child.protected_identity) and lives_with_child(
        case.child, guardian
    ):
        return None, True
    return guardian.address, False


def _parties(
    case: Case,
    decision: Decision,
    custodians: list[Guardian],
    notices: dict[tuple[int, str], DecisionNotice],
) -> tuple[Party, ...]:
    people: list[tuple[str, str, str, str | None, bool]] = []
    for guardian in custodians:
        address, withheld = _address(case, guardian)
        name = f"{guardian.first_name} {guardian.last_name}"
        people.append(
            (f"{GUARDIAN_PREFIX}{guardian.id}", name, "Vårdnadshavare", address, withheld)
        )
    child = case.child
    if law.child_is_party(child.birth_date, decision.decided_on):
        withheld = access.is_restricted(child.protected_identity)
        people.append(
            (
                CHILD_PARTY,
                f"{child.first_name} {child.last_name}",
                "Barnet (15 år eller äldre)",
                None if withheld else child.address,
                withheld,
            )
        )
    parties = []
    for key, name, role, address, withheld in people:
        notice = notices.get((decision.id, key))
        parties.append(
            Party(
                key=key,
                name=name,
                role=role,
                address=address,
                address_withheld=withheld,
                told_on=notice.told_on if notice else None,
                way=notice.way if notice else None,
                appeal_due=law.appeal_due(notice.told_on) if notice else None,
            )
        )
    return tuple(parties)


def _custodians(session: Session, actor: Actor, case: Case, purpose: str) -> list[Guardian]:
    found = guardians.get_all(
        session, actor=actor, child=case.child, case_id=case.id, purpose=purpose
    )
    return [g for g in found if g.custody]


def get_all(session: Session, *, actor: Actor, case: Case, purpose: str) -> list[DecisionView]:
    """Return the case's decisions, newest first, with their parties (the reads audited)."""
    _reader(actor, case)
    decisions = _decisions(session, case)
    custodians = _custodians(session, actor, case, purpose)
    notices = _notices(session, decisions)
    audit.record(
        session,
        actor=actor,
        action="read",
        entity="decisions",
        child_id=case.child_id,
        case_id=case.id,
        purpose=purpose,
    )
    return [DecisionView(d, _parties(case, d, custodians, notices)) for d in decisions]


def get(
    session: Session, *, actor: Actor, case: Case, decision_id: int, purpose: str
) -> DecisionView:
    """Return one decision of the case with its parties (the read audited)."""
    _reader(actor, case)
    decision = _decision(session, case, decision_id)
    custodians = _custodians(session, actor, case, purpose)
    notices = _notices(session, [decision])
    cases.audit_case(
        session, actor, case, action="read", entity=ENTITY, entity_id=decision.id, purpose=purpose
    )
    return DecisionView(decision, _parties(case, decision, custodians, notices))


def tell(
    session: Session, *, actor: Actor, case: Case, decision_id: int, data: DecisionTold
) -> DecisionNotice:
    """Record when and how a party was told of a decision (a second record replaces the first)."""
    _writer(actor, case)
    view = get(session, actor=actor, case=case, decision_id=decision_id, purpose="delgivning")
    view.party(data.party)
    decision = view.decision
    if data.told_on < decision.decided_on:
        raise InvalidInput(
            MSG_TOLD_BEFORE.format(day=decision.decided_on.isoformat()), field="told_on"
        )
    if data.told_on > today():
        raise InvalidInput(MSG_TOLD_FUTURE, field="told_on")
    law.appeal_due(data.told_on)  # refuses a day outside the holidays' calendar
    notice = session.scalars(
        select(DecisionNotice).where(
            DecisionNotice.decision_id == decision.id, DecisionNotice.party == data.party
        )
    ).one_or_none()
    action = "update"
    if notice is None:
        notice = DecisionNotice(decision_id=decision.id, party=data.party)
        session.add(notice)
        action = "create"
    notice.told_on = data.told_on
    notice.way = data.way
    notice.recorded_by = actor.username
    session.flush()
    cases.audit_case(session, actor, case, action=action, entity=NOTICE_ENTITY, entity_id=notice.id)
    return notice
