"""a document's journal entry of the same case

Revision ID: 7bdd696b198b
Revises: 7d7aa7a07415
Create Date: 2026-12-02

A link to a journal entry that does not exist, or that belongs to another case, could be
stored before the foreign key; such a link is cleared (the document stays in its case).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7bdd696b198b"
down_revision: str | None = "7d7aa7a07415"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COMMENT = (
    "the journal entry of the same case the document belongs to; a deleted draft "
    "entry leaves the document in the case"
)
OLD_COMMENT = (
    "the journal entry the document belongs to (no foreign key yet: the journal "
    "is built in parallel)"
)


def upgrade() -> None:
    op.execute(
        "UPDATE document SET journal_entry_id = NULL WHERE journal_entry_id IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.id = document.journal_entry_id "
        "AND j.case_id = document.case_id)"
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.alter_column(
            "journal_entry_id",
            existing_type=sa.Integer(),
            existing_nullable=True,
            comment=COMMENT,
            existing_comment=OLD_COMMENT,
        )
        batch_op.create_index(
            batch_op.f("ix_document_journal_entry_id"), ["journal_entry_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_document_journal_entry_id_journal_entry"),
            "journal_entry",
            ["journal_entry_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.alter_column(
            "journal_entry_id",
            existing_type=sa.Integer(),
            existing_nullable=True,
            comment=OLD_COMMENT,
            existing_comment=COMMENT,
        )
        batch_op.drop_constraint(
            batch_op.f("fk_document_journal_entry_id_journal_entry"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_document_journal_entry_id"))
