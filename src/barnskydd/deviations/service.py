"""Report, read, assess and close deviations: the one write path for the desk, CLI and synth.

Anyone reports. The unit's team lead assesses its deviations; the municipality's Lex Sarah
role (and the administrator) investigates, assesses and reports to IVO. The reporter is
known to those owners and shown to nobody else. A deviation linked to a case shows the case
only to those who may read it (cases.service.authorize: other units, protected children).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from barnskydd.audit import service as audit
from barnskydd.cases import service as cases
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import local_date, today
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.deviations import rules
from barnskydd.deviations.codes import DeviationKind, DeviationStatus
from barnskydd.deviations.models import (
    Deviation,
    DeviationAction,
    DeviationFactor,
    IvoReport,
    LexSarahInvestigation,
)
from barnskydd.deviations.schemas import ActionCreate, DeviationCreate, InvestigationUpdate, IvoSent
from barnskydd.staff.models import StaffMember, Unit

PURPOSE = "avvikelsehantering"
MSG_NOT_FOUND = "Avvikelsen finns inte."
MSG_NOT_OWNER = "Bara enhetens arbetsledare eller lex Sarah-ansvarig får hantera avvikelsen."
MSG_NOT_INVESTIGATOR = "Bara lex Sarah-ansvarig får utreda och anmäla till IVO."
MSG_UNIT = "Välj en enhet i listan."
MSG_CASE = "Ärendet finns inte eller du har inte tillgång till det."
MSG_FUTURE = "Datumet kan inte ligga i framtiden."
MSG_MEASURES = "Skriv vilka åtgärder som vidtogs genast (krävs för en lex Sarah-rapport)."
MSG_MEASURES_AT = "Ange när åtgärderna vidtogs."
MSG_IVO_FIRST = "En allvarlig avvikelse kan inte avslutas förrän anmälan till IVO är skickad."
MSG_OWNER = "Välj en ansvarig i listan."
MSG_NO_IVO = "Avvikelsen är inte bedömd som allvarlig; ingen anmälan till IVO behövs."
_LOAD = (
    selectinload(Deviation.factors),
    selectinload(Deviation.investigation),
    selectinload(Deviation.ivo_report),
    selectinload(Deviation.actions),
)


def create(session: Session, *, actor: Actor, data: DeviationCreate) -> Deviation:
    """Record a report from any staff member; a Lex Sarah report needs its immediate measures."""
    if actor.role is Role.SYSTEM or data.kind is DeviationKind.AUTO:
        raise PermissionDenied("Automatiska avvikelser skapas bara av genomgången av tidsfrister.")
    if session.get(Unit, data.unit_id) is None:
        raise InvalidInput(MSG_UNIT, field="unit_id")
    if data.occurred_on > today():
        raise InvalidInput(MSG_FUTURE, field="occurred_on")
    if rules.needs_immediate_measures(data.kind):
        if not data.immediate_measures:
            raise InvalidInput(MSG_MEASURES, field="immediate_measures")
        if data.immediate_measures_at is None:
            raise InvalidInput(MSG_MEASURES_AT, field="immediate_measures_at")
    case_id = None
    if data.case_number:
        case_id = _case_id(session, actor, data.case_number)
    deviation = Deviation(
        kind=data.kind,
        status=DeviationStatus.TO_ASSESS,
        unit_id=data.unit_id,
        case_id=case_id,
        reported_at=utcnow(),
        reported_by_id=actor.staff_id,
        occurred_on=data.occurred_on,
        what_happened=data.what_happened,
        immediate_measures=data.immediate_measures or None,
        immediate_measures_at=data.immediate_measures_at,
        factors=[DeviationFactor(factor=f) for f in dict.fromkeys(data.factors)],
    )
    session.add(deviation)
    session.flush()
    _audit(session, actor, deviation, "create")
    return deviation


def _case_id(session: Session, actor: Actor, case_number: str) -> int:
    """Return the id of a case the reporter may read (audited), or refuse as not found."""
    try:
        return cases.get_by_number(
            session, actor=actor, case_number=case_number, purpose=PURPOSE
        ).id
    except (NotFound, PermissionDenied):
        raise InvalidInput(MSG_CASE, field="case_number") from None


def _audit(session: Session, actor: Actor, deviation: Deviation, action: str) -> None:
    """Audit a deviation's read or change; one linked to a case names the case and child."""
    child_id = None
    if deviation.case_id is not None:
        child_id = session.scalar(select(Case.child_id).where(Case.id == deviation.case_id))
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="deviation",
        entity_id=deviation.id,
        case_id=deviation.case_id,
        child_id=child_id,
        purpose=PURPOSE,
    )


def may_read(actor: Actor, deviation: Deviation) -> bool:
    """Tell whether the actor may open the deviation: an owner, or its reporter."""
    if rules.owns(actor, deviation.unit_id):
        return True
    return actor.staff_id is not None and actor.staff_id == deviation.reported_by_id


def _reads_as_action_owner(session: Session, actor: Actor, deviation: Deviation) -> bool:
    """Tell whether the actor owns one of the deviation's actions and may read its case.

    The owner of an action reads the deviation it follows from, unless the deviation is
    linked to a case the actor may not read (another unit's, or a protected child's for a
    case worker not named): then only the action itself is shown to them, without the text.
    """
    if actor.staff_id is None:
        return False
    owners = session.scalars(
        select(DeviationAction.owner_id).where(DeviationAction.deviation_id == deviation.id)
    )
    if actor.staff_id not in set(owners):
        return False
    return deviation.case_id is None or _may_read_case(session, actor, deviation.case_id)


def _may_read_case(session: Session, actor: Actor, case_id: int) -> bool:
    """Tell whether the actor may read a case (role, unit, the protected-identity rule)."""
    case = session.get(Case, case_id)
    if case is None:
        return False
    try:
        cases.authorize(actor, case)
    except PermissionDenied:
        return False
    return True


def get(session: Session, *, actor: Actor, deviation_id: int) -> Deviation:
    """Return a deviation the actor may read, auditing the read; any other is not found.

    Its owners, its reporter, and the owner of one of its actions (unless linked to a case
    that actor may not read) read it.
    """
    deviation = session.scalars(
        select(Deviation).where(Deviation.id == deviation_id).options(*_LOAD)
    ).first()
    if deviation is None:
        raise NotFound(MSG_NOT_FOUND)
    if not (may_read(actor, deviation) or _reads_as_action_owner(session, actor, deviation)):
        _audit(session, actor, deviation, "refused")
        raise NotFound(MSG_NOT_FOUND)
    _audit(session, actor, deviation, "read")
    return deviation


def get_all(
    session: Session, *, actor: Actor, status: DeviationStatus | None = None
) -> list[Deviation]:
    """Return the deviations the actor sees, newest first: own reports, or those it owns."""
    query = select(Deviation).order_by(Deviation.reported_at.desc(), Deviation.id.desc())
    if actor.role in rules.MUNICIPALITY_ROLES:
        pass
    elif actor.role is Role.TEAM_LEAD:
        query = query.where(
            (Deviation.unit_id == actor.unit_id) | (Deviation.reported_by_id == actor.staff_id)
        )
    else:
        query = query.where(Deviation.reported_by_id == actor.staff_id)
    if status is not None:
        query = query.where(Deviation.status == status)
    found = list(session.scalars(query.options(selectinload(Deviation.factors))))
    audit.record(session, actor=actor, action="list", entity="deviations", purpose=PURPOSE)
    return found


def reporter(session: Session, *, actor: Actor, deviation: Deviation) -> str | None:
    """Return who reported the deviation, for its owners only (never shown to the unit)."""
    if deviation.reported_by_id is None or not rules.owns(actor, deviation.unit_id):
        return None
    return session.scalar(
        select(StaffMember.display_name).where(StaffMember.id == deviation.reported_by_id)
    )


def case_number(session: Session, *, actor: Actor, deviation: Deviation) -> str | None:
    """Return the linked case's number when the actor may read that case, else None."""
    if deviation.case_id is None or not _may_read_case(session, actor, deviation.case_id):
        return None
    return session.scalar(select(Case.case_number).where(Case.id == deviation.case_id))


def shows_investigation(session: Session, *, actor: Actor, deviation: Deviation) -> bool:
    """Tell whether the actor may read the Lex Sarah investigation's answers.

    Its owners may; its reporter or an action's owner only while they may read the linked
    case: the answers are about what happened to the child, so a protected child's stay
    hidden from a case worker not named for them (the protected-identity rule).
    """
    if rules.owns(actor, deviation.unit_id):
        return True
    return deviation.case_id is None or _may_read_case(session, actor, deviation.case_id)


def get_owned(session: Session, *, actor: Actor, deviation_id: int) -> Deviation:
    """Return a deviation the actor owns (team lead of its unit, Lex Sarah role), else refuse."""
    deviation = get(session, actor=actor, deviation_id=deviation_id)
    if not rules.owns(actor, deviation.unit_id):
        raise PermissionDenied(MSG_NOT_OWNER)
    return deviation


def get_investigated(session: Session, *, actor: Actor, deviation_id: int) -> Deviation:
    """Return a deviation for the Lex Sarah role; one the actor may not read is not found."""
    deviation = get(session, actor=actor, deviation_id=deviation_id)
    if not rules.investigates(actor):
        raise PermissionDenied(MSG_NOT_INVESTIGATOR)
    return deviation


def _move(deviation: Deviation, target: DeviationStatus) -> None:
    if not rules.may_move(deviation.status, target):
        raise ForbiddenTransition(
            f"Avvikelsen kan inte gå från '{deviation.status}' till '{target}'.", field="status"
        )
    deviation.status = target


def triage(session: Session, *, actor: Actor, deviation_id: int, lex_sarah: bool) -> Deviation:
    """Assess a reported deviation: an ordinary deviation, or a Lex Sarah investigation."""
    deviation = get_owned(session, actor=actor, deviation_id=deviation_id)
    if lex_sarah:
        _move(deviation, DeviationStatus.INVESTIGATING)
        deviation.investigation = LexSarahInvestigation(
            deviation_id=deviation.id, opened_at=utcnow(), opened_by=actor.username
        )
    else:
        _move(deviation, DeviationStatus.ASSESSED)
    deviation.triaged_at = utcnow()
    deviation.triaged_by = actor.username
    session.flush()
    _audit(session, actor, deviation, "triage")
    return deviation


def investigate(
    session: Session, *, actor: Actor, deviation_id: int, data: InvestigationUpdate
) -> Deviation:
    """Save the investigation's answers; with an assessment, decide it (serious: to IVO)."""
    deviation = get_investigated(session, actor=actor, deviation_id=deviation_id)
    investigation = deviation.investigation
    if investigation is None or deviation.status is not DeviationStatus.INVESTIGATING:
        raise ForbiddenTransition("Avvikelsen utreds inte enligt lex Sarah.", field="status")
    investigation.what_happened = data.what_happened
    investigation.why = data.why
    investigation.prevention = data.prevention
    if data.assessment is not None:
        if not (data.what_happened and data.why and data.prevention):
            raise InvalidInput(
                "Besvara vad som hänt, varför och hur det kan förhindras innan bedömningen.",
                field="assessment",
            )
        investigation.assessment = data.assessment
        investigation.decided_at = utcnow()
        investigation.decided_by = actor.username
        _move(deviation, DeviationStatus.ASSESSED)
        if rules.needs_ivo(data.assessment):
            deviation.ivo_report = IvoReport(deviation_id=deviation.id, created_at=utcnow())
    session.flush()
    _audit(session, actor, deviation, "investigate")
    return deviation


def record_ivo_sent(
    session: Session, *, actor: Actor, deviation_id: int, data: IvoSent
) -> IvoReport:
    """Record that the report to IVO was sent (by e-service or post; never by Barnskydd)."""
    deviation = get_investigated(session, actor=actor, deviation_id=deviation_id)
    report = deviation.ivo_report
    if report is None:
        raise ForbiddenTransition(MSG_NO_IVO, field="sent_at")
    if report.sent_at is not None:
        raise ForbiddenTransition("Anmälan till IVO är redan registrerad som skickad.")
    decided = deviation.investigation.decided_at if deviation.investigation else None
    # Minutes are what a person types: the day of sending may not precede the assessment's.
    too_early = decided is not None and local_date(data.sent_at) < local_date(decided)
    if data.sent_at > utcnow() or too_early:
        raise InvalidInput("Ange en tidpunkt mellan bedömningen och nu.", field="sent_at")
    report.sent_at = data.sent_at
    report.channel = data.channel
    report.ivo_diary_no = data.ivo_diary_no or None
    report.recorded_by = actor.username
    session.flush()
    _audit(session, actor, deviation, "ivo_sent")
    return report


def close(session: Session, *, actor: Actor, deviation_id: int) -> Deviation:
    """Close an assessed deviation; a serious one only once its IVO report is sent."""
    deviation = get_owned(session, actor=actor, deviation_id=deviation_id)
    investigation = deviation.investigation
    assessment = investigation.assessment if investigation else None
    sent = deviation.ivo_report.sent_at if deviation.ivo_report else None
    if not rules.may_close(assessment, sent):
        raise ForbiddenTransition(MSG_IVO_FIRST, field="status")
    _move(deviation, DeviationStatus.CLOSED)
    deviation.closed_at = utcnow()
    session.flush()
    _audit(session, actor, deviation, "close")
    return deviation


def add_action(
    session: Session, *, actor: Actor, deviation_id: int, data: ActionCreate
) -> DeviationAction:
    """Add a measure with an owner, a due date and an effect check to a deviation."""
    deviation = get_owned(session, actor=actor, deviation_id=deviation_id)
    owner = session.get(StaffMember, data.owner_id)
    if owner is None or not owner.active:
        raise InvalidInput(MSG_OWNER, field="owner_id")
    if data.effect_check_on is not None and data.effect_check_on < data.due_on:
        raise InvalidInput(
            "Effekten kan inte följas upp före åtgärdens sista dag.", field="effect_check_on"
        )
    action = DeviationAction(
        deviation_id=deviation.id,
        description=data.description,
        owner_id=owner.id,
        due_on=data.due_on,
        effect_check_on=data.effect_check_on,
        created_by=actor.username,
    )
    session.add(action)
    session.flush()
    _audit(session, actor, deviation, "add_action")
    return action


def complete_action(
    session: Session, *, actor: Actor, action_id: int, done_on: dt.date, effect_note: str = ""
) -> DeviationAction:
    """Mark an action done (its owner or the deviation's owners)."""
    action = session.get(DeviationAction, action_id)
    if action is None:
        raise NotFound("Åtgärden finns inte.")
    deviation = session.get(Deviation, action.deviation_id)
    assert deviation is not None  # a foreign key
    if actor.staff_id != action.owner_id and not rules.owns(actor, deviation.unit_id):
        raise NotFound("Åtgärden finns inte.")
    if done_on > today():
        raise InvalidInput(MSG_FUTURE, field="done_on")
    action.done_on = done_on
    action.effect_note = effect_note or None
    session.flush()
    _audit(session, actor, deviation, "complete_action")
    return action


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action not done, as the owner's and the team lead's pages list it.

    `readable`: whether the actor may open its deviation (a deviation linked to a case the
    actor may not read, say a protected child's, is listed without a link).
    """

    id: int
    deviation_id: int
    description: str
    due_on: dt.date
    owner: str
    mine: bool
    readable: bool
    overdue: bool


def overdue_actions(
    session: Session,
    *,
    actor: Actor,
    on: dt.date,
    owned_only: bool = False,
    unit_id: int | None = None,
) -> list[ActionRow]:
    """Return undone actions past their due date that the actor owns, or its unit's (team lead).

    `owned_only` keeps the actor's own (the inbox); `unit_id` keeps one unit's deviations
    (the team lead's page), within what the actor may see.
    """
    late = DeviationAction.due_on < on
    return _action_rows(session, actor, on, late, owned_only=owned_only, unit_id=unit_id)


def upcoming_actions(session: Session, *, actor: Actor, on: dt.date) -> list[ActionRow]:
    """Return the actor's own undone actions not yet past their due date, soonest first."""
    return _action_rows(session, actor, on, DeviationAction.due_on >= on, owned_only=True)


def _action_rows(
    session: Session,
    actor: Actor,
    on: dt.date,
    due: ColumnElement[bool],
    *,
    owned_only: bool,
    unit_id: int | None = None,
) -> list[ActionRow]:
    query = (
        select(DeviationAction, Deviation, StaffMember.display_name)
        .join(Deviation, Deviation.id == DeviationAction.deviation_id)
        .join(StaffMember, StaffMember.id == DeviationAction.owner_id)
        .where(DeviationAction.done_on.is_(None), due)
        .order_by(DeviationAction.due_on, DeviationAction.id)
    )
    if unit_id is not None:
        query = query.where(Deviation.unit_id == unit_id)
    if owned_only:
        query = query.where(DeviationAction.owner_id == actor.staff_id)
    elif actor.role is Role.TEAM_LEAD:
        query = query.where(
            (Deviation.unit_id == actor.unit_id) | (DeviationAction.owner_id == actor.staff_id)
        )
    elif actor.role not in rules.MUNICIPALITY_ROLES:
        query = query.where(DeviationAction.owner_id == actor.staff_id)
    return [
        ActionRow(
            id=action.id,
            deviation_id=action.deviation_id,
            description=action.description,
            due_on=action.due_on,
            owner=owner,
            mine=action.owner_id == actor.staff_id,
            readable=may_read(actor, deviation)
            or _reads_as_action_owner(session, actor, deviation),
            overdue=action.due_on < on,
        )
        for action, deviation, owner in session.execute(query)
    ]


def update_ivo_report(
    session: Session,
    *,
    actor: Actor,
    deviation_id: int,
    sender_diary_no: str,
    activity: str,
    contact_person: str,
) -> IvoReport:
    """Fill in the IVO form's fields of the nämnd's own (before it is sent; never after)."""
    deviation = get_investigated(session, actor=actor, deviation_id=deviation_id)
    report = deviation.ivo_report
    if report is None:
        raise ForbiddenTransition(MSG_NO_IVO, field="sender_diary_no")
    if report.sent_at is not None:
        raise ForbiddenTransition("En skickad anmälan kan inte ändras.", field="sender_diary_no")
    for field, value, limit in (
        ("sender_diary_no", sender_diary_no, 40),
        ("activity", activity, 200),
        ("contact_person", contact_person, 200),
    ):
        if len(value) > limit:
            raise InvalidInput(f"Högst {limit} tecken.", field=field)
    report.sender_diary_no = sender_diary_no
    report.activity = activity
    report.contact_person = contact_person
    session.flush()
    return report
