"""lookup notices marked read in the desk

Revision ID: 3f6a9c1d8e27
Revises: 59b606246ffe
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f6a9c1d8e27"
down_revision: str | None = "59b606246ffe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lookup_notice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "read_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="first opened in the desk by a team lead or admin",
            )
        )
        batch_op.add_column(sa.Column("read_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_lookup_notice_read_at"), ["read_at"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_lookup_notice_read_by_id_staff_member"),
            "staff_member",
            ["read_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("lookup_notice", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_lookup_notice_read_by_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_lookup_notice_read_at"))
        batch_op.drop_column("read_by_id")
        batch_op.drop_column("read_at")
