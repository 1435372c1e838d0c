"""The synthetic municipality's journals: entries of realistic kinds and minutes per case.

Written through barnskydd.cases.journal.service (create, sign, correct) by the case's worker,
so the journal's rules and its audit hold for generated data as for real data. A stream of its
own (seeded from the run's seed) keeps the rest of the generated chain as it was.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.codes import JOURNAL_KIND_LABELS, JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.synth import calibration as cal

PARTICIPANTS = {
    JournalKind.CHILD_TALK: "Barnet, handläggaren",
    JournalKind.GUARDIAN_TALK: "Vårdnadshavare, handläggaren",
    JournalKind.HOME_VISIT: "Barnet, vårdnadshavare, två handläggare",
    JournalKind.NETWORK_MEETING: "Vårdnadshavare, skola, elevhälsa, handläggaren",
    JournalKind.PHONE_CALL: "Vårdnadshavare",
    JournalKind.REPORTER_CONTACT: "Anmälaren",
    JournalKind.CONSULTATION: "Arbetsledare",
    JournalKind.OTHER: "",
}


class Journals:
    """Write the journal entries of the generated cases; count them."""

    def __init__(self, session: Session, *, seed: int, end: dt.date) -> None:
        self.session = session
        self.rng = random.Random(f"journal:{seed}")
        self.cutoff = dt.datetime.combine(end, dt.time(), tzinfo=SWEDEN)
        self.entries = 0

    def _moment(self, first: dt.datetime, day: dt.date) -> dt.datetime:
        """Return a working-hours time on the day, never before `first`."""
        minute = self.rng.randrange(8 * 60, 16 * 60)
        moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=SWEDEN)
        return max(moment, first + dt.timedelta(minutes=30))

    def _write(self, case_id: int, actor: Actor, kind: JournalKind, at: dt.datetime) -> None:
        if at >= self.cutoff:
            return
        case = cases.load(self.session, case_id, whole_chain=False)
        low, high = cal.JOURNAL_MINUTES[kind]
        data = JournalAdd(
            kind=kind,
            at=at,
            minutes=self.rng.randint(low, high),
            child_alone=kind is JournalKind.CHILD_TALK
            and self.rng.random() < cal.CHILD_ALONE_SHARE,
            participants=PARTICIPANTS[kind],
            text=f"Syntetisk anteckning (testdata): {JOURNAL_KIND_LABELS[kind].lower()}.",
        )
        entry = journal.create(self.session, actor=actor, case=case, data=data)
        self.entries += 1
        recent = self.cutoff - at < dt.timedelta(days=cal.UNSIGNED_WINDOW_DAYS)
        if recent and self.rng.random() < cal.UNSIGNED_SHARE:
            return
        journal.sign(self.session, actor=actor, case=case, entry_id=entry.id)
        fixed_at = at + dt.timedelta(days=self.rng.randint(1, 3))
        if self.rng.random() < cal.CORRECTED_SHARE and fixed_at < self.cutoff:
            correction = data.model_copy(
                update={"at": fixed_at, "text": "Rättelse (testdata): fel tid angavs."}
            )
            fixed = journal.correct(
                self.session, actor=actor, case=case, entry_id=entry.id, data=correction
            )
            journal.sign(self.session, actor=actor, case=case, entry_id=fixed.id)
            self.entries += 1

    def _days(self, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
        span = max(0, (last - first).days)
        return sorted(first + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(count))

    def preliminary(
        self, case_id: int, actor: Actor, received_at: dt.datetime, decided_on: dt.date
    ) -> None:
        """Write the preliminary assessment's contact, when it had one."""
        if self.rng.random() >= cal.PRELIMINARY_CONTACT_SHARE:
            return
        kind = self.rng.choice([JournalKind.REPORTER_CONTACT, JournalKind.GUARDIAN_TALK])
        [day] = self._days(received_at.astimezone(SWEDEN).date(), decided_on, 1)
        self._write(case_id, actor, kind, self._moment(received_at, day))

    def investigation(
        self, case_id: int, actor: Actor, received_at: dt.datetime, start: dt.date, end: dt.date
    ) -> None:
        """Write an investigation's entries between its start and its completion."""
        count = self.rng.randint(*cal.JOURNAL_ENTRIES_PER_INVESTIGATION)
        kinds = [JournalKind.CHILD_TALK] * cal.CHILD_TALKS_PER_INVESTIGATION + [
            cal.draw(self.rng, cal.JOURNAL_KINDS_INVESTIGATION) for _ in range(count)
        ]
        for kind, day in zip(kinds, self._days(start, end, len(kinds)), strict=True):
            self._write(case_id, actor, kind, self._moment(received_at, day))
