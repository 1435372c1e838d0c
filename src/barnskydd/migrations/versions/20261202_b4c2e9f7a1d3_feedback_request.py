"""report: whether the reporter asked for feedback, and the day the request came in

Revision ID: b4c2e9f7a1d3
Revises: 7d3e5a9b1c20
Create Date: 2026-12-02

Reports registered before this revision keep NULL in both: not recorded, and the feedback week
is kept for every mandatory reporter among them, as before (cases.deadlines).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4c2e9f7a1d3"
down_revision: str | None = "7d3e5a9b1c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(
            sa.Column(
                "feedback_requested",
                sa.Boolean(),
                nullable=True,
                comment="the reporter asked for feedback (19 kap. 6 § SoL); null: not recorded",
            )
        )
        batch.add_column(
            sa.Column(
                "feedback_requested_on",
                sa.Date(),
                nullable=True,
                comment="the day the request came in",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("feedback_requested_on")
        batch.drop_column("feedback_requested")
