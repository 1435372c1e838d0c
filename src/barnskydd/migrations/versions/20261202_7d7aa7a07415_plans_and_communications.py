"""investigation plans (utredningsplan) and communications before a decision (FL 25 §)

Revision ID: 7d7aa7a07415
Revises: c1343e85ac70
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d7aa7a07415"
down_revision: str | None = "c1343e85ac70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "communication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "recipient_kind",
            sa.Enum("guardian", "child", "other", name="recipient", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "recipient",
            sa.String(length=200),
            nullable=False,
            comment="personal data: the party's name",
        ),
        sa.Column(
            "material",
            sa.Text(),
            nullable=False,
            comment="personal data: what was sent (the investigation, a statement)",
        ),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column(
            "answer_by", sa.Date(), nullable=False, comment="the last day the party may answer"
        ),
        sa.Column("answered_on", sa.Date(), nullable=True, comment="null until the answer is in"),
        sa.Column("answer", sa.Text(), nullable=True, comment="personal data: the party's answer"),
        sa.Column("author", sa.String(length=60), nullable=False, comment="username of the writer"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(answered_on IS NULL) = (answer IS NULL)",
            name=op.f("ck_communication_answered_together"),
        ),
        sa.CheckConstraint("answer_by > sent_on", name=op.f("ck_communication_answer_after_sent")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_communication_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication")),
    )
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communication_case_id"), ["case_id"], unique=False)

    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "question",
                "contact",
                "child_talk",
                name="planitemkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "text",
            sa.Text(),
            nullable=False,
            comment="personal data: the question, whom to contact and why, the talk's aim",
        ),
        sa.Column(
            "party",
            sa.Enum("authority", "private", name="contactparty", native_enum=False, length=40),
            nullable=True,
            comment="a contact's kind of party",
        ),
        sa.Column(
            "consent",
            sa.Boolean(),
            nullable=True,
            comment="a contact with a private person: the guardians consented (null: not asked)",
        ),
        sa.Column("planned_on", sa.Date(), nullable=True, comment="a talk's or a contact's date"),
        sa.Column(
            "child_alone", sa.Boolean(), nullable=True, comment="a talk: with the child alone"
        ),
        sa.Column("author", sa.String(length=60), nullable=False, comment="username of the writer"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_plan_item_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
    )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_item_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_item_case_id"))

    op.drop_table("plan_item")
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communication_case_id"))

    op.drop_table("communication")
