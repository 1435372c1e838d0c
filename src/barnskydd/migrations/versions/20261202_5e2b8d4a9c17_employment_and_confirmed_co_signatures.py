"""employment dates of staff; co-signatures confirmed by the co-signer

Revision ID: 5e2b8d4a9c17
Revises: 5e2b8d0c4a17
Create Date: 2026-12-02

`staff_employment` holds when a staff member held a role, for the Öppna jämförelser
indicators on a reference date. Every active member gets one open period in their current
role whose start is unknown (NULL: "before the records began", counted on every earlier
reference date); an inactive member gets none, since nothing says when they left.

`step_co_signature.confirmed_at` is when the co-signer confirmed the step themselves. Rows
written before it were named by the worker alone: they stay unconfirmed, so the case page
shows them as awaiting co-signature until the co-signer confirms.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e2b8d4a9c17"
down_revision: str | None = "5e2b8d0c4a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("case_worker", "team_lead", "analyst", "admin", "lex_sarah", "system")


def upgrade() -> None:
    op.create_table(
        "staff_employment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(*ROLES, name="role", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("start_on", sa.Date(), nullable=True, comment="first day; none: before records"),
        sa.Column("end_on", sa.Date(), nullable=True, comment="last day; none: still employed"),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_staff_employment_staff_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_employment")),
    )
    with op.batch_alter_table("staff_employment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_employment_staff_id"), ["staff_id"], unique=False
        )
    op.execute(
        "INSERT INTO staff_employment (staff_id, role, start_on, end_on) "
        "SELECT id, role, NULL, NULL FROM staff_member WHERE active"
    )
    with op.batch_alter_table("step_co_signature", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "confirmed_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="when the co-signer confirmed it themselves; none: awaiting co-signature",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("step_co_signature", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
    with op.batch_alter_table("staff_employment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_employment_staff_id"))
    op.drop_table("staff_employment")
