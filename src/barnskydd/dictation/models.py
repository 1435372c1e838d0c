"""A dictation job: one recording waiting for, or done with, transcription (durable)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from barnskydd.core.db import Base, enum_by_value, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"  # a worker has it (started_at says since when)
    DONE = "done"  # a draft waits for review
    FAILED = "failed"  # the transcription crashed or timed out: message says so
    ACCEPTED = "accepted"  # the draft went into the form's field; audio and draft deleted
    DISCARDED = "discarded"  # the case worker threw it away; audio and draft deleted
    EXPIRED = "expired"  # kept past the setting's days; audio and draft deleted


OPEN = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED)


class DictationJob(Base):
    """Diktering: the recording and, once transcribed, its draft; both deleted when done with."""

    __tablename__ = "dictation_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    field: Mapped[str] = mapped_column(
        String(120), comment="the form field the draft is for, e.g. journal-text"
    )
    author: Mapped[str] = mapped_column(String(60), comment="username of the one who dictated")
    status: Mapped[JobStatus] = mapped_column(enum_by_value(JobStatus, length=20), index=True)
    audio: Mapped[bytes | None] = mapped_column(
        LargeBinary, comment="personal data: the recording; null once deleted"
    )
    audio_type: Mapped[str] = mapped_column(String(60), comment="the container sniffed, e.g. webm")
    seconds: Mapped[float] = mapped_column(Float, comment="the recording's length")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(
        index=True, comment="audio and draft are deleted at this time whatever the status"
    )
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    draft: Mapped[str | None] = mapped_column(
        Text, comment="personal data: the transcript; null until done and once deleted"
    )
    words: Mapped[list[Any] | None] = mapped_column(
        JSON, comment="personal data: [word, probability] pairs of the draft"
    )
    message: Mapped[str | None] = mapped_column(
        String(300), comment="why it failed (a fixed Swedish message, no content)"
    )
