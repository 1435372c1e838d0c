"""deviations: Lex Sarah investigations, IVO reports, actions, 34 kap. reasons, scan runs

Revision ID: 7d3e5a9b1c20
Revises: 91ebce8736d4
Create Date: 2026-12-02

The new staff role `lex_sarah` needs no change: roles are stored as plain strings.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3e5a9b1c20"
down_revision: str | None = "91ebce8736d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deviation_scan_run",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_deviation_scan_run")),
    )
    op.create_table(
        "deviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "deviation",
                "lex_sarah_report",
                "auto",
                name="deviationkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "to_assess",
                "investigating",
                "assessed",
                "closed",
                name="deviationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "reported_by_id",
            sa.Integer(),
            nullable=True,
            comment="the reporter: known to the owner, never shown to the unit; none for auto",
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False, comment="when it happened"),
        sa.Column(
            "what_happened",
            sa.Text(),
            nullable=False,
            comment="free text; may hold personal data about a child",
        ),
        sa.Column(
            "immediate_measures",
            sa.Text(),
            nullable=True,
            comment="what was done at once to protect the child (27 kap. 5 § SoL)",
        ),
        sa.Column("immediate_measures_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "rule", sa.String(length=60), nullable=True, comment="auto: the missed deadline rule"
        ),
        sa.Column("due", sa.Date(), nullable=True, comment="auto: the missed deadline's last day"),
        sa.Column(
            "auto_key",
            sa.String(length=80),
            nullable=True,
            comment="auto: case and rule, so a scan creates it once",
        ),
        sa.Column(
            "triaged_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="first assessed by the owner",
        ),
        sa.Column("triaged_by", sa.String(length=60), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_deviation_case_id_case")),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["staff_member.id"],
            name=op.f("fk_deviation_reported_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_deviation_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation")),
        sa.UniqueConstraint("auto_key", name=op.f("uq_deviation_auto_key")),
    )
    with op.batch_alter_table("deviation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deviation_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deviation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_deviation_reported_at"), ["reported_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_deviation_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deviation_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "deviation_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column(
            "description", sa.Text(), nullable=False, comment="what is to be done; no child data"
        ),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("effect_check_on", sa.Date(), nullable=True, comment="when to check the effect"),
        sa.Column("effect_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["deviation_id"],
            ["deviation.id"],
            name=op.f("fk_deviation_action_deviation_id_deviation"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["staff_member.id"],
            name=op.f("fk_deviation_action_owner_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_action")),
    )
    with op.batch_alter_table("deviation_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deviation_action_deviation_id"), ["deviation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deviation_action_owner_id"), ["owner_id"], unique=False
        )

    op.create_table(
        "deviation_factor",
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column(
            "factor",
            sa.Enum(
                "task",
                "child_situation",
                "team_supervision",
                "organisation_workload",
                "it_documentation",
                "collaboration",
                "environment",
                name="factor",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["deviation_id"],
            ["deviation.id"],
            name=op.f("fk_deviation_factor_deviation_id_deviation"),
        ),
        sa.PrimaryKeyConstraint("deviation_id", "factor", name=op.f("pk_deviation_factor")),
    )
    op.create_table(
        "ivo_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender_diary_no", sa.String(length=40), nullable=False),
        sa.Column(
            "activity", sa.String(length=200), nullable=False, comment="the activity concerned"
        ),
        sa.Column(
            "contact_person",
            sa.String(length=200),
            nullable=False,
            comment="personal data: the nämnd's contact person",
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "channel",
            sa.Enum("e_service", "post", name="ivochannel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("ivo_diary_no", sa.String(length=40), nullable=True),
        sa.Column("recorded_by", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["deviation_id"], ["deviation.id"], name=op.f("fk_ivo_report_deviation_id_deviation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ivo_report")),
        sa.UniqueConstraint("deviation_id", name=op.f("uq_ivo_report_deviation_id")),
    )
    op.create_table(
        "lex_sarah_investigation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=60), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False, comment="may hold personal data"),
        sa.Column("why", sa.Text(), nullable=False, comment="causes at system level"),
        sa.Column("prevention", sa.Text(), nullable=False, comment="how to prevent it"),
        sa.Column(
            "assessment",
            sa.Enum(
                "no_missforhallande",
                "missforhallande",
                "risk",
                "serious",
                "serious_risk",
                name="assessment",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["deviation_id"],
            ["deviation.id"],
            name=op.f("fk_lex_sarah_investigation_deviation_id_deviation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lex_sarah_investigation")),
        sa.UniqueConstraint("deviation_id", name=op.f("uq_lex_sarah_investigation_deviation_id")),
    )
    op.create_table(
        "non_execution_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column(
            "quarter",
            sa.String(length=7),
            nullable=False,
            comment="the report's quarter, e.g. 2026-Q1",
        ),
        sa.Column(
            "reason", sa.Text(), nullable=False, comment="the reason for the delay; no child data"
        ),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
            name=op.f("fk_non_execution_reason_intervention_id_intervention"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_execution_reason")),
        sa.UniqueConstraint(
            "intervention_id", "quarter", name=op.f("uq_non_execution_reason_intervention_id")
        ),
    )
    with op.batch_alter_table("non_execution_reason", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_execution_reason_intervention_id"), ["intervention_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("non_execution_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_execution_reason_intervention_id"))

    op.drop_table("non_execution_reason")
    op.drop_table("lex_sarah_investigation")
    op.drop_table("ivo_report")
    op.drop_table("deviation_factor")
    with op.batch_alter_table("deviation_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deviation_action_owner_id"))
        batch_op.drop_index(batch_op.f("ix_deviation_action_deviation_id"))

    op.drop_table("deviation_action")
    with op.batch_alter_table("deviation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deviation_unit_id"))
        batch_op.drop_index(batch_op.f("ix_deviation_status"))
        batch_op.drop_index(batch_op.f("ix_deviation_reported_at"))
        batch_op.drop_index(batch_op.f("ix_deviation_kind"))
        batch_op.drop_index(batch_op.f("ix_deviation_case_id"))

    op.drop_table("deviation")
    op.drop_table("deviation_scan_run")
