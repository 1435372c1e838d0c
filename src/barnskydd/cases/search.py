"""Search cases by identity number, name or case number, screened-out reports included.

A report that did not lead to an investigation (preliminary outcome `not_opened`) is kept and
found like any other: that is what makes earlier concerns about a child visible to the next
assessment. Every search names its purpose and is audited; the audit entry holds the purpose
and the internal ids of the children found, never the identity number or name searched for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload

from barnskydd.audit import service as audit
from barnskydd.audit.purpose import check_purpose, looks_personal
from barnskydd.cases.codes import CaseStatus, PreliminaryOutcome
from barnskydd.cases.models import Case, Report
from barnskydd.cases.service import authorize
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import local_date
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.people.rules import name_key, parse_identity, prefix_range

LIMIT = 100
MAX_QUERY = 100
MAX_PURPOSE = 150
CASE_NUMBER = re.compile(r"BU-\d{4}-\d{6}", re.ASCII)
CASE_NUMBER_START = re.compile(r"BU[-\d]", re.ASCII)  # not a name such as "Bure"
NAME_PART = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

MSG_QUERY = "Skriv ett personnummer, samordningsnummer, reservnummer, namn eller ärendenummer."
MSG_NAME = "Skriv minst två bokstäver av namnet."
MSG_CASE_NUMBER = "Ett ärendenummer skrivs BU-ÅÅÅÅ-NNNNNN."
MSG_PURPOSE = "Välj varför du söker."
MSG_PURPOSE_OTHER = "Beskriv syftet med sökningen (3–150 tecken)."
MSG_PURPOSE_PERSONAL = "Skriv inte barnets namn eller personnummer i syftet; det sparas i loggen."


class SearchPurpose(StrEnum):
    NEW_REPORT = "new_report"
    PRELIMINARY_ASSESSMENT = "preliminary_assessment"
    INVESTIGATION = "investigation"
    INFORMATION_REQUEST = "information_request"
    OTHER = "other"


PURPOSE_LABELS: dict[SearchPurpose, str] = {
    SearchPurpose.NEW_REPORT: "Ny anmälan: tidigare anmälningar om barnet",
    SearchPurpose.PRELIMINARY_ASSESSMENT: "Förhandsbedömning",
    SearchPurpose.INVESTIGATION: "Utredning eller insats",
    SearchPurpose.INFORMATION_REQUEST: "Begäran om uppgifter från annan myndighet",
    SearchPurpose.OTHER: "Annat syfte (beskriv)",
}


class QueryKind(StrEnum):
    IDENTITY = "identity"
    NAME = "name"
    CASE_NUMBER = "case_number"


@dataclass(frozen=True, slots=True)
class Query:
    """What was searched for, normalised (kept out of repr, so a logged query leaks nothing)."""

    kind: QueryKind
    value: str = field(repr=False)
    name_parts: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Hit:
    """One case found, with what the result list shows."""

    case_number: str
    child_name: str = field(repr=False)
    child_identity: str = field(repr=False)
    protected_identity: ProtectedIdentity
    status: CaseStatus
    received_on: dt.date
    preliminary_outcome: PreliminaryOutcome | None
    unit: str
    assigned_to: str | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The cases found (newest report first) and whether there were more than shown."""

    hits: list[Hit]
    truncated: bool


def parse_query(text: str) -> Query:
    """Tell an identity number, a case number and a name apart, or raise InvalidInput."""
    value = " ".join(text.split())
    if not value or len(value) > MAX_QUERY:
        raise InvalidInput(MSG_QUERY, field="query")
    if CASE_NUMBER_START.match(value.upper()):
        if not CASE_NUMBER.fullmatch(value.upper()):
            raise InvalidInput(MSG_CASE_NUMBER, field="query")
        return Query(QueryKind.CASE_NUMBER, value.upper())
    if any(c.isdigit() for c in value):
        try:
            return Query(QueryKind.IDENTITY, parse_identity(value).number)
        except InvalidInput as error:
            raise InvalidInput(error.message, field="query") from None
    parts = tuple(value.split(" "))
    if not all(NAME_PART.fullmatch(p) for p in parts):
        raise InvalidInput(MSG_QUERY, field="query")
    if sum(len(p) for p in parts) < 2:
        raise InvalidInput(MSG_NAME, field="query")
    return Query(QueryKind.NAME, value, parts)


def purpose_text(purpose: str, other: str, query: Query) -> str:
    """Return the purpose to audit, or raise InvalidInput when it is missing or personal."""
    try:
        chosen = SearchPurpose(purpose)
    except ValueError:
        raise InvalidInput(MSG_PURPOSE, field="purpose") from None
    if chosen is not SearchPurpose.OTHER:
        return f"sökning: {PURPOSE_LABELS[chosen].lower()}"
    described = " ".join(other.split())
    if not 3 <= len(described) <= MAX_PURPOSE:
        raise InvalidInput(MSG_PURPOSE_OTHER, field="purpose_other")
    folded = described.casefold()
    # The one rule for purposes (audit.purpose), and the name searched for.
    if looks_personal(described) or any(
        len(p) > 1 and p.casefold() in folded for p in query.name_parts
    ):
        raise InvalidInput(MSG_PURPOSE_PERSONAL, field="purpose_other")
    return check_purpose(f"sökning: {described}", field="purpose_other")


def _name_filter(part: str) -> ColumnElement[bool]:
    """Match a name part as the start of the first or the last name, in any letter case.

    Compares the casefolded name keys (people.rules.name_key) with the key range of the part,
    which the keys' indexes serve: "åsa" and "ÅSA" find "Åsa", "asa" does not.
    """
    low, high = prefix_range(name_key(part))
    return or_(
        *(
            and_(column >= low, column < high)
            for column in (Child.first_name_key, Child.last_name_key)
        )
    )


def search(
    session: Session,
    *,
    actor: Actor,
    query: str,
    purpose: str,
    purpose_other: str = "",
    limit: int = LIMIT,
) -> SearchResult:
    """Find the cases the actor may see by identity number, name or case number, audited."""
    if actor.role is Role.ANALYST:
        raise PermissionDenied("Analytiker har inte tillgång till personuppgifter.")
    parsed = parse_query(query)
    why = purpose_text(purpose, purpose_other, parsed)
    statement = _statement(actor, parsed, limit, dialect=session.get_bind().dialect.name)
    found = _load(session, list(session.scalars(statement)))
    visible = [c for c in found[:limit] if _may_see(actor, c)]
    children = sorted({c.child_id for c in visible})
    for child_id in children:
        audit.record(
            session,
            actor=actor,
            action="search",
            entity="child",
            entity_id=child_id,
            child_id=child_id,
            purpose=why,
        )
    if not children:
        audit.record(session, actor=actor, action="search", entity="case", purpose=why)
    return SearchResult(hits=[_hit(c) for c in visible], truncated=len(found) > limit)


def _statement(actor: Actor, parsed: Query, limit: int, *, dialect: str) -> Select[int]:
    """Return the query for the ids of one more than `limit` cases in the actor's scope, newest
    first (what a hit shows is loaded by id afterwards: one query joining all of it took
    PostgreSQL longer to plan than to run)."""
    statement = (
        select(Case.id)
        .join(Child, Child.id == Case.child_id)
        .join(Report, Report.case_id == Case.id)
        .order_by(Report.received_at.desc(), Case.id.desc())
        .limit(limit + 1)
    )
    if parsed.kind is QueryKind.CASE_NUMBER:
        statement = statement.where(Case.case_number == parsed.value)
    elif parsed.kind is QueryKind.IDENTITY:
        statement = statement.where(Child.identity_number == parsed.value)
    else:
        statement = statement.where(*(_name_filter(p) for p in parsed.name_parts))
    if actor.role in (Role.CASE_WORKER, Role.TEAM_LEAD):
        in_unit = Case.unit_id == actor.unit_id
        if parsed.kind is QueryKind.NAME and dialect == "sqlite":
            # Without statistics (no ANALYZE) SQLite walks all of the unit's cases by their index
            # rather than the name keys; "+ 0" keeps it off that index. Not on PostgreSQL: it
            # plans from statistics, and cannot estimate "unit_id + 0".
            in_unit = Case.unit_id + 0 == actor.unit_id
        statement = statement.where(in_unit)
    return statement


def _load(session: Session, ids: list[int]) -> list[Case]:
    """Return the cases with these ids in this order, with what a hit shows."""
    loaded = session.scalars(
        select(Case)
        .where(Case.id.in_(ids))
        .options(
            joinedload(Case.child),
            joinedload(Case.report),
            joinedload(Case.preliminary_assessment),
            joinedload(Case.unit),
            joinedload(Case.assigned_to),
        )
    ).unique()
    by_id = {case.id: case for case in loaded}
    return [by_id[i] for i in ids]


def _may_see(actor: Actor, case: Case) -> bool:
    try:
        authorize(actor, case)
    except PermissionDenied:
        return False
    return True


def _hit(case: Case) -> Hit:
    child = case.child
    preliminary = case.preliminary_assessment
    return Hit(
        case_number=case.case_number,
        child_name=f"{child.first_name} {child.last_name}",
        child_identity=child.display_identity,
        protected_identity=child.protected_identity,
        status=case.status,
        received_on=local_date(case.report.received_at),
        preliminary_outcome=preliminary.outcome if preliminary else None,
        unit=case.unit.name,
        assigned_to=case.assigned_to.display_name if case.assigned_to else None,
    )
