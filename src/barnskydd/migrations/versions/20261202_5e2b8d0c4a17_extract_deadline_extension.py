"""the register extract's deadline extended by two further months (GDPR art. 12.3)

Revision ID: 5e2b8d0c4a17
Revises: 2c7b15421d35
Create Date: 2026-12-02

Four nullable columns on `extract_request`: the extended deadline, the reason, the day the
person was told and who extended it. Existing requests are not extended.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e2b8d0c4a17"
down_revision: str | None = "2c7b15421d35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("extract_request") as batch:
        batch.add_column(
            sa.Column(
                "extended_due",
                sa.Date(),
                nullable=True,
                comment="GDPR art. 12.3: the deadline extended by two further months, or null",
            )
        )
        batch.add_column(
            sa.Column(
                "extension_reason",
                sa.Text(),
                nullable=True,
                comment="personal data possible: why the extension was necessary (art. 12.3)",
            )
        )
        batch.add_column(
            sa.Column(
                "extension_told_on",
                sa.Date(),
                nullable=True,
                comment="when the person was told of the extension and its reason (art. 12.3)",
            )
        )
        batch.add_column(
            sa.Column("extended_by", sa.String(length=60), nullable=True, comment="username")
        )


def downgrade() -> None:
    with op.batch_alter_table("extract_request") as batch:
        for name in ("extended_by", "extension_told_on", "extension_reason", "extended_due"):
            batch.drop_column(name)
