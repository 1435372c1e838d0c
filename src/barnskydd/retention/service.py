"""The retention plan and run: what is due for weeding on a day, and weeding exactly that.

`plan` reads, per case, the dates of every record in it, takes the last entry of each child's
file (16 kap. 1 § SoL 2025:400 counts five years from it), classifies each closed case
(placement, investigation, not-opened report) and asks `barnskydd.law.retention.weed_after`.
`run` draws the same plan in its own transaction and removes exactly those rows: the child's-voice
records of the cases (their own class), the cases with every row that refers to them (found
from the metadata, so a feature's new table goes with its case), their journal entries and
documents, and a child whose whole file went; it
withdraws the lookup's expired entries; it writes the weeding log (class, rule, count, day)
and one audit entry naming the run. Audit entries hold ids only, so the hash chain is not
touched and `barnskydd audit verify` still passes (docs/retention.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, delete, func, select, update
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import CaseStatus, InterventionCategory
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import (
    Case,
    FollowUp,
    Intervention,
    Investigation,
    PlacementReview,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
    Report,
    ReporterFeedback,
)
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import local_date
from barnskydd.core.db import Base, utcnow
from barnskydd.core.errors import PermissionDenied
from barnskydd.documents.models import Document
from barnskydd.early_help.models import EarlyHelp
from barnskydd.law import retention as rules
from barnskydd.lookup.models import LookupPublication
from barnskydd.people.models import Child
from barnskydd.retention.models import WeedingLog
from barnskydd.staff import deployment
from barnskydd.voice.models import ChildVoiceRecord

__all__ = ["PLACEMENTS", "Plan", "plan", "run"]

# Interventions that are a placement under 16 kap. 2 § 3: familjehem (jourhem is one),
# HVB (a SiS special youth home is an HVB, LVU 12 §) and stödboende.
PLACEMENTS = frozenset(
    {
        InterventionCategory.FAMILY_HOME,
        InterventionCategory.RESIDENTIAL_HVB,
        InterventionCategory.SIS_SECURE,
        InterventionCategory.SUPPORTED_HOUSING,
    }
)
MAY_WEED = frozenset({Role.ADMIN, Role.SYSTEM})
MSG_DENIED = "Bara en administratör (arkivansvarig) får se och verkställa gallring."
_CHUNK = 2000

# Every dated record of a case: the day it was made is an entry in the child's file.
_DAYS: tuple[tuple[Any, Any], ...] = (
    (Report.case_id, Report.received_at),
    (ProtectionAssessment.case_id, ProtectionAssessment.assessed_at),
    (PreliminaryAssessment.case_id, PreliminaryAssessment.decided_on),
    (PreliminaryExtension.case_id, PreliminaryExtension.decided_on),
    (Investigation.case_id, Investigation.started_on),
    (Investigation.case_id, Investigation.completed_on),
    (Intervention.case_id, Intervention.decided_on),
    (Intervention.case_id, Intervention.start_on),
    (Intervention.case_id, Intervention.ended_on),
    (FollowUp.case_id, FollowUp.followed_up_on),
    (ChildVoiceRecord.case_id, ChildVoiceRecord.taken_on),
    (EarlyHelp.case_id, EarlyHelp.started_on),
    (ReporterFeedback.case_id, ReporterFeedback.given_at),
    (Case.id, Case.closed_on),
    (JournalEntry.case_id, JournalEntry.at),
    (Document.case_id, Document.uploaded_at),
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the plan: a class, the rule that makes it due, and how many records."""

    document_class: str
    rule: str
    reference: str
    count: int

    def to_dict(self) -> dict[str, str | int]:
        """Return the line as JSON-ready values."""
        return {
            "class": self.document_class,
            "rule": self.rule,
            "reference": self.reference,
            "count": self.count,
        }


@dataclass
class Plan:
    """What is due for weeding on `as_of`, by class and rule, and the rows it means."""

    as_of: dt.date
    municipality_code: str
    lines: list[Line] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)
    voice_ids: list[int] = field(default_factory=list)
    lookup_ids: list[int] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)

    def by_class(self) -> dict[str, int]:
        """Return the count due per class, every class named (zero when nothing is due)."""
        counts = dict.fromkeys(rules.CLASSES, 0)
        for line in self.lines:
            counts[line.document_class] += line.count
        return counts

    @property
    def total(self) -> int:
        """Return how many records are due in all."""
        return sum(line.count for line in self.lines)

    def to_dict(self) -> dict[str, object]:
        """Return the plan as the CLI's JSON object (counts only, never a person)."""
        return {
            "as_of": self.as_of.isoformat(),
            "municipality": self.municipality_code,
            "rule_set": rules.load().id,
            "by_class": self.by_class(),
            "due": [line.to_dict() for line in self.lines],
            "total": self.total,
            "persons": len(self.child_ids),
            "kept": dict(sorted(self.kept.items())),
        }


def _authorize(actor: Actor) -> None:
    if actor.role not in MAY_WEED:
        raise PermissionDenied(MSG_DENIED)


def _day(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return local_date(value)
    assert isinstance(value, dt.date)
    return value


def _last_days(session: Session) -> dict[int, dt.date]:
    """Return the last dated record of every case."""
    last: dict[int, dt.date] = {}
    # An övervägande hangs on its placement, not on the case.
    reviews = (
        select(Intervention.case_id, func.max(PlacementReview.reviewed_on))
        .join(PlacementReview, PlacementReview.intervention_id == Intervention.id)
        .group_by(Intervention.case_id)
    )
    queries = [select(c, func.max(d)).group_by(c) for c, d in _DAYS] + [reviews]
    for query in queries:
        for case_id, value in session.execute(query):
            day = _day(value)
            if day is not None and (case_id not in last or day > last[case_id]):
                last[case_id] = day
    return last


def _counts(session: Session, column: Any) -> dict[int, int]:
    return dict(session.execute(select(column, func.count()).group_by(column)).all())


def plan(session: Session, *, actor: Actor, as_of: dt.date) -> Plan:
    """Return what is due for weeding on `as_of` in this municipality's database."""
    _authorize(actor)
    code = deployment.municipality(session).code
    result = Plan(as_of=as_of, municipality_code=code)
    last = _last_days(session)
    placed = set(
        session.scalars(
            select(Intervention.case_id).where(Intervention.category.in_(PLACEMENTS)).distinct()
        )
    )
    cases = session.execute(
        select(
            Case.id, Case.child_id, Case.status, Case.closed_on, Investigation.id, Child.birth_date
        )
        .join(Child, Child.id == Case.child_id)
        .outerjoin(Investigation, Investigation.case_id == Case.id)
        .order_by(Case.id)
    ).all()
    file_last: dict[int, dt.date] = {}
    for case_id, child_id, *_ in cases:
        day = last.get(case_id)
        if day is not None and (child_id not in file_last or day > file_last[child_id]):
            file_last[child_id] = day
    journal = _counts(session, JournalEntry.case_id)
    documents = _counts(session, Document.case_id)
    voices: dict[int, list[int]] = defaultdict(list)
    for voice_id, voice_case in session.execute(
        select(ChildVoiceRecord.id, ChildVoiceRecord.case_id).order_by(ChildVoiceRecord.id)
    ):
        voices[voice_case].append(voice_id)
    due: Counter[tuple[str, str, str]] = Counter()
    remaining: Counter[int] = Counter(child_id for _, child_id, *_ in cases)
    for case_id, child_id, status, closed_on, investigation_id, birth in cases:
        if status is not CaseStatus.CLOSED or child_id not in file_last:
            result.kept["open_case"] += 1
            continue
        if case_id in placed:
            document_class = "placement"
        elif investigation_id is not None:
            document_class = "investigation"
        else:
            document_class = "not_opened_report"
        verdict = rules.weed_after(
            document_class,
            last_entry=file_last[child_id],
            birth_date=birth,
            municipality_code=code,
            closed_on=closed_on,
        )
        if not verdict.due(as_of):
            result.kept[verdict.rule] += 1
            continue
        result.case_ids.append(case_id)
        remaining[child_id] -= 1
        due[(document_class, verdict.rule, verdict.reference)] += 1
        if journal.get(case_id):
            due[("journal", verdict.rule, verdict.reference)] += journal[case_id]
        if documents.get(case_id):
            due[("document", verdict.rule, verdict.reference)] += documents[case_id]
        if voices.get(case_id):
            own = rules.weed_after(
                "voice",
                last_entry=file_last[child_id],
                birth_date=birth,
                municipality_code=code,
                closed_on=closed_on,
            )
            # Kept in the case (a foreign key), they go with it. Their own rule is never
            # later than their case's; were it ever, they are named under the case's rule,
            # so that the plan still says what the run removes.
            named = own if own.due(as_of) else verdict
            due[("voice", named.rule, named.reference)] += len(voices[case_id])
            result.voice_ids.extend(voices[case_id])
    result.child_ids = sorted(child for child, left in remaining.items() if left == 0)
    lookup_rule = rules.class_rule("lookup_entry")
    result.lookup_ids = list(
        session.scalars(
            select(LookupPublication.id)
            .where(
                LookupPublication.withdrawn.is_(False),
                LookupPublication.expires_on < as_of,
            )
            .order_by(LookupPublication.id)
        )
    )
    if result.lookup_ids:
        due[("lookup_entry", lookup_rule.rule, lookup_rule.reference)] = len(result.lookup_ids)
    order = {name: index for index, name in enumerate(rules.CLASSES)}
    result.lines = [
        Line(document_class, rule, reference, count)
        for (document_class, rule, reference), count in sorted(
            due.items(), key=lambda item: (order[item[0][0]], item[0][1])
        )
    ]
    return result


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _referring(table: Table) -> list[tuple[Table, Column[object]]]:
    """Return every (table, column) whose foreign key points at `table`'s primary key."""
    found = []
    for other in Base.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table:
                found.append((other, key.parent))
    return found


def _remove(session: Session, table: Table, ids: Sequence[int]) -> None:
    """Delete rows of `table` by primary key, and first every row that refers to them."""
    if not ids:
        return
    (primary,) = table.primary_key.columns
    wanted = set(ids)
    for other, column in _referring(table):
        if other is table:
            # A row of the same table pointing at a weeded one (a report joined to a weeded
            # investigation, a correction of a weeded journal entry) loses the pointer.
            for chunk in _chunks(list(ids)):
                session.execute(
                    update(table)
                    .where(column.in_(chunk), primary.not_in(chunk))
                    .values({column.name: None}),
                    execution_options={"synchronize_session": False},
                )
            continue
        if len(other.primary_key.columns) == 1 and _referring(other):
            (other_primary,) = other.primary_key.columns
            child_ids: list[int] = []
            for chunk in _chunks(list(ids)):
                child_ids.extend(session.scalars(select(other_primary).where(column.in_(chunk))))
            _remove(session, other, child_ids)
        else:
            for chunk in _chunks(list(ids)):
                session.execute(delete(other).where(column.in_(chunk)))
    for chunk in _chunks(sorted(wanted)):
        session.execute(delete(table).where(primary.in_(chunk)))


def _withdraw(session: Session, ids: Iterable[int], now: dt.datetime) -> None:
    """Withdraw expired lookup entries as the outbox does: the sender then tells the index."""
    for chunk in _chunks(list(ids)):
        session.execute(
            update(LookupPublication)
            .where(LookupPublication.id.in_(chunk))
            .values(
                withdrawn=True,
                status_class=None,
                latest_report_month=None,
                contact_unit=None,
                expires_on=None,
                revision=LookupPublication.revision + 1,
                attempts=0,
                next_attempt_at=None,
                updated_at=now,
            ),
            execution_options={"synchronize_session": False},
        )


def run(session: Session, *, actor: Actor, as_of: dt.date) -> tuple[int, Plan]:
    """Weed what the plan for `as_of` lists, log it and return the run's number and the plan.

    Runs in the caller's transaction: a failure anywhere rolls all of it back.
    """
    drawn = plan(session, actor=actor, as_of=as_of)
    now = utcnow()
    session.flush()
    _withdraw(session, drawn.lookup_ids, now)
    tables = Base.metadata.tables
    _remove(session, tables[ChildVoiceRecord.__tablename__], drawn.voice_ids)
    _remove(session, tables[Case.__tablename__], drawn.case_ids)
    _remove(session, tables[Child.__tablename__], drawn.child_ids)
    number = (session.scalar(select(func.max(WeedingLog.run))) or 0) + 1
    session.add_all(
        WeedingLog(
            run=number,
            as_of=as_of,
            performed_at=now,
            document_class=line.document_class,
            rule=line.rule,
            reference=line.reference,
            count=line.count,
        )
        for line in drawn.lines
    )
    audit.record(
        session,
        actor=actor,
        action="weed",
        entity="weeding_log",
        entity_id=number,
        purpose=f"Gallring per {as_of.isoformat()}: {drawn.total} poster",
    )
    session.flush()
    session.expire_all()
    return number, drawn


def log(session: Session, *, actor: Actor) -> list[WeedingLog]:
    """Return the weeding log, oldest first."""
    _authorize(actor)
    return list(session.scalars(select(WeedingLog).order_by(WeedingLog.id)))


def cases_by_child(session: Session) -> dict[int, list[int]]:
    """Return each child's case ids (for tests and the bench)."""
    found: dict[int, list[int]] = defaultdict(list)
    for case_id, child_id in session.execute(select(Case.id, Case.child_id)):
        found[child_id].append(case_id)
    return dict(found)
