"""login attempts reserved before each password check

Revision ID: 62605c2142a2
Revises: 88db71247f3b
Create Date: 2026-12-01

The failures counted so far are not carried over: a lock-out under way lifts at the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "62605c2142a2"
down_revision: str | None = "88db71247f3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("username", sa.String(length=60), nullable=False, comment="as typed, lowercased"),
        sa.Column(
            "window_start",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="first check of the window",
        ),
        sa.Column(
            "attempts",
            sa.Integer(),
            nullable=False,
            comment="password checks reserved in the window",
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_username"))

    op.drop_table("login_failure")


def downgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False, comment="as typed, lowercased"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_username"), ["username"], unique=False)

    op.drop_table("login_attempt")
