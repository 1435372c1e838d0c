"""child access: staff named for a child with protected identity

Revision ID: 643d21815094
Revises: feca2d2374c5
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "643d21815094"
down_revision: str | None = "feca2d2374c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "child_access",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "granted_by",
            sa.String(length=60),
            nullable=False,
            comment="username of the team lead or admin who named them",
        ),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_child_access_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_child_access_staff_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("child_id", "staff_id", name=op.f("pk_child_access")),
    )


def downgrade() -> None:
    op.drop_table("child_access")
