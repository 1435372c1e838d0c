"""Early help in an open case: when it was given, and whether the family asked for it.

Existing rows were all recorded by the screen-out (`offer_early_help`), during the
preliminary assessment, never on request.

Revision ID: 2c7b15421d35
Revises: 8c5d1e3f7a62
Create Date: 2026-12-02 19:24:57.792281
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2c7b15421d35"
down_revision: str | None = "8c5d1e3f7a62"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("early_help", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "given_during",
                sa.Enum(
                    "awaiting_protection_assessment",
                    "preliminary_assessment",
                    "investigation",
                    "interventions",
                    "follow_up",
                    "closed",
                    name="casestatus",
                    native_enum=False,
                    length=40,
                ),
                server_default="preliminary_assessment",
                nullable=False,
                comment="the case's status when recorded: preliminary_assessment is the screen-out",
            )
        )
        batch_op.add_column(
            sa.Column(
                "requested_by_family",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
                comment="the child or family asked for it",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("early_help", schema=None) as batch_op:
        batch_op.drop_column("requested_by_family")
        batch_op.drop_column("given_during")
