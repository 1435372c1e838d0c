"""preliminary assessment extensions

Revision ID: feca2d2374c5
Revises: 5b7e2c41a9d3
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "feca2d2374c5"
down_revision: str | None = "5b7e2c41a9d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "preliminary_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, comment="the synnerliga skäl"),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_preliminary_extension_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preliminary_extension")),
    )
    with op.batch_alter_table("preliminary_extension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_preliminary_extension_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("preliminary_extension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preliminary_extension_case_id"))

    op.drop_table("preliminary_extension")
