"""decisions: every decided or refused intervention, and when each party was told of it

Revision ID: a2d3c1510e55
Revises: 7bdd696b198b
Create Date: 2026-12-02

The interventions decided before this revision each get their granted decision, so that
their letters and appeal deadlines can be given too.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a2d3c1510e55"
down_revision: str | None = "7bdd696b198b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("granted", "refused", name="decisionoutcome", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "category",
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
            nullable=False,
        ),
        sa.Column(
            "legal_basis",
            sa.Enum("sol", "lvu", name="legalbasis", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=True, comment="when the application came in"),
        sa.Column(
            "reason", sa.Text(), nullable=False, comment="personal data: the grounds of a refusal"
        ),
        sa.Column(
            "intervention_id", sa.Integer(), nullable=True, comment="the granted intervention"
        ),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_decision_case_id_case")),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
            name=op.f("fk_decision_intervention_id_intervention"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("intervention_id", name=op.f("uq_decision_intervention_id")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_case_id"), ["case_id"], unique=False)

    op.create_table(
        "decision_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column(
            "party",
            sa.String(length=30),
            nullable=False,
            comment="'child' or 'guardian:<id>' (no personal data)",
        ),
        sa.Column("told_on", sa.Date(), nullable=False, comment="the day the party got to know"),
        sa.Column(
            "way",
            sa.Enum(
                "handed_over", "letter", "digital", name="noticeway", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_decision_notice_decision_id_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_notice")),
        sa.UniqueConstraint("decision_id", "party", name=op.f("uq_decision_notice_decision_id")),
    )
    with op.batch_alter_table("decision_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_notice_decision_id"), ["decision_id"], unique=False
        )

    op.execute(
        "INSERT INTO decision (case_id, outcome, category, legal_basis, decided_on, reason, "
        "intervention_id, decided_by, created_at) "
        "SELECT case_id, 'granted', category, legal_basis, decided_on, '', id, decided_by, "
        "CURRENT_TIMESTAMP FROM intervention"
    )


def downgrade() -> None:
    with op.batch_alter_table("decision_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_notice_decision_id"))

    op.drop_table("decision_notice")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_case_id"))

    op.drop_table("decision")
