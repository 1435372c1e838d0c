"""The retention plan and run on a synthetic municipality: what the plan lists, the run removes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case, Intervention, Investigation
from barnskydd.core.actor import SYSTEM, Actor, Role
from barnskydd.core.errors import PermissionDenied
from barnskydd.documents.models import Document
from barnskydd.law import retention as rules
from barnskydd.people.models import Child, Guardian
from barnskydd.retention import service
from barnskydd.retention.models import WeedingLog
from barnskydd.synth.generator import generate
from barnskydd.voice.models import ChildVoiceAnswer, ChildVoiceRecord, VoiceResponse

# Oskarshamn: outside the research areas, so only persons born on the 5th, 15th, 25th are kept.
MUNICIPALITY = "0882"
START = dt.date(2016, 1, 1)
END = dt.date(2026, 11, 30)
AS_OF = dt.date(2026, 12, 31)
ADMIN = Actor(username="arkiv", role=Role.ADMIN)


def _municipality(session: Session) -> None:
    generate(session, municipality_code=MUNICIPALITY, start=START, end=END, seed=3, scale=0.007)


def _case_classes(session: Session) -> dict[int, str]:
    """Each case's class, read independently of the service (for comparing counts)."""
    placed = set(
        session.scalars(
            select(Intervention.case_id).where(Intervention.category.in_(service.PLACEMENTS))
        )
    )
    investigated = set(session.scalars(select(Investigation.case_id)))
    return {
        case_id: "placement" if case_id in placed else
        "investigation" if case_id in investigated else "not_opened_report"
        for case_id in session.scalars(select(Case.id))
    }  # fmt: skip


def _rows(session: Session) -> Counter[str]:
    counts = Counter(_case_classes(session).values())
    counts["journal"] = session.scalar(select(func.count()).select_from(JournalEntry)) or 0
    counts["document"] = session.scalar(select(func.count()).select_from(Document)) or 0
    counts["child"] = session.scalar(select(func.count()).select_from(Child)) or 0
    counts["voice"] = session.scalar(select(func.count()).select_from(ChildVoiceRecord)) or 0
    counts["voice_answer"] = session.scalar(select(func.count()).select_from(ChildVoiceAnswer))
    counts["voice_response"] = session.scalar(select(func.count()).select_from(VoiceResponse))
    return counts


def test_the_run_removes_exactly_what_the_plan_counts_and_the_chain_verifies(
    session: Session,
) -> None:
    _municipality(session)
    before = _rows(session)

    # Only an administrator (or the system job) may plan or weed; a refusal weeds nothing.
    for role in (Role.CASE_WORKER, Role.TEAM_LEAD, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            service.run(session, actor=Actor(username="x", role=role), as_of=AS_OF)
        with pytest.raises(PermissionDenied):
            service.plan(session, actor=Actor(username="x", role=role), as_of=AS_OF)
    assert _rows(session) == before
    assert session.scalar(select(func.count()).select_from(WeedingLog)) == 0

    drawn = service.plan(session, actor=ADMIN, as_of=AS_OF)
    assert service.plan(session, actor=SYSTEM, as_of=AS_OF).to_dict() == drawn.to_dict()
    due = drawn.by_class()
    assert set(due) == set(rules.CLASSES)
    # The synthetic decade reaches the rules that matter: five years for not-opened reports
    # and for investigations closed before 2026-01-15; placements and the research sample kept.
    assert due["not_opened_report"] > 0
    assert due["investigation"] > 0
    assert due["journal"] > 0
    assert due["placement"] == 0
    assert drawn.kept["never_placement"] > 0
    assert drawn.kept["research_sample"] > 0
    assert {line.rule for line in drawn.lines} <= {"five_years_after_last_entry"}
    # An earlier day's plan is a part of a later one's; an open case is never due.
    early = service.plan(session, actor=ADMIN, as_of=dt.date(2023, 12, 31))
    assert set(early.case_ids) <= set(drawn.case_ids)
    assert early.total < drawn.total
    open_cases = set(session.scalars(select(Case.id).where(Case.closed_on.is_(None))))
    assert not open_cases & set(drawn.case_ids)

    placed_before = {c for c, k in _case_classes(session).items() if k == "placement"}
    number, done = service.run(session, actor=ADMIN, as_of=AS_OF)
    after = _rows(session)

    assert done.to_dict() == drawn.to_dict()
    for document_class in (
        "not_opened_report",
        "investigation",
        "placement",
        "journal",
        "document",
        "voice",
    ):
        assert before[document_class] - after[document_class] == due[document_class], document_class
    assert before["child"] - after["child"] == len(drawn.child_ids)
    assert after["voice_response"] == before["voice_response"]
    assert placed_before <= set(session.scalars(select(Case.id)))
    # No orphan: every guardian's child and every case's child is still there.
    children = set(session.scalars(select(Child.id)))
    assert set(session.scalars(select(Guardian.child_id))) <= children
    assert set(session.scalars(select(Case.child_id))) <= children

    # The plan after the run lists nothing; the log holds the plan's lines and nothing personal.
    assert service.plan(session, actor=ADMIN, as_of=AS_OF).total == 0
    log = session.scalars(select(WeedingLog).where(WeedingLog.run == number)).all()
    assert sorted((r.document_class, r.rule, r.count) for r in log) == sorted(
        (line.document_class, line.rule, line.count) for line in drawn.lines
    )
    columns = {c["name"] for c in inspect(session.connection()).get_columns("weeding_log")}
    assert columns == {"id", "run", "as_of", "performed_at", "document_class", "rule",
                       "reference", "count"}  # fmt: skip

    # The audit trail: one entry names the run (ids only), and the chain still verifies.
    audit.append_pending(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "weed")).one()
    assert (entry.entity, entry.entity_id, entry.child_id, entry.case_id) == (
        "weeding_log",
        number,
        None,
        None,
    )
    assert audit.verify(session) is None


def _removed_as_planned(session: Session, as_of: dt.date) -> service.Plan:
    """Plan and run for a day; check each class's count against the rows that went."""
    before = _rows(session)
    drawn = service.plan(session, actor=ADMIN, as_of=as_of)
    service.run(session, actor=ADMIN, as_of=as_of)
    after = _rows(session)
    due = drawn.by_class()
    for document_class in ("not_opened_report", "investigation", "journal", "document", "voice"):
        assert before[document_class] - after[document_class] == due[document_class], document_class
    return drawn


def test_the_childs_voice_is_planned_and_weeded_under_its_own_class(session: Session) -> None:
    _municipality(session)
    _removed_as_planned(session, AS_OF)
    # Six years on, the cases closed up to 2025 whose follow-ups heard the child are due.
    drawn = _removed_as_planned(session, dt.date(2032, 12, 31))
    voice = [line for line in drawn.lines if line.document_class == "voice"]
    assert voice, drawn.lines
    rule = rules.class_rule("voice")
    assert {(line.rule, line.reference) for line in voice} == {(rule.rule, rule.reference)}
    assert sum(line.count for line in voice) == len(drawn.voice_ids)
    assert not set(drawn.voice_ids) & set(session.scalars(select(ChildVoiceRecord.id)))
    # The child's answers went with their records; the anonymous counts are no part of a file.
    left = set(session.scalars(select(ChildVoiceRecord.id)))
    assert set(session.scalars(select(ChildVoiceAnswer.record_id))) <= left
