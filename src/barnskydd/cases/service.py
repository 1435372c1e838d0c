"""Register reports and read cases: the one write path for web, CLI, generator and imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, joinedload, selectinload

from barnskydd.audit import service as audit
from barnskydd.cases import deadlines as case_deadlines
from barnskydd.cases import hooks
from barnskydd.cases.codes import STATUS_LABELS, CaseStatus
from barnskydd.cases.models import Case, Investigation, Report, ReportConcern
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.actor import Actor, Role
from barnskydd.core.bounds import unstorable
from barnskydd.core.clock import local_date
from barnskydd.core.errors import CaseNotFound, InvalidInput, PermissionDenied
from barnskydd.law import rules as law
from barnskydd.people import access
from barnskydd.people import service as people
from barnskydd.people.codes import ProtectedIdentity, ProtectionChange
from barnskydd.people.models import Child
from barnskydd.people.rules import Identity, age_in_years
from barnskydd.staff.models import StaffMember, Unit

MAX_AGE = 20
OPEN_DEADLINE_STATUSES = (
    CaseStatus.AWAITING_PROTECTION_ASSESSMENT,
    CaseStatus.PRELIMINARY_ASSESSMENT,
    CaseStatus.INVESTIGATION,
)


def authorize(actor: Actor, case: Case) -> None:
    """Refuse an actor whose role, unit or protected-identity naming may not see this case."""
    if actor.role in (Role.ADMIN, Role.SYSTEM):
        return
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till personuppgifter.")
    if actor.unit_id != case.unit_id:
        raise PermissionDenied("Ärendet tillhör en annan enhet.")
    if actor.role is Role.CASE_WORKER and not access.may_see(
        actor, case.child, assigned_to_id=case.assigned_to_id
    ):
        raise PermissionDenied(access.MSG_NOT_NAMED)


def audit_case(
    session: Session,
    actor: Actor,
    case: Case,
    *,
    action: str,
    entity: str,
    entity_id: int | None = None,
    purpose: str | None = None,
) -> None:
    """Append an audit entry about one case (and so its child): a record of it, or all of one kind.

    The one audit call of the case's record services (journal, family, plan, communication,
    documents, lookups): `entity_id` is the record's id, or None for a read of the whole
    section (the journal, the plan).
    """
    audit.record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        child_id=case.child_id,
        case_id=case.id,
        purpose=purpose,
    )


def register_report(session: Session, *, actor: Actor, data: ReportCreate) -> Case:
    """Register a report of concern: child, case, report and its deadlines, in one go.

    A report about siblings opens one case per child, the same report in each, linked by
    `report_group` (the first case's id); the first case is returned.
    """
    unit = registration_unit(session, actor=actor, data=data)
    case = _open_case(
        session,
        actor,
        data,
        unit,
        Subject(data.child_identity, data.child_first_name, data.child_last_name),
        data.protected_identity,
        field="child_identity",
    )
    for index, sibling in enumerate(data.siblings):
        # The same report, one more case; any refusal leaves the edge to roll them all back.
        case.report_group = case.id
        other = _open_case(
            session,
            actor,
            data,
            unit,
            Subject(sibling.identity, sibling.first_name, sibling.last_name),
            sibling.protected_identity,
            field=f"siblings.{index}.identity",
        )
        other.report_group = case.id
    return case


def registration_unit(session: Session, *, actor: Actor, data: ReportCreate) -> Unit:
    """Return the report's unit, or refuse: no such unit, not the actor's, a worker not in it."""
    unit = session.get(Unit, data.unit_id)
    if unit is None:
        raise InvalidInput("Enheten finns inte.", field="unit_id")
    if actor.role is Role.ANALYST or (
        actor.role in (Role.CASE_WORKER, Role.TEAM_LEAD) and actor.unit_id != unit.id
    ):
        raise PermissionDenied("Du kan bara registrera anmälningar i din egen enhet.")
    if data.assigned_to_id is not None:
        worker = session.get(StaffMember, data.assigned_to_id)
        if worker is None or worker.unit_id != unit.id:
            raise InvalidInput("Handläggaren finns inte i enheten.", field="assigned_to_id")
    return unit


@dataclass(frozen=True, slots=True)
class Subject:
    """Who one case of a report is about."""

    identity: Identity
    first_name: str
    last_name: str


def _open_case(
    session: Session,
    actor: Actor,
    data: ReportCreate,
    unit: Unit,
    who: Subject,
    protected_identity: ProtectedIdentity,
    *,
    field: str,
) -> Case:
    """Open one case of the report for one child: child, case, report, deadlines, audit."""
    child = people.get_or_create(
        session,
        actor=actor,
        identity=who.identity,
        first_name=who.first_name,
        last_name=who.last_name,
        protected_identity=protected_identity,
    )
    case = new_case(actor, data, unit, child, field=field)
    session.add(case)
    session.flush()
    case.case_number = case_number(case)
    session.flush()
    audit_case(session, actor, case, action="create", entity="report", entity_id=case.id)
    hooks.child_changed(session, case.child_id)
    return case


def new_case(actor: Actor, data: ReportCreate, unit: Unit, child: Child, *, field: str) -> Case:
    """Return one case of a report for a child, with its report and deadlines, not yet added.

    The rules of a new case in one place: the child's age on the day, the rule set of the
    day and its deadlines. The service path adds it and flushes; the import gives it its id.
    """
    received_on = local_date(data.received_at)
    _check_age(child.birth_date, received_on, field=field)
    rule_set = law.rule_set_for(received_on)
    protection = law.protection_assessment_due(received_on, rule_set)
    preliminary = law.preliminary_assessment_due(received_on, rule_set)
    case = Case(
        case_number="",
        child_id=child.id,
        unit_id=unit.id,
        assigned_to_id=data.assigned_to_id,
        status=CaseStatus.AWAITING_PROTECTION_ASSESSMENT,
        law=rule_set.id,
        opened_at=data.received_at,
    )
    case.report = Report(
        received_at=data.received_at,
        channel=data.channel,
        reporter_category=data.reporter_category,
        mandatory_reporter=data.mandatory_reporter,
        feedback_requested=data.feedback_requested,
        feedback_requested_on=received_on if data.feedback_requested else None,
        reporter_name=data.reporter_name,
        reporter_organisation=data.reporter_organisation,
        reporter_contact=data.reporter_contact,
        free_text=data.free_text,
        protection_due=protection.due,
        preliminary_due=preliminary.due,
        protection_reference=protection.reference,
        preliminary_reference=preliminary.reference,
        created_by=actor.username,
        concerns=[ReportConcern(concern=c) for c in data.concerns],
    )
    return case


def case_number(case: Case) -> str:
    """Return the case number of a case that has its id: BU-year of receipt-id."""
    return f"BU-{local_date(case.opened_at).year}-{case.id:06d}"


def _check_age(birth_date: dt.date, received_on: dt.date, *, field: str) -> None:
    """Refuse a report received before the child's birth or after the age of 20.

    Reports of concern are about children (under 18), but the chain also carries young
    people up to 20 (LVU 1 § applies to those under 21), which is the extract's age range.
    """
    if received_on < birth_date:
        raise InvalidInput(
            "Anmälan kan inte ha kommit in före barnets födelse.", field="received_at"
        )
    if age_in_years(birth_date, received_on) > MAX_AGE:
        raise InvalidInput(f"Personen var över {MAX_AGE} år när anmälan kom in.", field=field)


# One query joins what there is one of (and the report's few concerns); each other list comes
# in one more query.
WHOLE_CHAIN = (
    joinedload(Case.child),
    joinedload(Case.unit),
    joinedload(Case.assigned_to),
    joinedload(Case.protection_assessment),
    joinedload(Case.preliminary_assessment),
    joinedload(Case.report).joinedload(Report.concerns),
    joinedload(Case.investigation).selectinload(Investigation.extensions),
    joinedload(Case.investigation).selectinload(Investigation.bbic_notes),
    selectinload(Case.preliminary_extensions),
    selectinload(Case.interventions),
    selectinload(Case.follow_ups),
)


def load(session: Session, case_id: int, *, whole_chain: bool = True) -> Case:
    """Return a case without auditing (for the service layer's own use), or raise NotFound.

    A step only touches the parts it needs, which then load lazily; a read of the whole
    chain loads every part up front in a few queries.
    """
    case = session.get(Case, case_id, options=WHOLE_CHAIN if whole_chain else ())
    if case is None:
        raise CaseNotFound
    return case


def get(session: Session, *, actor: Actor, case_id: int, purpose: str) -> Case:
    """Return a case with its whole chain, auditing the read and its purpose."""
    _may_read_cases(actor)
    return _audited_read(session, actor, load(session, case_id), purpose)


def _may_read_cases(actor: Actor) -> None:
    """Refuse a role that reads no case, before any is looked up (the same for every number)."""
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till personuppgifter.")


def _audited_read(session: Session, actor: Actor, case: Case, purpose: str) -> Case:
    """Audit the read of a case the actor may see; refuse any other as if it did not exist.

    Another unit's case and a protected child's case for a worker who is not named answer
    CaseNotFound, as a number never given out does, so that case numbers cannot be probed.
    The refused read is audited (action `refused`): the edge's transaction commits it when
    nothing else was written (core.db.transaction), and the answer is the same either way.
    """
    _screen(session, actor, case, purpose)
    audit_case(
        session, actor, case, action="read", entity="case", entity_id=case.id, purpose=purpose
    )
    return case


def _by_number(session: Session, case_number: str, *, whole_chain: bool) -> Case:
    number = case_number.strip()
    options = WHOLE_CHAIN if whole_chain else ()
    case = (  # a number no column can hold (NUL) names no case: not asked of the database
        None
        if unstorable(number)
        else session.scalars(select(Case).where(Case.case_number == number).options(*options))
        .unique()
        .first()
    )
    if case is None:
        raise CaseNotFound
    return case


def get_by_number(session: Session, *, actor: Actor, case_number: str, purpose: str) -> Case:
    """Return a case by its case number (BU-YYYY-NNNNNN), auditing the read."""
    _may_read_cases(actor)
    return _audited_read(
        session, actor, _by_number(session, case_number, whole_chain=True), purpose
    )


def locate_by_number(session: Session, *, actor: Actor, case_number: str, purpose: str) -> Case:
    """Return a case by its number for a service that reads none of its record by itself.

    The same refusals as get_by_number (a refused lookup is audited, and answered as a case
    that does not exist); an allowed one is not audited here, since nothing of the child is
    read yet: the caller audits what it then reads (dictation audits each delivered draft,
    and its status polling, which reads nothing of the child, leaves no entry).
    """
    _may_read_cases(actor)
    case = _by_number(session, case_number, whole_chain=False)
    _screen(session, actor, case, purpose)
    return case


def _screen(session: Session, actor: Actor, case: Case, purpose: str) -> None:
    """Audit and refuse, as a case that does not exist, a case the actor may not see."""
    if not _may_see(actor, case):
        audit_case(
            session,
            actor,
            case,
            action="refused",
            entity="case",
            entity_id=case.id,
            purpose=purpose,
        )
        raise CaseNotFound


def get_for_child(session: Session, *, actor: Actor, child_id: int, purpose: str) -> list[Case]:
    """Return a child's cases the actor may see, newest first, screened-out ones included."""
    query = select(Case).where(Case.child_id == child_id).order_by(Case.opened_at.desc())
    cases = [c for c in session.scalars(query) if _may_see(actor, c)]
    audit.record(
        session,
        actor=actor,
        action="read",
        entity="child_cases",
        child_id=child_id,
        purpose=purpose,
    )
    return cases


def _may_see(actor: Actor, case: Case) -> bool:
    try:
        authorize(actor, case)
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A step waiting on a legal deadline (what an inbox lists)."""

    case_id: int
    case_number: str
    status: CaseStatus
    step: str
    due: dt.date
    days_left: int
    rule: str = ""
    reference: str = ""

    @property
    def overdue(self) -> bool:
        """Return whether the deadline has passed."""
        return self.days_left < 0


def _reference_column() -> ColumnElement[str]:
    """Return the legal reference of the deadline a case waits on, as a SQL expression."""
    return sql_case(
        (Case.status == CaseStatus.AWAITING_PROTECTION_ASSESSMENT, Report.protection_reference),
        (Case.status == CaseStatus.PRELIMINARY_ASSESSMENT, Report.preliminary_reference),
        else_=Investigation.reference,
    )


_FIRST_RULES = {
    CaseStatus.AWAITING_PROTECTION_ASSESSMENT: "protection_assessment",
    CaseStatus.PRELIMINARY_ASSESSMENT: "preliminary_assessment",
    CaseStatus.INVESTIGATION: "investigation",
}


def _due_column() -> ColumnElement[dt.date]:
    """Return the deadline of the step a case waits on, as a SQL expression."""
    return sql_case(
        (Case.status == CaseStatus.AWAITING_PROTECTION_ASSESSMENT, Report.protection_due),
        (Case.status == CaseStatus.PRELIMINARY_ASSESSMENT, Report.preliminary_due),
        else_=Investigation.due,
    )


def open_items(
    session: Session,
    *,
    actor: Actor,
    today: dt.date,
    unit_id: int | None = None,
    assigned_to_id: int | None = None,
    limit: int | None = None,
) -> list[OpenItem]:
    """Return steps with a running legal deadline, the most urgent first.

    The first three deadlines (protection, preliminary, investigation) come from one query;
    the later ones (feedback, reviews, jourhem, follow-up ...) from `cases.deadlines`.
    """
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till ärenden.")
    if actor.role in (Role.CASE_WORKER, Role.TEAM_LEAD):
        unit_id = actor.unit_id
    due = _due_column().label("due")
    query = (
        select(Case.id, Case.case_number, Case.status, due, _reference_column().label("ref"))
        .join(Report, Report.case_id == Case.id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .where(Case.status.in_(OPEN_DEADLINE_STATUSES))
        .order_by(due, Case.id)
    )
    if unit_id is not None:
        query = query.where(Case.unit_id == unit_id)
    if assigned_to_id is not None:
        query = query.where(Case.assigned_to_id == assigned_to_id)
    if limit is not None:
        query = query.limit(limit)
    items = [
        OpenItem(
            case_id=row.id,
            case_number=row.case_number,
            status=row.status,
            step=STATUS_LABELS[row.status],
            due=row.due,
            days_left=(row.due - today).days,
            rule=_FIRST_RULES[row.status],
            reference=row.ref or "",
        )
        for row in session.execute(query)
    ]
    items += [
        OpenItem(
            case_id=d.case_id,
            case_number=d.case_number,
            status=d.status,
            step=d.step,
            due=d.due,
            days_left=d.days_left(today),
            rule=d.rule,
            reference=d.reference,
        )
        for d in case_deadlines.later_deadlines(
            session, today=today, unit_id=unit_id, assigned_to_id=assigned_to_id
        )
    ]
    items.sort(key=lambda item: (item.due, item.case_id))
    if limit is not None:
        items = items[:limit]
    audit.record(session, actor=actor, action="list", entity="open_items", purpose="inkorg")
    return items


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a municipality's chain on a given day."""

    reports: int
    children: int
    by_status: dict[CaseStatus, int]
    open_items: int
    overdue_items: int


def summary(session: Session, *, today: dt.date, unit_id: int | None = None) -> Summary:
    """Count reports, children, cases per status and open and overdue steps (no personal data)."""
    scope = select(Case.id)
    if unit_id is not None:
        scope = scope.where(Case.unit_id == unit_id)
    ids = scope.subquery()
    by_status = {
        CaseStatus(status): count
        for status, count in session.execute(
            select(Case.status, func.count())
            .where(Case.id.in_(select(ids.c.id)))
            .group_by(Case.status)
        )
    }
    children = session.scalar(
        select(func.count(func.distinct(Case.child_id))).where(Case.id.in_(select(ids.c.id)))
    )
    due = _due_column()
    open_query = (
        select(func.count(), func.sum(sql_case((due < today, 1), else_=0)))
        .select_from(Case)
        .join(Report, Report.case_id == Case.id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .where(Case.status.in_(OPEN_DEADLINE_STATUSES), Case.id.in_(select(ids.c.id)))
    )
    open_count, overdue = session.execute(open_query).one()
    return Summary(
        reports=sum(by_status.values()),
        children=children or 0,
        by_status=by_status,
        open_items=open_count or 0,
        overdue_items=overdue or 0,
    )


def reassign(session: Session, *, actor: Actor, case_id: int, staff_id: int) -> Case:
    """Give a case to another case worker in the same unit (team leads and admins)."""
    case = load(session, case_id)
    if actor.role not in (Role.TEAM_LEAD, Role.ADMIN):
        raise PermissionDenied("Bara arbetsledare kan fördela om ärenden.")
    authorize(actor, case)
    worker = session.get(StaffMember, staff_id)
    if worker is None or worker.unit_id != case.unit_id or not worker.active:
        raise InvalidInput("Handläggaren finns inte i ärendets enhet.", field="staff_id")
    case.assigned_to_id = worker.id
    audit_case(
        session,
        actor,
        case,
        action="update",
        entity="case",
        entity_id=case.id,
        purpose="omfördelning",
    )
    return case


def grant_access(session: Session, *, actor: Actor, case_id: int, staff_id: int) -> None:
    """Name a worker of the case's unit for its child (protected identity; team lead, admin)."""
    case = load(session, case_id, whole_chain=False)
    access.grant(
        session,
        actor=actor,
        child=case.child,
        unit_id=case.unit_id,
        case_id=case.id,
        staff_id=staff_id,
    )


def revoke_access(session: Session, *, actor: Actor, case_id: int, staff_id: int) -> None:
    """Take a named worker's access to the case's child away (team lead, admin)."""
    case = load(session, case_id, whole_chain=False)
    access.revoke(
        session,
        actor=actor,
        child=case.child,
        unit_id=case.unit_id,
        case_id=case.id,
        staff_id=staff_id,
    )


def change_protection(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    level: ProtectedIdentity,
    reason: ProtectionChange,
) -> Case:
    """Change the protected-identity level of a case's child by a named, audited decision.

    The one way to lower a level (a registration only raises it). A team lead decides for a
    child with a case in the lead's unit, an administrator for any child. Anyone else is
    refused before the case is looked up; a case the lead may not see is not found, in the
    same words as a case number that does not exist.
    """
    if actor.role not in people.DECIDES_PROTECTION:
        raise PermissionDenied(people.MSG_WHO_DECIDES)
    number = case_number.strip()
    case = session.scalars(select(Case).where(Case.case_number == number)).first()
    if case is None or not _may_see(actor, case):
        raise CaseNotFound
    people.set_protected_identity(
        session, actor=actor, child=case.child, level=level, reason=reason, case_id=case.id
    )
    hooks.child_changed(session, case.child_id)
    return case
