"""lookup outbox: entries to publish to the national lookup, and notices received

Revision ID: 7c1e0f9b2d4a
Revises: 9043ea5a02aa
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1e0f9b2d4a"
down_revision: str | None = "9043ea5a02aa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CLASS = sa.Enum(
    "screened_out",
    "investigation_ongoing",
    "interventions_ongoing",
    "closed",
    name="statusclass",
    native_enum=False,
    length=40,
)


def upgrade() -> None:
    op.create_table(
        "lookup_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column(
            "withdrawn", sa.Boolean(), nullable=False, comment="the index should hold no entry"
        ),
        sa.Column("status_class", STATUS_CLASS, nullable=True),
        sa.Column("latest_report_month", sa.String(length=7), nullable=True),
        sa.Column("contact_unit", sa.String(length=200), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("published_revision", sa.Integer(), nullable=True),
        sa.Column("published_key_version", sa.Integer(), nullable=True),
        sa.Column(
            "published_pseudonym",
            sa.String(length=128),
            nullable=True,
            comment="the child's pseudonym in the index (OPRF output, hex)",
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_lookup_publication_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_publication")),
        sa.UniqueConstraint("child_id", name=op.f("uq_lookup_publication_child_id")),
    )
    with op.batch_alter_table("lookup_publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lookup_publication_published_pseudonym"),
            ["published_pseudonym"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_lookup_publication_published_revision"),
            ["published_revision"],
            unique=False,
        )
    op.create_table(
        "lookup_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False, comment="the index's id"),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("asking_municipality", sa.String(length=4), nullable=False),
        sa.Column(
            "asked_by", sa.String(length=200), nullable=False, comment="case worker who asked"
        ),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_lookup_notice_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_notice")),
        sa.UniqueConstraint("notification_id", name=op.f("uq_lookup_notice_notification_id")),
    )
    with op.batch_alter_table("lookup_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lookup_notice_child_id"), ["child_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lookup_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lookup_notice_child_id"))
    op.drop_table("lookup_notice")
    with op.batch_alter_table("lookup_publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lookup_publication_published_revision"))
        batch_op.drop_index(batch_op.f("ix_lookup_publication_published_pseudonym"))
    op.drop_table("lookup_publication")
