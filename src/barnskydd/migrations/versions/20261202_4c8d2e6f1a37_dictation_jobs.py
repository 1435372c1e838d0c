"""dictation jobs: a recording queued for transcription, its draft, deleted when done with

Revision ID: 4c8d2e6f1a37
Revises: 4c8e2f61a7d3
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8d2e6f1a37"
down_revision: str | None = "4c8e2f61a7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("queued", "running", "done", "failed", "accepted", "discarded", "expired")


def upgrade() -> None:
    op.create_table(
        "dictation_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "field",
            sa.String(length=120),
            nullable=False,
            comment="the form field the draft is for, e.g. journal-text",
        ),
        sa.Column(
            "author",
            sa.String(length=60),
            nullable=False,
            comment="username of the one who dictated",
        ),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="jobstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "audio",
            sa.LargeBinary(),
            nullable=True,
            comment="personal data: the recording; null once deleted",
        ),
        sa.Column(
            "audio_type",
            sa.String(length=60),
            nullable=False,
            comment="the container sniffed, e.g. webm",
        ),
        sa.Column("seconds", sa.Float(), nullable=False, comment="the recording's length"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "expires_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="audio and draft are deleted at this time whatever the status",
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "draft",
            sa.Text(),
            nullable=True,
            comment="personal data: the transcript; null until done and once deleted",
        ),
        sa.Column(
            "words",
            sa.JSON(),
            nullable=True,
            comment="personal data: [word, probability] pairs of the draft",
        ),
        sa.Column(
            "message",
            sa.String(length=300),
            nullable=True,
            comment="why it failed (a fixed Swedish message, no content)",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_dictation_job_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dictation_job")),
    )
    with op.batch_alter_table("dictation_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dictation_job_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dictation_job_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dictation_job_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dictation_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dictation_job_status"))
        batch_op.drop_index(batch_op.f("ix_dictation_job_expires_at"))
        batch_op.drop_index(batch_op.f("ix_dictation_job_case_id"))
    op.drop_table("dictation_job")
