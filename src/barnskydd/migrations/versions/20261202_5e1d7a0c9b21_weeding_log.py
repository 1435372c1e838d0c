"""weeding log

Revision ID: 5e1d7a0c9b21
Revises: e7a41c2b9d10
Create Date: 2026-12-02

The gallringslogg of `barnskydd retention run`: class, rule, count and day; no personal data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1d7a0c9b21"
down_revision: str | None = "e7a41c2b9d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weeding_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "run",
            sa.Integer(),
            nullable=False,
            comment="the run's number; lines of a run share it",
        ),
        sa.Column("as_of", sa.Date(), nullable=False, comment="the day the plan was drawn for"),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_class", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weeding_log")),
    )
    op.create_index(op.f("ix_weeding_log_run"), "weeding_log", ["run"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_weeding_log_run"), table_name="weeding_log")
    op.drop_table("weeding_log")
