"""barnskydd import: the sample loads; a bad row keeps its whole report out; twice adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.models import Case, Report
from barnskydd.core.actor import Actor
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.importer import service as importer
from barnskydd.importer.service import Summary
from barnskydd.lookup import outbox
from barnskydd.lookup.models import LookupPublication
from barnskydd.people.models import Child
from tests.factories import unit_and_worker

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-sample"
TABLES = ["child", "case", "report", "protection_assessment", "intervention", "guardian"]


@pytest.fixture
def factory(database_url: str) -> Any:
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def actor(factory: Any) -> Actor:
    with transaction(factory) as session:
        _, who = unit_and_worker(session)
    return who


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    shutil.copytree(SAMPLE, target)
    return target


def _edit(directory: Path, name: str, row_id: str, **changes: Any) -> None:
    """Change (or, with a value None, remove) fields of one row of one file."""
    path = directory / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["id"] == row_id:
            for key, value in changes.items():
                if value is None:
                    row.pop(key, None)
                else:
                    row[key] = value
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _counts(factory: Any) -> dict[str, int]:
    with transaction(factory) as session:
        return importer.table_counts(session, TABLES)


def _report_of(session: Session, received: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Report).where(Report.received_at == received)
        )
        or 0
    )


def test_the_sample_loads_with_its_chain_and_audit_trail(factory: Any, actor: Actor) -> None:
    summary = importer.run(factory, SAMPLE, actor=actor)
    assert summary.refused == []
    assert (summary.reports, summary.steps, summary.children, summary.guardians) == (4, 15, 3, 2)
    assert _counts(factory) == {
        "child": 3,
        "case": 4,
        "report": 4,
        "protection_assessment": 4,
        "intervention": 1,
        "guardian": 2,
    }
    with transaction(factory) as session:
        statuses = sorted(str(c.status) for c in session.scalars(select(Case)))
        assert statuses == sorted(["closed", "closed", "investigation", "investigation"])
        closed = session.scalars(select(Case).where(Case.closed_on.is_not(None))).all()
        assert {str(c.closed_on) for c in closed} == {"2024-02-15", "2025-02-14"}
        assert audit.verify(session) is None
        assert audit.count(session) == 25  # 3 children, 4 reports, 15 steps, 2 guardians + 1 update


def test_each_batch_tells_the_lookup_outbox_of_its_own_children(factory: Any, actor: Actor) -> None:
    importer.run(factory, SAMPLE, actor=actor, batch=1)
    with transaction(factory) as session:
        published = session.scalar(select(func.count()).select_from(LookupPublication))
        assert published == 2  # the children with a case still open
        assert outbox.refresh_all(session, today=today()) == 0  # nothing was left behind


def test_twice_adds_nothing(factory: Any, actor: Actor) -> None:
    importer.run(factory, SAMPLE, actor=actor)
    before = _counts(factory)
    with transaction(factory) as session:
        entries = audit.count(session)
    again = importer.run(factory, SAMPLE, actor=actor)
    assert (again.reports, again.already, again.guardians, again.refused) == (0, 4, 0, [])
    assert _counts(factory) == before
    with transaction(factory) as session:
        assert audit.count(session) == entries
        assert audit.verify(session) is None


@pytest.mark.parametrize(
    ("name", "row_id", "changes", "field", "report"),
    [
        ("children.jsonl", "B2", {"identity": "20090718-7356"}, "identity", "A2"),
        ("preliminary.jsonl", "F2", {"decided_on": "2024-02-30"}, "decided_on", "A2"),
        ("complete.jsonl", "U1", {"completed_on": "2024-03-01"}, "completed_on", "A2"),
        ("close.jsonl", "C1", {"order": 3}, "step", "A2"),
        ("reports.jsonl", "A2", {"colour": "blå"}, "colour", "A2"),
        ("intervention.jsonl", "I1", {"decided_on": "2024-03-01"}, "decided_on", "A2"),
    ],
    ids=[
        "bad identity number",
        "impossible date",
        "date before the step it follows",
        "forbidden transition",
        "unknown field",
        "decision before the report",
    ],
)
def test_a_bad_row_is_named_and_keeps_its_whole_report_out(
    factory: Any,
    actor: Actor,
    tmp_path: Path,
    name: str,
    row_id: str,
    changes: dict[str, Any],
    field: str,
    report: str,
) -> None:
    source = _copy(tmp_path)
    _edit(source, name, row_id, **changes)
    summary = importer.run(factory, source, actor=actor)
    kept_out = [r for r in summary.refused if r.report == report]
    assert kept_out, summary.lines()
    first = next(r for r in summary.refused if r.field == field)
    assert (first.file, first.line) == (name, _line_of(source / name, row_id))
    assert summary.reports == 3  # the others go on
    with transaction(factory) as session:
        assert (
            _report_of(session, dt.datetime(2024, 3, 11, 12, 10, tzinfo=dt.UTC)) == 0
        )  # nothing of A2
        assert session.scalar(select(func.count()).select_from(Case)) == 3
        assert session.scalar(select(func.count()).select_from(Child)) == 2  # not B2
        assert audit.verify(session) is None
    assert any(f"rad {first.line}" in line for line in Summary.lines(summary))


def _line_of(path: Path, row_id: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if json.loads(text)["id"] == row_id:
            return number
    raise AssertionError(row_id)


def test_an_unreadable_line_is_named(factory: Any, actor: Actor, tmp_path: Path) -> None:
    source = _copy(tmp_path)
    with (source / "bbic.jsonl").open("a", encoding="utf-8") as out:
        out.write("{inte json\n")
    summary = importer.run(factory, source, actor=actor)
    assert [(r.file, r.line, r.field) for r in summary.refused] == [("bbic.jsonl", 3, "")]
    assert summary.reports == 4
