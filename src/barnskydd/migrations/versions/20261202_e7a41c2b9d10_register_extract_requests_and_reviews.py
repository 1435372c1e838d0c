"""register extract requests and reviews

Revision ID: e7a41c2b9d10
Revises: a2d3c1510e55
Create Date: 2026-12-02

The review holds item keys (table and row id), never the items' content.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a41c2b9d10"
down_revision: str | None = "a2d3c1510e55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "extract_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "identity_number",
            sa.String(length=12),
            nullable=False,
            comment="personal data: normalised personnummer, samordningsnummer or reserve number",
        ),
        sa.Column(
            "requester",
            sa.Enum(
                "self", "guardian", "representative", name="requester", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "custody_checked",
            sa.Boolean(),
            nullable=False,
            comment="the requester's custody of the child was checked (a guardian's request)",
        ),
        sa.Column(
            "received_on", sa.Date(), nullable=False, comment="when the request reached the nämnd"
        ),
        sa.Column("due", sa.Date(), nullable=False, comment="GDPR art. 12.3: one month"),
        sa.Column(
            "unit_id", sa.Integer(), nullable=True, comment="the registering team lead's unit"
        ),
        sa.Column("registered_by", sa.String(length=60), nullable=False, comment="username"),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "produced_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when the PDF was made",
        ),
        sa.Column("produced_by", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_extract_request_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extract_request")),
    )
    with op.batch_alter_table("extract_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extract_request_due"), ["due"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_extract_request_identity_number"), ["identity_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_extract_request_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "extract_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "item_key",
            sa.String(length=80),
            nullable=False,
            comment="table:row id[:part], no content",
        ),
        sa.Column(
            "ground",
            sa.Enum(
                "osl_26_5", "osl_26_1", "osl_12_3", name="ground", native_enum=False, length=40
            ),
            nullable=True,
            comment="the OSL ground it is withheld under; null: released",
        ),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["extract_request.id"],
            name=op.f("fk_extract_decision_request_id_extract_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extract_decision")),
        sa.UniqueConstraint("request_id", "item_key", name=op.f("uq_extract_decision_request_id")),
    )


def downgrade() -> None:
    op.drop_table("extract_decision")
    with op.batch_alter_table("extract_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extract_request_unit_id"))
        batch_op.drop_index(batch_op.f("ix_extract_request_identity_number"))
        batch_op.drop_index(batch_op.f("ix_extract_request_due"))

    op.drop_table("extract_request")
