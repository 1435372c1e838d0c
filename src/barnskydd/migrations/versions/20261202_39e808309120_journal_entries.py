"""journal entries: the case's journal (journalanteckningar), signed once, corrected by new entries

Revision ID: 39e808309120
Revises: 62605c2142a2
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "39e808309120"
down_revision: str | None = "62605c2142a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "child_talk",
                "guardian_talk",
                "home_visit",
                "network_meeting",
                "phone_call",
                "reporter_contact",
                "consultation",
                "other",
                name="journalkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="when the contact or work took place",
        ),
        sa.Column(
            "participants",
            sa.String(length=500),
            nullable=False,
            comment="personal data: who took part (names, roles)",
        ),
        sa.Column(
            "child_alone", sa.Boolean(), nullable=False, comment="the child was spoken to alone"
        ),
        sa.Column("minutes", sa.Integer(), nullable=False, comment="time spent, 1 to 600 minutes"),
        sa.Column("text", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("author", sa.String(length=60), nullable=False, comment="username of the writer"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "signed_at", sa.DateTime(timezone=True), nullable=True, comment="null until signed"
        ),
        sa.Column("signed_by", sa.String(length=60), nullable=True),
        sa.Column(
            "corrects_id", sa.Integer(), nullable=True, comment="the signed entry this one corrects"
        ),
        sa.CheckConstraint(
            "(signed_at IS NULL) = (signed_by IS NULL)",
            name=op.f("ck_journal_entry_signed_together"),
        ),
        sa.CheckConstraint("minutes BETWEEN 1 AND 600", name=op.f("ck_journal_entry_minutes")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_journal_entry_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["journal_entry.id"],
            name=op.f("fk_journal_entry_corrects_id_journal_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_entry_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_journal_entry_corrects_id"), ["corrects_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_corrects_id"))
        batch_op.drop_index(batch_op.f("ix_journal_entry_case_id"))

    op.drop_table("journal_entry")
