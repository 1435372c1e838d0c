"""The journal section of the case page: the entries newest first, the filter and the form.

Its context is plain data (safe to render after a refusal's rollback). The read of the journal
is audited by the service with the case page's purpose. The filter is the kind's code in the
query (`?typ=home_visit`), and a correction is begun with the entry's id (`?rattar=12`): no
personal data in a URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases.codes import JOURNAL_KIND_LABELS, JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.web.deps import CASE_PURPOSE

FORM = "journal"  # the form's key: its draft (case:{id}:journal) and its refusals
LABELS = {name: info.title or name for name, info in JournalAdd.model_fields.items()}


def _kind(value: str | None) -> JournalKind | None:
    try:
        return JournalKind(value) if value else None
    except ValueError:
        return None  # an unknown code filters nothing, as an empty one


def _local(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": JOURNAL_KIND_LABELS[entry.kind],
        "at": entry.at.astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M"),
        "at_iso": entry.at.isoformat(),
        "minutes": entry.minutes,
        "child_alone": entry.child_alone,
        "participants": entry.participants,
        "text": entry.text,
        "author": entry.author,
        "signed_at": (
            entry.signed_at.astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M")
            if entry.signed_at
            else None
        ),
        "signed_by": entry.signed_by,
        "corrects": entry.corrects_id,
        "corrected_by": [],
    }


def case_journal(
    session: Session, user: Actor, case: Case, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the journal section's context for the case page."""
    query = query or {}
    kind = _kind(query.get("typ"))
    entries = journal.get_all(session, actor=user, case=case, purpose=CASE_PURPOSE, kind=kind)
    rows = [_local(e) for e in entries]
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        if row["corrects"] in by_id:
            by_id[row["corrects"]]["corrected_by"].append(row["id"])
    correcting = None
    wanted = query.get("rattar", "")
    if wanted.isdigit() and int(wanted) in by_id and by_id[int(wanted)]["signed_at"]:
        correcting = by_id[int(wanted)]
    return {
        "journal": rows,
        "journal_kinds": [(k.value, label) for k, label in JOURNAL_KIND_LABELS.items()],
        "journal_filter": kind.value if kind else "",
        "journal_labels": LABELS,
        "journal_correcting": correcting,
        "failed_journal": None,
    }
