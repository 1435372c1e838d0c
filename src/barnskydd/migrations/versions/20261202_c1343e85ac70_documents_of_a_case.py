"""documents of a case

Revision ID: c1343e85ac70
Revises: d45a31fcaefc
Create Date: 2026-12-02

The files are stored in the row (BLOB on SQLite, bytea on PostgreSQL), so an upload commits
or rolls back with its metadata and its audit entry, and backups hold them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c1343e85ac70"
down_revision: str | None = "d45a31fcaefc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "journal_entry_id",
            sa.Integer(),
            nullable=True,
            comment="the journal entry the document belongs to (no foreign key yet: the journal "
            "is built in parallel)",
        ),
        sa.Column(
            "title", sa.String(length=200), nullable=False, comment="personal data: free text"
        ),
        sa.Column(
            "kind",
            sa.Enum("incoming", "drawn_up", name="documentkind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "filename",
            sa.String(length=120),
            nullable=False,
            comment="personal data: the uploaded file's name, sanitised",
        ),
        sa.Column(
            "media_type", sa.String(length=40), nullable=False, comment="sniffed from the content"
        ),
        sa.Column("size", sa.Integer(), nullable=False, comment="bytes"),
        sa.Column(
            "sha256", sa.String(length=64), nullable=False, comment="hex digest of the content"
        ),
        sa.Column("uploaded_by", sa.String(length=60), nullable=False, comment="username"),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "content", sa.LargeBinary(), nullable=False, comment="personal data: the file itself"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_document_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_case_id"))

    op.drop_table("document")
