"""The case page's documents section: the list of the case's documents and the upload form."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from barnskydd.cases.journal import service as journal
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.documents import rules
from barnskydd.documents import service as documents
from barnskydd.documents.codes import KIND_LABELS

TYPE_LABELS = {rules.PDF: "PDF", rules.JPEG: "JPEG", rules.PNG: "PNG"}


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def case_documents(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's documents section as plain data (safe after a rollback)."""
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "kind": KIND_LABELS[d.kind],
            "filename": d.filename,
            "type": TYPE_LABELS.get(d.media_type, d.media_type),
            "size": _size(d.size),
            "uploaded_at": d.uploaded_at,
            "uploaded_by": d.uploaded_by,
            "journal_entry": d.journal_entry_id,
        }
        for d in documents.get_all(session, actor=user, case=case)
    ]
    return {
        "documents": rows,
        "document_kinds": list(KIND_LABELS.items()),
        "document_entries": journal.headings(session, actor=user, case=case),
        "documents_failed": False,
    }
