"""deployment: the municipality the database serves

An existing database gets the municipality of its units when they all agree; with units of
several municipalities the row stays absent and every command refuses until
`barnskydd db set-municipality KOMMUNKOD` is run.

Revision ID: 88db71247f3b
Revises: b9b9b1bc0ba3
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "88db71247f3b"
down_revision: str | None = "b9b9b1bc0ba3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "municipality_code",
            sa.String(length=4),
            nullable=False,
            comment="kommunkod of the municipality this database serves",
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_deployment_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment")),
    )
    # Plain SQL, so that offline mode (--sql) derives the row as well.
    op.execute(
        "INSERT INTO deployment (id, municipality_code, recorded_at) "
        "SELECT 1, (SELECT MIN(municipality_code) FROM unit), CURRENT_TIMESTAMP "
        "WHERE (SELECT COUNT(DISTINCT municipality_code) FROM unit) = 1"
    )


def downgrade() -> None:
    op.drop_table("deployment")
