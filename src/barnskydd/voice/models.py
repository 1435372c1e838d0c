"""The two records of the child's voice: one in the case, one anonymous for counting.

`ChildVoiceRecord` is personal data, part of the child's personakt: what this child said at
this contact, or how the view was not obtained. `VoiceResponse` is written from the same
answers in the same transaction, with a random id and no column that joins it to a case, a
child, a follow-up, a record or a worker (tests/voice/test_anonymous.py checks the schema):
only the municipality, the unit, the month, the band, the gender, the context, the
intervention category, the status and the scores. It carries no time of day either, so the
order of writing cannot be matched against the case records' times.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.cases.codes import InterventionCategory
from barnskydd.core.db import Base, enum_by_value
from barnskydd.voice.codes import ShownTo, VoiceContext, VoiceMode, VoiceReason, VoiceStatus


class ChildVoiceRecord(Base):
    """How the child's view was obtained at one contact, and what the child said.

    The contact is a follow-up or an övervägande of a placement: exactly one of the two is set.
    """

    __tablename__ = "child_voice_record"
    __table_args__ = (
        CheckConstraint(
            "(follow_up_id IS NULL) <> (placement_review_id IS NULL)", name="one_contact"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id"), unique=True)
    placement_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("placement_review.id"), unique=True
    )
    taken_on: Mapped[dt.date]
    context: Mapped[VoiceContext] = mapped_column(enum_by_value(VoiceContext))
    status: Mapped[VoiceStatus] = mapped_column(enum_by_value(VoiceStatus))
    reason: Mapped[VoiceReason | None] = mapped_column(enum_by_value(VoiceReason))
    reason_text: Mapped[str | None] = mapped_column(
        String(200), comment="personal data: why not, in the worker's words"
    )
    mode: Mapped[VoiceMode | None] = mapped_column(enum_by_value(VoiceMode))
    band: Mapped[str] = mapped_column(String(10), comment="the age band used")
    item_set_version: Mapped[str] = mapped_column(String(20))
    alone: Mapped[bool | None] = mapped_column(
        comment="answered without a guardian or carer present"
    )
    shown_to: Mapped[ShownTo | None] = mapped_column(
        enum_by_value(ShownTo), comment="the child's own choice of who may see the answers"
    )
    concern: Mapped[bool] = mapped_column(
        default=False, comment="the lowest answer on feeling safe or on the help: följ upp"
    )
    answered_at: Mapped[dt.datetime | None]
    code_digest: Mapped[str | None] = mapped_column(
        String(64), unique=True, comment="sha256 of the one-time code (the code is never stored)"
    )
    code_expires_at: Mapped[dt.datetime | None]
    recorded_by: Mapped[str] = mapped_column(String(60))

    answers: Mapped[list[ChildVoiceAnswer]] = relationship(
        back_populates="record", order_by="ChildVoiceAnswer.id", cascade="all, delete-orphan"
    )


class ChildVoiceAnswer(Base):
    """One answer: a scale value (none for "vill inte svara") or the child's own words."""

    __tablename__ = "child_voice_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("child_voice_record.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int | None] = mapped_column(SmallInteger)
    words: Mapped[str | None] = mapped_column(Text, comment="personal data: the child's words")

    record: Mapped[ChildVoiceRecord] = relationship(back_populates="answers")


class VoiceResponse(Base):
    """An anonymous response for counting: nothing here leads back to a case or a child."""

    __tablename__ = "voice_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, comment="random, not a sequence")
    municipality_code: Mapped[str] = mapped_column(String(4))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True, comment="ÅÅÅÅ-MM of the contact")
    context: Mapped[VoiceContext] = mapped_column(enum_by_value(VoiceContext))
    status: Mapped[VoiceStatus] = mapped_column(enum_by_value(VoiceStatus))
    reason: Mapped[VoiceReason | None] = mapped_column(enum_by_value(VoiceReason))
    band: Mapped[str] = mapped_column(String(10))
    gender: Mapped[str] = mapped_column(String(10), comment="girl, boy or unknown")
    intervention_category: Mapped[InterventionCategory | None] = mapped_column(
        enum_by_value(InterventionCategory)
    )
    item_set_version: Mapped[str] = mapped_column(String(20))
    safe: Mapped[int | None] = mapped_column(SmallInteger)
    listened: Mapped[int | None] = mapped_column(SmallInteger)
    understood_info: Mapped[int | None] = mapped_column(SmallInteger)
    influence: Mapped[int | None] = mapped_column(SmallInteger)
    knows_worker: Mapped[int | None] = mapped_column(SmallInteger)
    time_alone: Mapped[int | None] = mapped_column(SmallInteger)
    help_helps: Mapped[int | None] = mapped_column(SmallInteger)
    contact_family: Mapped[int | None] = mapped_column(SmallInteger)
    school: Mapped[int | None] = mapped_column(SmallInteger)
