"""The synthetic journals: written through the journal's service, of realistic kinds and minutes."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Investigation, Report
from barnskydd.core.clock import SWEDEN
from barnskydd.synth import calibration as cal
from tests.synth.test_generator import END, _small


def test_generated_journals_follow_the_calibration_and_the_rules(session: Session) -> None:
    report = _small(session)
    entries = list(session.scalars(select(JournalEntry)))
    assert report.journal_entries == len(entries) > 0
    kinds = Counter(e.kind for e in entries)
    assert kinds[JournalKind.CHILD_TALK] > 0
    assert (
        kinds[JournalKind.GUARDIAN_TALK] + kinds[JournalKind.PHONE_CALL]
        > kinds[JournalKind.HOME_VISIT]
    )
    received = {
        r.case_id: r.received_at
        for r in session.execute(select(Report.case_id, Report.received_at))
    }
    for e in entries:
        low, high = cal.JOURNAL_MINUTES[e.kind]
        assert low <= e.minutes <= high
        assert received[e.case_id].replace(second=0) <= e.at
        assert e.at.astimezone(SWEDEN).date() < END
        assert e.child_alone is False or e.kind is JournalKind.CHILD_TALK
    assert any(e.signed_at for e in entries)
    investigated = set(session.scalars(select(Investigation.case_id)))
    assert {e.case_id for e in entries if e.kind is JournalKind.CHILD_TALK} <= investigated
    created = [
        e for e in audit.get_all(session) if (e.entity, e.action) == ("journal_entry", "create")
    ]
    assert len(created) == len(entries)
