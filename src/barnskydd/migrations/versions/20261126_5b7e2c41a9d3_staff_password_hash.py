"""staff password hash for local login

Revision ID: 5b7e2c41a9d3
Revises: de03c6f203ff
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b7e2c41a9d3"
down_revision: str | None = "de03c6f203ff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "password_hash",
                sa.String(length=200),
                nullable=True,
                comment="argon2id hash for local login; none means no local login",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.drop_column("password_hash")
