"""The journal as the command line and the API show it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.core.clock import SWEDEN


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(SWEDEN)


class JournalEntryRead(BaseModel):
    """One entry: the keys `barnskydd journal list --json` prints (times in Swedish time)."""

    id: int
    kind: JournalKind
    at: dt.datetime
    minutes: int
    child_alone: bool
    text: str
    signed_at: dt.datetime | None
    corrects: int | None

    @classmethod
    def of(cls, entry: JournalEntry) -> JournalEntryRead:
        """Describe a stored entry."""
        return cls(
            id=entry.id,
            kind=entry.kind,
            at=entry.at.astimezone(SWEDEN),
            minutes=entry.minutes,
            child_alone=entry.child_alone,
            text=entry.text,
            signed_at=_local(entry.signed_at),
            corrects=entry.corrects_id,
        )


class JournalEntryDetail(JournalEntryRead):
    """One entry as the API answers: also who took part, who wrote and who signed it."""

    participants: str
    author: str
    signed_by: str | None

    @classmethod
    def of(cls, entry: JournalEntry) -> JournalEntryDetail:
        """Describe a stored entry with its people."""
        return cls(
            **JournalEntryRead.of(entry).model_dump(),
            participants=entry.participants,
            author=entry.author,
            signed_by=entry.signed_by,
        )
