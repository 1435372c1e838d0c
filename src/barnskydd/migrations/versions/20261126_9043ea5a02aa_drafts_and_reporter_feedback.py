"""drafts (autosave) and reporter feedback (återkoppling)

Revision ID: 9043ea5a02aa
Revises: 643d21815094
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9043ea5a02aa"
down_revision: str | None = "643d21815094"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "staff_id",
            sa.Integer(),
            nullable=False,
            comment="the only person who may read the draft",
        ),
        sa.Column(
            "form_key",
            sa.String(length=80),
            nullable=False,
            comment="report_new or case:{case_id}:{step}",
        ),
        sa.Column(
            "data",
            sa.JSON(),
            nullable=False,
            comment="personal data: unsaved form input (identity numbers, names, free text)",
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="expires 30 days after",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_draft_staff_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("staff_id", "form_key", name=op.f("uq_draft_staff_id")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "reporter_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "investigation_opened",
                "not_opened",
                "already_ongoing",
                "transferred",
                name="preliminaryoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=False,
            comment="what the reporter was told",
        ),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=False),
        sa.Column("given_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_reporter_feedback_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["given_by_id"],
            ["staff_member.id"],
            name=op.f("fk_reporter_feedback_given_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporter_feedback")),
    )
    with op.batch_alter_table("reporter_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporter_feedback_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reporter_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporter_feedback_case_id"))

    op.drop_table("reporter_feedback")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_updated_at"))

    op.drop_table("draft")
