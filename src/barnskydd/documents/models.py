"""A document of a case: its metadata, and its bytes in the same row (stored in the database)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value
from barnskydd.documents.codes import DocumentKind


class Document(Base):
    """An uploaded file (PDF, JPEG or PNG) in a case; never changed once stored.

    The bytes are deferred: listing a case's documents reads the metadata only.
    """

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    journal_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id", ondelete="SET NULL"),
        index=True,
        comment="the journal entry of the same case the document belongs to; a deleted draft "
        "entry leaves the document in the case",
    )
    title: Mapped[str] = mapped_column(String(200), comment="personal data: free text")
    kind: Mapped[DocumentKind] = mapped_column(enum_by_value(DocumentKind))
    filename: Mapped[str] = mapped_column(
        String(120), comment="personal data: the uploaded file's name, sanitised"
    )
    media_type: Mapped[str] = mapped_column(String(40), comment="sniffed from the content")
    size: Mapped[int] = mapped_column(comment="bytes")
    sha256: Mapped[str] = mapped_column(String(64), comment="hex digest of the content")
    uploaded_by: Mapped[str] = mapped_column(String(60), comment="username")
    uploaded_at: Mapped[dt.datetime]
    content: Mapped[bytes] = mapped_column(
        LargeBinary, deferred=True, comment="personal data: the file itself"
    )
