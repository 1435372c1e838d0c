"""later deadlines: placement reviews, the judgment date of ungdomstjänst

Revision ID: 5e1d2a7c9b40
Revises: 5e1d7a0c9b21
Create Date: 2026-12-02

The eight deadlines after the investigation (issue 12) count from events the chain mostly
had already (an intervention's decision and start, the investigation's end); this adds the
two it lacked: the övervägande of a placement (and whether the vårdplan was revised with it)
and the day a judgment to ungdomstjänst gained legal force. The new intervention categories
(jourhem, ungdomstjänst) are values of a string column and need no change here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1d2a7c9b40"
down_revision: str | None = "5e1d7a0c9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placement_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column(
            "care_plan_revised",
            sa.Boolean(),
            nullable=False,
            comment="the vårdplan was revised too",
        ),
        sa.Column("notes", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
            name=op.f("fk_placement_review_intervention_id_intervention"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_review")),
    )
    with op.batch_alter_table("placement_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_review_intervention_id"), ["intervention_id"], unique=False
        )
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "judgment_final_on",
                sa.Date(),
                nullable=True,
                comment="ungdomstjänst: the day the judgment gained legal force",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.drop_column("judgment_final_on")
    with op.batch_alter_table("placement_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_review_intervention_id"))
    op.drop_table("placement_review")
