"""family: guardians and the report group of siblings

Revision ID: d45a31fcaefc
Revises: 39e808309120
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d45a31fcaefc"
down_revision: str | None = "39e808309120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column(
            "identity_number",
            sa.String(length=12),
            nullable=True,
            comment="personal data: normalised personnummer, samordningsnummer or reserve",
        ),
        sa.Column("first_name", sa.String(length=100), nullable=False, comment="personal data"),
        sa.Column("last_name", sa.String(length=100), nullable=False, comment="personal data"),
        sa.Column(
            "relation",
            sa.Enum(
                "mother",
                "father",
                "other_guardian",
                "appointed_guardian",
                "step_parent",
                "foster_parent",
                "household_member",
                name="relation",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "custody", sa.Boolean(), nullable=False, comment="has custody (vårdnad) of the child"
        ),
        sa.Column("phone", sa.String(length=30), nullable=True, comment="personal data"),
        sa.Column("email", sa.String(length=120), nullable=True, comment="personal data"),
        sa.Column("address", sa.String(length=200), nullable=True, comment="personal data"),
        sa.Column(
            "shares_child_address",
            sa.Boolean(),
            nullable=False,
            comment="lives at the child's address: hidden with the child's",
        ),
        sa.Column(
            "interpreter",
            sa.Enum(
                "ar",
                "so",
                "ti",
                "fa",
                "prs",
                "ps",
                "ku",
                "ckb",
                "tr",
                "bs",
                "pl",
                "ru",
                "uk",
                "rom",
                "en",
                "es",
                "th",
                "am",
                "other",
                name="language",
                native_enum=False,
                length=40,
            ),
            nullable=True,
            comment="interpreter language, ISO 639",
        ),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_guardian_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian")),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_child_id"), ["child_id"], unique=False)

    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "report_group",
                sa.Integer(),
                nullable=True,
                comment="id of the first case opened by a report about siblings",
            )
        )
        batch_op.create_index(batch_op.f("ix_case_report_group"), ["report_group"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_report_group"))
        batch_op.drop_column("report_group")

    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_child_id"))

    op.drop_table("guardian")
