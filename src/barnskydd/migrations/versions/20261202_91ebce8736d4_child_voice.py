"""child voice records and anonymous responses

Revision ID: 91ebce8736d4
Revises: 5e1d2a7c9b40
Create Date: 2026-12-02 03:41:35.185884
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "91ebce8736d4"
down_revision: str | None = "5e1d2a7c9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "voice_response",
        sa.Column("id", sa.String(length=32), nullable=False, comment="random, not a sequence"),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False, comment="ÅÅÅÅ-MM of the contact"),
        sa.Column(
            "context",
            sa.Enum("intervention_follow_up", name="voicecontext", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "answered",
                "declined_by_child",
                "not_offered",
                "not_possible",
                name="voicestatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "age_maturity",
                "no_interpreter",
                "no_adapted_format",
                "safety",
                "not_reached",
                "other",
                name="voicereason",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("band", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False, comment="girl, boy or unknown"),
        sa.Column(
            "intervention_category",
            sa.Enum(
                "open_care",
                "contact_person_or_family",
                "family_home",
                "residential_hvb",
                "sis_secure",
                "supported_housing",
                "other",
                name="interventioncategory",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("item_set_version", sa.String(length=20), nullable=False),
        sa.Column("safe", sa.SmallInteger(), nullable=True),
        sa.Column("listened", sa.SmallInteger(), nullable=True),
        sa.Column("understood_info", sa.SmallInteger(), nullable=True),
        sa.Column("influence", sa.SmallInteger(), nullable=True),
        sa.Column("knows_worker", sa.SmallInteger(), nullable=True),
        sa.Column("time_alone", sa.SmallInteger(), nullable=True),
        sa.Column("help_helps", sa.SmallInteger(), nullable=True),
        sa.Column("contact_family", sa.SmallInteger(), nullable=True),
        sa.Column("school", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_voice_response_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_response")),
    )
    with op.batch_alter_table("voice_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_response_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_response_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "child_voice_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column(
            "context",
            sa.Enum("intervention_follow_up", name="voicecontext", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "answered",
                "declined_by_child",
                "not_offered",
                "not_possible",
                name="voicestatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "age_maturity",
                "no_interpreter",
                "no_adapted_format",
                "safety",
                "not_reached",
                "other",
                name="voicereason",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "reason_text",
            sa.String(length=200),
            nullable=True,
            comment="personal data: why not, in the worker's words",
        ),
        sa.Column(
            "mode",
            sa.Enum(
                "self_on_worker_device",
                "self_remote_link",
                "read_aloud_with_worker",
                "with_interpreter",
                name="voicemode",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("band", sa.String(length=10), nullable=False, comment="the age band used"),
        sa.Column("item_set_version", sa.String(length=20), nullable=False),
        sa.Column(
            "alone",
            sa.Boolean(),
            nullable=True,
            comment="answered without a guardian or carer present",
        ),
        sa.Column(
            "shown_to",
            sa.Enum(
                "worker_only", "worker_and_family", name="shownto", native_enum=False, length=40
            ),
            nullable=True,
            comment="the child's own choice of who may see the answers",
        ),
        sa.Column(
            "concern",
            sa.Boolean(),
            nullable=False,
            comment="the lowest answer on feeling safe or on the help: följ upp",
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "code_digest",
            sa.String(length=64),
            nullable=True,
            comment="sha256 of the one-time code (the code is never stored)",
        ),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_child_voice_record_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_up.id"],
            name=op.f("fk_child_voice_record_follow_up_id_follow_up"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_voice_record")),
        sa.UniqueConstraint("code_digest", name=op.f("uq_child_voice_record_code_digest")),
        sa.UniqueConstraint("follow_up_id", name=op.f("uq_child_voice_record_follow_up_id")),
    )
    with op.batch_alter_table("child_voice_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_voice_record_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "child_voice_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=True),
        sa.Column("words", sa.Text(), nullable=True, comment="personal data: the child's words"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["child_voice_record.id"],
            name=op.f("fk_child_voice_answer_record_id_child_voice_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_voice_answer")),
    )
    with op.batch_alter_table("child_voice_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_voice_answer_record_id"), ["record_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("child_voice_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_voice_answer_record_id"))

    op.drop_table("child_voice_answer")
    with op.batch_alter_table("child_voice_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_voice_record_case_id"))

    op.drop_table("child_voice_record")
    with op.batch_alter_table("voice_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_response_unit_id"))
        batch_op.drop_index(batch_op.f("ix_voice_response_month"))

    op.drop_table("voice_response")
