"""workload: load ratings, measurement weeks and their totals, staff employment rate

Revision ID: 25ea0519a8d9
Revises: 7d3e5a9b1c20
Create Date: 2026-12-02

The weighted caseload is computed from the chain and not stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "25ea0519a8d9"
down_revision: str | None = "7d3e5a9b1c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "measurement_week",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column(
            "ends_on", sa.Date(), nullable=False, comment="the last day; closes itself after it"
        ),
        sa.Column("opened_by", sa.String(length=60), nullable=False),
        sa.Column(
            "closed_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="null while entries are taken",
        ),
        sa.Column(
            "participants", sa.Integer(), nullable=True, comment="workers who recorded, at closing"
        ),
        sa.Column(
            "kept",
            sa.Boolean(),
            nullable=True,
            comment="the totals were kept (at least the minimum of participants)",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_measurement_week_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_week")),
    )
    with op.batch_alter_table("measurement_week", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurement_week_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "load_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False, comment="the first day of the month rated"),
        sa.Column(
            "rating",
            sa.Integer(),
            nullable=False,
            comment="1 low to 5 very high, as the worker feels it",
        ),
        sa.Column(
            "flex_hours",
            sa.Integer(),
            nullable=True,
            comment="flex balance, if the worker gives it",
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_load_rating_rating")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_load_rating_staff_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_rating")),
        sa.UniqueConstraint("staff_id", "month", name=op.f("uq_load_rating_staff_id")),
    )
    with op.batch_alter_table("load_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_rating_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "measurement_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "child",
                "parents",
                "network",
                "documentation",
                "travel",
                "administration",
                name="timecategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False, comment="in 15-minute blocks"),
        sa.CheckConstraint(
            "minutes > 0 AND minutes <= 960", name=op.f("ck_measurement_entry_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_measurement_entry_staff_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["week_id"],
            ["measurement_week.id"],
            name=op.f("fk_measurement_entry_week_id_measurement_week"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_entry")),
        sa.UniqueConstraint(
            "week_id", "staff_id", "day", "category", name=op.f("uq_measurement_entry_week_id")
        ),
    )
    with op.batch_alter_table("measurement_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurement_entry_week_id"), ["week_id"], unique=False)

    op.create_table(
        "measurement_total",
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "child",
                "parents",
                "network",
                "documentation",
                "travel",
                "administration",
                name="timecategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["week_id"],
            ["measurement_week.id"],
            name=op.f("fk_measurement_total_week_id_measurement_week"),
        ),
        sa.PrimaryKeyConstraint("week_id", "category", name=op.f("pk_measurement_total")),
    )
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "employment_rate",
                sa.Integer(),
                server_default="100",
                nullable=False,
                comment="percent of full time (sysselsättningsgrad)",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.drop_column("employment_rate")

    op.drop_table("measurement_total")
    with op.batch_alter_table("measurement_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurement_entry_week_id"))

    op.drop_table("measurement_entry")
    with op.batch_alter_table("load_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_load_rating_staff_id"))

    op.drop_table("load_rating")
    with op.batch_alter_table("measurement_week", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurement_week_unit_id"))

    op.drop_table("measurement_week")
