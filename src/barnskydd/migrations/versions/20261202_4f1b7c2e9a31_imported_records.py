"""imported records: the source system's ids an import has written

Revision ID: 4f1b7c2e9a31
Revises: 4c8d2e6f1a37
Create Date: 2026-12-02

`barnskydd import` remembers each source record it wrote, so running it again adds nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4f1b7c2e9a31"
down_revision: str | None = "4c8d2e6f1a37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_record",
        sa.Column(
            "system",
            sa.String(length=60),
            nullable=False,
            comment="the source system, as its manifest names it",
        ),
        sa.Column("kind", sa.String(length=20), nullable=False, comment="child, report, ..."),
        sa.Column(
            "source_id",
            sa.String(length=100),
            nullable=False,
            comment="the source system's own id, never an identity",
        ),
        sa.Column(
            "target_id",
            sa.Integer(),
            nullable=False,
            comment="id of the child, case or guardian row",
        ),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("system", "kind", "source_id", name=op.f("pk_imported_record")),
    )


def downgrade() -> None:
    op.drop_table("imported_record")
