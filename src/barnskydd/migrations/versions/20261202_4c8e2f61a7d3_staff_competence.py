"""staff competence: degree, experience periods, introduction, co-signers, step co-signatures

Revision ID: 4c8e2f61a7d3
Revises: 25ea0519a8d9
Create Date: 2026-12-02

Existing staff get no staff_competence row: their competence is "not recorded" until a team
lead or an administrator records it. The chain's qualification check warns about them in the
default mode (BARNSKYDD_QUALIFICATION_CHECK=warn) and refuses them in "refuse" mode.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8e2f61a7d3"
down_revision: str | None = "25ea0519a8d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "co_signer",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("co_signer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["co_signer_id"],
            ["staff_member.id"],
            name=op.f("fk_co_signer_co_signer_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_co_signer_staff_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("staff_id", "co_signer_id", name=op.f("pk_co_signer")),
    )
    op.create_table(
        "experience_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_experience_period_staff_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experience_period")),
    )
    with op.batch_alter_table("experience_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experience_period_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "introduction",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["staff_member.id"], name=op.f("fk_introduction_mentor_id_staff_member")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_introduction_staff_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_introduction")),
    )
    op.create_table(
        "staff_competence",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "degree",
            sa.Enum(
                "socionom",
                "other_relevant",
                "eea_recognised",
                "foreign_certificate",
                "none",
                name="degree",
                native_enum=False,
                length=40,
            ),
            nullable=False,
            comment="the degree that qualifies, or none",
        ),
        sa.Column("degree_on", sa.Date(), nullable=True, comment="the day the degree was awarded"),
        sa.Column(
            "degree_kind",
            sa.String(length=200),
            nullable=True,
            comment="what the other relevant degree is (HSLF-FS 2017:79)",
        ),
        sa.Column(
            "certificate_ref",
            sa.String(length=60),
            nullable=True,
            comment="Socialstyrelsen's bevis om behörighet, for foreign education",
        ),
        sa.Column(
            "independent_from",
            sa.Date(),
            nullable=True,
            comment="signed off as working independently (25 kap. 1 § andra stycket)",
        ),
        sa.Column(
            "supervision_minutes_per_week",
            sa.Integer(),
            nullable=True,
            comment="supervision (handledning) a week, for the Öppna jämförelser indicator",
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_staff_competence_staff_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_competence")),
    )
    op.create_table(
        "introduction_item",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["introduction.staff_id"],
            name=op.f("fk_introduction_item_staff_id_introduction"),
        ),
        sa.PrimaryKeyConstraint("staff_id", "item", name=op.f("pk_introduction_item")),
    )
    op.create_table(
        "qualification_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False, comment="the row the step wrote"),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column(
            "shortfall",
            sa.Enum(
                "not_recorded",
                "no_degree",
                "needs_co_signer",
                "co_signer_not_allowed",
                name="shortfall",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_qualification_warning_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_warning")),
    )
    with op.batch_alter_table("qualification_warning", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_qualification_warning_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "step_co_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False, comment="the row the step wrote"),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("co_signer", sa.String(length=60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_step_co_signature_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_co_signature")),
    )
    with op.batch_alter_table("step_co_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_co_signature_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("step_co_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_step_co_signature_case_id"))

    op.drop_table("step_co_signature")
    with op.batch_alter_table("qualification_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualification_warning_case_id"))

    op.drop_table("qualification_warning")
    op.drop_table("introduction_item")
    op.drop_table("staff_competence")
    op.drop_table("introduction")
    with op.batch_alter_table("experience_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experience_period_staff_id"))

    op.drop_table("experience_period")
    op.drop_table("co_signer")
