"""Move a municipality's history in: every report through the chain's own rules, written in batches.

Each report is one unit with its child and its steps. It is checked apart, in memory, by the
functions every other write uses: ReportCreate and the step input models, the registration
rules (`cases.service.registration_unit`, `new_case`: unit, worker, age, rule set and
deadlines), `people.service.get_or_create`, and for each step the transition table, the
step's check on `CaseFacts.of(case)` and the step's handler, which builds the step's rows on
the case as on the desk. The services are handed a `_Unit` in place of the session: it
collects the rows they add and the audit entries they queue, gives each row its id from a
block reserved in the database, and answers their few queries from what the import knows.

A unit that passes is kept; one that fails leaves nothing behind (its rows and entries are
dropped) and is listed with the file, line and field. The kept units of a batch are written
in one transaction: one multi-row INSERT per table, then the audit entries, chained by
`audit.service` as any commit chains them, then the lookup's hook for each child. Each source
record written is remembered in `imported_record`, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast

from pydantic import ValidationError
from sqlalchemy import Table, event, func, inspect, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditHead
from barnskydd.cases import hooks
from barnskydd.cases import service as cases
from barnskydd.cases.chain import inputs as step_inputs
from barnskydd.cases.chain.checks import CaseFacts
from barnskydd.cases.chain.handlers import ONGOING
from barnskydd.cases.chain.spec import StepSpec
from barnskydd.cases.chain.transitions import next_status
from barnskydd.cases.codes import PreliminaryOutcome
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.models import Case
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core import memory, messages
from barnskydd.core.actor import Actor
from barnskydd.core.db import Base, transaction
from barnskydd.core.errors import DomainError
from barnskydd.importer import format as fmt
from barnskydd.importer.format import Refusal, Row, Source
from barnskydd.importer.models import ImportedRecord
from barnskydd.people import guardians as guardian_rows
from barnskydd.people import service as people
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child, Guardian
from barnskydd.people.schemas import ParsedIdentity
from barnskydd.staff.models import StaffMember, Unit

BATCH = 500  # reports per transaction
ID_BLOCK = 2000  # ids reserved at a time from a PostgreSQL sequence
CHILD, REPORT, GUARDIAN = "child", "report", "guardian"
_ORDER = {table.name: n for n, table in enumerate(Base.metadata.sorted_tables)}
_RECORDS = ImportedRecord.metadata.tables[ImportedRecord.__tablename__]

MSG_UNKNOWN_CHILD = f"Barnet finns inte i {fmt.CHILDREN}."
MSG_SIBLINGS = "Syskon anges som egna anmälningar, en rad per barn."
MSG_UNKNOWN_INTERVENTION = "Anmälan har ingen insats med det id:t före detta steg."
MSG_CHILD_REFUSED = f"Barnets rad i {fmt.CHILDREN} avvisades."
MSG_UNKNOWN = {
    "unit": "Det finns ingen enhet med det namnet i Barnskydd.",
    "assigned_to": "Det finns ingen handläggare med det användarnamnet i Barnskydd.",
}
MSG_NO_CASE = "Barnet har ingen importerad anmälan att knyta vårdnadshavaren till."


class ChildRow(step_inputs.StrictInput):
    """A row of children.jsonl: the child as the source system registered it."""

    identity: ParsedIdentity
    first_name: str
    last_name: str
    protected_identity: ProtectedIdentity = ProtectedIdentity.NONE


@dataclass
class Summary:
    """What one import did, in counts and refusals (no personal data)."""

    system: str
    reports: int = 0
    steps: int = 0
    children: int = 0
    guardians: int = 0
    already: int = 0
    total: int = 0
    refused: list[Refusal] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def refused_reports(self) -> int:
        """How many reports were kept out."""
        return len({r.report for r in self.refused if r.report})

    def lines(self) -> list[str]:
        """Return the summary as Swedish lines: counts, then each refusal."""
        rate = self.reports / self.seconds if self.seconds else 0.0
        lines = [
            f"Import från {self.system}: {self.reports} anmälningar med {self.steps} steg, "
            f"{self.children} nya barn och {self.guardians} vårdnadshavare på "
            f"{self.seconds:.1f} s ({rate:.0f} anmälningar/s).",
            f"Fanns redan (importerade tidigare): {self.already} anmälningar.",
            f"Avvisade: {self.refused_reports} anmälningar, {len(self.refused)} rader.",
        ]
        lines += [f"  {refusal.describe()}" for refusal in self.refused]
        return lines


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def _invalid(row: Row, error: ValidationError, report: str | None, *, rename: str = "") -> _Refused:
    fields = messages.field_errors(error.errors(), whole="")
    name, message = next(iter(fields.items()), ("", messages.OTHER))
    return _Refused(Refusal(row.file, row.line, rename or name, message, report))


def _domain(row: Row, error: DomainError, report: str | None, *, field: str = "") -> _Refused:
    return _Refused(Refusal(row.file, row.line, field or error.field or "", error.message, report))


class _Ids:
    """Ids for new rows, taken ahead of the INSERT: blocks of a sequence, or past the maximum.

    On SQLite the batch holds the database's write lock from its start, so no other writer
    takes an id in between; on PostgreSQL the ids come from the table's own sequence.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.free: dict[str, Iterator[int]] = {}

    def take(self, table: Table) -> int:
        """Return the next id for a row of the table."""
        for _ in range(2):
            found = next(self.free.setdefault(table.name, iter(())), None)
            if found is not None:
                return found
            self.free[table.name] = self._block(table)
        raise RuntimeError(f"no ids for {table.name}")

    def _block(self, table: Table) -> Iterator[int]:
        if self.postgres:
            sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
            query = select(func.nextval(sequence)).select_from(func.generate_series(1, ID_BLOCK))
            return iter(list(self.session.scalars(query)))
        last = self.session.scalar(select(func.max(table.c.id))) or 0
        return iter(range(last + 1, 2**31))


def _has_id(table: Table) -> bool:
    column = table.c.get("id")
    return column is not None and column.primary_key and column.type.python_type is int


class _Rows(list[Any]):
    def first(self) -> Any:
        return self[0] if self else None


class _Unit:
    """Stands in for the session while one report (or guardian) is checked and built.

    Collects what the services add and queue; `flush` gives new rows their ids and copies
    them into the keys that name them, as the ORM's flush would. The services' queries are
    answered from `answers`, which the import fills before each call that makes one; any
    other query is an error of the import, not of the data.
    """

    def __init__(self, ids: _Ids) -> None:
        self.ids = ids
        self.info: dict[str, Any] = {}
        self.added: list[Any] = []
        self.made: list[Any] = []
        self.flushed = 0
        self.raised: tuple[Child, ProtectedIdentity] | None = None  # a known child's level
        self.kept: _Kept | None = None  # what a report's unit became, once it passed
        self.answers: list[list[Any]] = []

    def in_transaction(self) -> bool:
        return True

    def add(self, row: Any) -> None:
        self.added.append(row)

    def scalars(self, _query: Any, _params: Any = None) -> _Rows:
        if not self.answers:
            raise RuntimeError("the import has no answer for this query")
        return _Rows(self.answers.pop(0))

    def flush(self) -> None:
        rows = self.made[self.flushed :]
        self.flushed = len(self.made)
        for row in rows:
            shape = _shape(row.__mapper__)
            if shape.has_id and row.__dict__.get("id") is None:
                row.id = self.ids.take(shape.table)
        for row in rows:  # a row's keys are set once; a later step's rows set their own
            _sync_keys(row)

    @contextmanager
    def making(self) -> Iterator[None]:
        """Collect every row constructed meanwhile: the rows this unit's services make."""
        _MAKING.append(self)
        try:
            yield
        finally:
            _MAKING.pop()

    def rows(self) -> list[Any]:
        """Every new row of the unit, in the order they were made."""
        return self.made


_MAKING: list[_Unit] = []


@event.listens_for(Base, "init", propagate=True)
def _made(target: Any, _args: Any, _kwargs: Any) -> None:
    if _MAKING:
        _MAKING[-1].made.append(target)


Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the import needs to know of a mapped class, worked out once."""

    table: Table
    has_id: bool
    held: tuple[str, ...]  # relationships to the rows it holds (one-to-many, one-to-one)
    names: tuple[tuple[str, Pairs], ...]  # many-to-one: (own key, the target's attribute)
    holds: tuple[tuple[str, Pairs], ...]  # one-to-many: (the held row's key, own attribute)
    columns: tuple[tuple[str, str], ...]  # (attribute, column)


@functools.cache
def _shape(mapper: Any) -> _Shape:
    def attribute(of: Any, column: Any) -> str:
        return str(of.get_property_by_column(column).key)

    names, holds, held = [], [], []
    for relation in mapper.relationships:
        target = relation.mapper
        if relation.direction is MANYTOONE:
            pairs = tuple(
                (attribute(mapper, local), attribute(target, remote))
                for local, remote in relation.local_remote_pairs
            )
            names.append((relation.key, pairs))
        elif relation.direction is ONETOMANY:
            pairs = tuple(
                (attribute(target, remote), attribute(mapper, local))
                for local, remote in relation.local_remote_pairs
            )
            holds.append((relation.key, pairs))
            held.append(relation.key)
    table = mapper.local_table
    return _Shape(
        table=table,
        has_id=_has_id(table),
        held=tuple(held),
        names=tuple(names),
        holds=tuple(holds),
        columns=tuple((prop.key, prop.columns[0].key) for prop in mapper.column_attrs),
    )


def _set(row: Any, key: str, value: Any) -> None:
    if row.__dict__.get(key) != value:  # an attribute event only where something changes
        setattr(row, key, value)


def _sync_keys(row: Any) -> None:
    """Copy the ids of the rows this one names (and holds) into their key columns."""
    shape = _shape(row.__mapper__)
    state = row.__dict__
    for key, pairs in shape.names:
        target = state.get(key)
        if target is not None:
            for local, remote in pairs:
                _set(row, local, getattr(target, remote))
    for key, pairs in shape.holds:
        value = state.get(key)
        if value is None:
            continue
        for held in value if isinstance(value, list) else (value,):
            for remote, local in pairs:
                _set(held, remote, state.get(local))


def _values(row: Any) -> dict[str, Any]:
    """The row's set columns, as an INSERT takes them (defaults fill in the rest)."""
    state = row.__dict__
    return {column: state[key] for key, column in _shape(row.__mapper__).columns if key in state}


class _Kept(NamedTuple):
    """A report that passed: its source ids, its child and case, how many steps."""

    report: str
    child_ref: str
    child: Child
    case: Case
    steps: int


@dataclass
class _Known:
    """What the run knows about one child: its row id and its cases so far (for the checks)."""

    child_id: int
    cases: list[Case] = field(default_factory=list)


class _Run:
    """One import: the source, the actor, what earlier runs and batches wrote."""

    def __init__(self, source: Source, actor: Actor, summary: Summary) -> None:
        self.source, self.actor, self.summary = source, actor, summary
        self.done: dict[tuple[str, str], int] = {}
        self.children: dict[str, _Known] = {}
        self.child_rows: dict[str, ChildRow | Refusal] = {}
        self.units: dict[str, int] = {}
        self.staff: dict[str, int] = {}
        self.changed: set[int] = set()  # children whose cases the run changed

    def load_done(self, session: Session) -> None:
        """Read what earlier imports from the same system wrote."""
        query = select(ImportedRecord.kind, ImportedRecord.source_id, ImportedRecord.target_id)
        for kind, source_id, target_id in session.execute(
            query.where(ImportedRecord.system == self.source.system)
        ):
            self.done[(kind, source_id)] = target_id
            if kind == CHILD:
                self.children[source_id] = _Known(target_id)
        self.units = {row.name: row.id for row in session.execute(select(Unit.name, Unit.id))}
        staff = session.execute(select(StaffMember.username, StaffMember.id))
        self.staff = {row.username: row.id for row in staff}

    def child_row(self, source_id: str) -> ChildRow | Refusal | None:
        """The child's row, validated once (None: the file has no such child)."""
        found = self.child_rows.get(source_id)
        if found is None:
            row = self.source.children.get(source_id)
            if row is None:
                return None
            try:
                found = ChildRow.model_validate(row.data)
            except ValidationError as error:
                found = _invalid(row, error, None).refusal
                self.summary.refused.append(found)
            self.child_rows[source_id] = found
        return found


class _Batch:
    """One transaction's reports: check each apart, then write the kept ones together."""

    def __init__(self, session: Session, run: _Run) -> None:
        self.session, self.run = session, run
        self.ids = _Ids(session)
        self.kept: list[_Unit] = []
        self.records: list[dict[str, Any]] = []
        self.changed: set[int] = set()
        self.stored: dict[int, Child] = {}
        self.by_number: dict[str, Child | None] = {}

    def lock(self) -> None:
        """On SQLite, take the write lock first (the ids are read past the maximum)."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                update(AuditHead).where(AuditHead.id == audit.HEAD_ID).values(seq=AuditHead.seq),
                execution_options={"synchronize_session": False},
            )

    def prefetch(self, rows: Sequence[Row]) -> None:
        """Load the batch's stored children (by id, and new ones by identity) in two queries."""
        ids, numbers = set(), set()
        for row in rows:
            ref = str(row.data.get("child"))
            known = self.run.children.get(ref)
            if known is not None:
                ids.add(known.child_id)
            elif isinstance(parsed := self.run.child_row(ref), ChildRow):
                numbers.add(parsed.identity.number)
        if ids:
            self.stored.update(
                (c.id, c) for c in self.session.scalars(select(Child).where(Child.id.in_(ids)))
            )
        if numbers:
            found = self.session.scalars(select(Child).where(Child.identity_number.in_(numbers)))
            self.by_number.update((c.identity_number, c) for c in found)

    def report(self, row: Row) -> None:
        """Check and build one report with its steps; keep it, or list why not."""
        unit = _Unit(self.ids)
        try:
            with unit.making():
                self._build(row, unit)
        except _Refused as refused:
            self.run.summary.refused.append(refused.refusal)
            if unit.raised is not None:  # a stored child's level, raised by this report: back
                child, level = unit.raised
                child.protected_identity = level
            return
        self.kept.append(unit)
        self.keep(unit)

    def _build(self, row: Row, unit: _Unit) -> None:
        run, actor, report_id = self.run, self.run.actor, row.id
        if report_id in run.source.broken:
            raise _Refused(Refusal(row.file, row.line, "", "Ett steg avvisades.", report_id))
        data = dict(row.data)
        child_ref = str(data.pop("child"))
        if "siblings" in data:
            raise _Refused(Refusal(row.file, row.line, "siblings", MSG_SIBLINGS, report_id))
        parsed = run.child_row(child_ref)
        if not isinstance(parsed, ChildRow):
            why = MSG_UNKNOWN_CHILD if parsed is None else MSG_CHILD_REFUSED
            raise _Refused(Refusal(row.file, row.line, "child", why, report_id))
        for name, table, key in (
            ("unit", run.units, "unit_id"),
            ("assigned_to", run.staff, "assigned_to_id"),
        ):
            if name in data:
                found = table.get(str(data.pop(name)))
                if found is None:
                    raise _Refused(Refusal(row.file, row.line, name, MSG_UNKNOWN[name], report_id))
                data[key] = found
        fields = {
            **data,
            "child_identity": parsed.identity,
            "child_first_name": parsed.first_name,
            "child_last_name": parsed.last_name,
            "protected_identity": parsed.protected_identity,
        }
        try:
            registration = ReportCreate.model_validate(fields)
        except ValidationError as error:
            raise _invalid(row, error, report_id) from None
        session = cast(Session, unit)
        known = run.children.get(child_ref)
        if known is not None:
            unit.answers.append([self.stored[known.child_id]])
        else:
            existing = self.by_number.get(parsed.identity.number)
            unit.answers.append([existing] if existing is not None else [])
        before = unit.answers[0][0] if unit.answers[0] else None
        if before is not None:
            unit.raised = (before, before.protected_identity)
        try:
            unit_row = cases.registration_unit(self.session, actor=actor, data=registration)
            child = people.get_or_create(
                session,
                actor=actor,
                identity=parsed.identity,
                first_name=parsed.first_name,
                last_name=parsed.last_name,
                protected_identity=parsed.protected_identity,
            )
            case = cases.new_case(actor, registration, unit_row, child, field="child_identity")
        except DomainError as error:
            raise _domain(row, error, report_id) from None
        case.child, case.unit = child, unit_row
        unit.flush()
        case.case_number = cases.case_number(case)
        cases.audit_case(session, actor, case, action="create", entity="report", entity_id=case.id)
        interventions: dict[str, int] = {}
        steps = 0
        for step_row in run.source.steps_of(report_id):
            self._step(unit, case, step_row, report_id, interventions, known)
            steps += 1
        unit.kept = _Kept(report_id, child_ref, child, case, steps)

    def _step(
        self,
        unit: _Unit,
        case: Case,
        row: Row,
        report_id: str,
        interventions: dict[str, int],
        known: _Known | None,
    ) -> None:
        spec: StepSpec = fmt.STEP_FILES[row.file]
        fields = dict(row.data)
        for name, reference in fmt.REFERENCES.items():
            if name in spec.fields and reference in fields:
                target = interventions.get(str(fields.pop(reference)))
                if target is None:
                    raise _Refused(
                        Refusal(row.file, row.line, reference, MSG_UNKNOWN_INTERVENTION, report_id)
                    )
                fields[name] = target
        try:
            data = spec.input.model_validate(fields)
        except ValidationError as error:
            raise _invalid(row, error, report_id) from None
        session = cast(Session, unit)
        try:
            status = next_status(case.status, spec.step, getattr(data, "outcome", None))
            spec.check(CaseFacts.of(case), data)
            if getattr(data, "outcome", None) is PreliminaryOutcome.ALREADY_ONGOING:
                unit.answers.append(self._ongoing(case, known, data))
            case.status = status
            record = spec.handler(session, self.run.actor, case, data)
        except DomainError as error:
            raise _domain(row, error, report_id, field=error.field or "step") from None
        unit.flush()
        if spec.entity == "intervention" and spec.action == "create":
            interventions[row.id] = record.id
        cases.audit_case(
            session,
            self.run.actor,
            case,
            action=spec.action,
            entity=spec.entity,
            entity_id=record.id,
            purpose=spec.purpose,
        )

    def _ongoing(self, case: Case, known: _Known | None, data: Any) -> list[Any]:
        """The child's investigations ongoing on the decision's day (this run's, then stored)."""
        day: dt.date = data.decided_on
        wanted = data.linked_case_number
        earlier = [
            c
            for c in (known.cases if known else [])
            if c.investigation is not None
            and c.investigation.started_on <= day
            and (c.closed_on is None or c.closed_on > day)
            and (not wanted or c.case_number == wanted)
        ]
        if earlier:
            return sorted(earlier, key=lambda c: c.opened_at, reverse=True)
        if known is None:
            return []
        query = select(Case).where(Case.child_id == known.child_id, Case.status.in_(ONGOING))
        if wanted:
            query = query.where(Case.case_number == wanted)
        return list(self.session.scalars(query.order_by(Case.opened_at.desc())))

    def keep(self, unit: _Unit) -> None:
        """Remember what a kept report wrote: its mapping, and its child for the next reports."""
        assert unit.kept is not None
        report_id, child_ref, child, case, steps = unit.kept
        run, summary = self.run, self.run.summary
        known = run.children.get(child_ref)
        if known is None:
            known = run.children[child_ref] = _Known(child.id)
            self.records.append(_record(run.source.system, CHILD, child_ref, child.id))
            if not inspect(child).has_identity:  # made by this report, not found
                summary.children += 1
        self.stored[child.id] = child
        known.cases.append(case)
        self.records.append(_record(run.source.system, REPORT, report_id, case.id))
        run.done[(REPORT, report_id)] = case.id
        self.changed.add(child.id)
        summary.reports += 1
        summary.steps += steps

    def write(self, units: Iterable[_Unit]) -> None:
        """Write the kept units: one INSERT per table and key set, the entries, the hooks."""
        grouped: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        tables: dict[str, Table] = {}
        for unit in units:
            for row in unit.rows():
                table = row.__table__
                tables[table.name] = table
                grouped[(table.name, ())].append(_values(row))
            audit.take_over(self.session, unit)
        if self.records:
            grouped[(_RECORDS.name, ())] = self.records
            tables[_RECORDS.name] = _RECORDS
        by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (name, _), rows in sorted(grouped.items(), key=lambda item: _ORDER[item[0][0]]):
            by_table[name].extend(rows)
        for name, rows in by_table.items():
            _write(self.session, tables[name], rows)
        audit.append_pending(self.session, write=_write)
        self.run.changed |= self.changed

    def guardian(self, row: Row) -> None:
        """Check and write one guardian of an imported child (a unit of its own)."""
        run = self.run
        child_ref = str(row.data.get("child"))
        known = run.children.get(child_ref)
        if known is None:
            run.summary.refused.append(Refusal(row.file, row.line, "child", MSG_NO_CASE))
            return
        fields = {k: v for k, v in row.data.items() if k != "child"}
        try:
            data = GuardianInput.model_validate(fields)
        except ValidationError as error:
            run.summary.refused.append(_invalid(row, error, None).refusal)
            return
        child = self.stored.get(known.child_id) or self.session.get(Child, known.child_id)
        assert child is not None
        others = self.guardians_of(child)
        case_id = self.latest_case(known)
        unit = _Unit(self.ids)
        unit.answers.append(list(others))
        try:
            with unit.making():
                guardian = guardian_rows.create(
                    cast(Session, unit), actor=run.actor, child=child, case_id=case_id, **dict(data)
                )
        except DomainError as error:
            run.summary.refused.append(_domain(row, error, None).refusal)
            return
        others.append(guardian)
        self.kept.append(unit)
        self.records.append(_record(run.source.system, GUARDIAN, row.id, guardian.id))
        run.summary.guardians += 1

    def guardians_of(self, child: Child) -> list[Guardian]:
        """The child's guardians: stored ones (read once) and those added in this batch."""
        cache: dict[int, list[Guardian]] = self.session.info.setdefault("import.guardians", {})
        if child.id not in cache:
            stored = select(Guardian).where(Guardian.child_id == child.id)
            cache[child.id] = list(self.session.scalars(stored))
        return cache[child.id]

    def latest_case(self, known: _Known) -> int:
        """The id of the child's latest case (an imported one, else a stored one)."""
        if known.cases:
            return max(known.cases, key=lambda c: c.opened_at).id
        query = select(Case.id).where(Case.child_id == known.child_id)
        found = self.session.scalar(query.order_by(Case.opened_at.desc()))
        assert found is not None
        return found


def _write(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Write rows of one table: PostgreSQL's COPY, else (SQLite) one plain INSERT's executemany.

    COPY has the server take the rows as one stream, where an executemany runs one INSERT per
    row. The values go through the columns' own bind processing and Python defaults first, as
    the ORM's INSERT would put them, but without compiling each row's parameters anew.
    """
    shapes: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:  # a column a row leaves out takes its default, not another row's None
        shapes[frozenset(row)].append(row)
    for named, same in shapes.items():
        _write_shape(session, table, named, same)


def _write_shape(
    session: Session, table: Table, named: frozenset[str], rows: list[dict[str, Any]]
) -> None:
    dialect = session.get_bind().dialect
    columns = [c for c in table.columns if c.key in named or _python_default(c)]
    steps = []
    for column in columns:
        default = column.default
        process = column.type._cached_bind_processor(dialect)
        steps.append((column.key, default, process))

    def values(row: dict[str, Any]) -> list[Any]:
        out = []
        for key, default, process in steps:
            if key in row:
                value = row[key]
            elif default is not None and default.is_callable:
                value = default.arg(None)  # type: ignore[attr-defined]
            elif default is not None:
                value = default.arg  # type: ignore[attr-defined]
            else:
                value = None
            out.append(process(value) if process is not None else value)
        return out

    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name != "postgresql":
        marks = ", ".join("?" for _ in columns)
        session.connection().exec_driver_sql(
            f"INSERT INTO {target} ({names}) VALUES ({marks})",  # noqa: S608
            [tuple(values(row)) for row in rows],
        )
        return
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(values(row))


def _python_default(column: Any) -> bool:
    default = column.default
    return default is not None and (default.is_callable or default.is_scalar)


def _record(system: str, kind: str, source_id: str, target_id: int) -> dict[str, Any]:
    return {"system": system, "kind": kind, "source_id": source_id, "target_id": target_id}


Progress = Callable[[int, int], None]


def run(
    factory: sessionmaker[Session],
    directory: Path,
    *,
    actor: Actor,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> Summary:
    """Import a directory in the exchange format; one transaction per batch of reports."""
    started = time.perf_counter()
    source = fmt.read(directory)
    summary = Summary(system=source.system, total=len(source.reports))
    summary.refused.extend(source.refused)
    state = _Run(source, actor, summary)
    with transaction(factory) as session:
        state.load_done(session)
    pending = [r for r in source.reports if (REPORT, r.id) not in state.done]
    summary.already = len(source.reports) - len(pending)
    done = summary.already
    with memory.frozen() as freeze:
        for start in range(0, len(pending), batch):
            # What earlier batches left is held to the end of the run anyway (the kept cases);
            # the few cycles of their own a batch leaves (about 1,000 objects) wait with it.
            freeze()
            _write_batch(factory, state, pending[start : start + batch])
            done += min(batch, len(pending) - start)
            if progress is not None:
                progress(done, len(source.reports))
        with transaction(factory) as session:
            work = _Batch(session, state)
            work.lock()
            for row in source.guardians:
                if (GUARDIAN, row.id) not in state.done:
                    work.guardian(row)
            work.write(work.kept)
            hooks.children_changed(session, work.changed)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_batch(factory: sessionmaker[Session], state: _Run, rows: list[Row]) -> None:
    """Check, build and write one batch of reports in one transaction."""
    with transaction(factory) as session:
        work = _Batch(session, state)
        work.lock()
        work.prefetch(rows)
        for row in rows:
            work.report(row)
        work.write(work.kept)
        # In the batch's own transaction: a run that stops later has told the subscribers
        # (the lookup's outbox) of every child it wrote, and a rerun skips those reports.
        hooks.children_changed(session, work.changed)


def table_counts(session: Session, names: Sequence[str]) -> dict[str, int]:
    """Count the rows of some tables (for the bench and the tests)."""
    return {
        name: session.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0  # noqa: S608
        for name in names
    }
