"""the child's voice at placement reviews: a voice record names a follow-up or a review

Revision ID: 8c5d1e3f7a62
Revises: 4f1b7c2e9a31
Create Date: 2026-12-02

`child_voice_record.follow_up_id` may be null now; `placement_review_id` names the övervägande
the view was obtained at instead, and a check holds that exactly one of the two is set.
Existing records all name a follow-up, so they pass the check unchanged.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "8c5d1e3f7a62"
down_revision: str | None = "4f1b7c2e9a31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_CONTACT = "(follow_up_id IS NULL) <> (placement_review_id IS NULL)"


@contextmanager
def _recreatable() -> Iterator[None]:
    """Let batch mode recreate `child_voice_record` on SQLite although answers refer to it.

    As in 20261126_b9b9b1bc0ba3: Alembic runs each SQLite migration outside a transaction, so
    the pragma holds on this connection; the check afterwards proves nothing dangles.
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    op.execute("PRAGMA foreign_keys=OFF")
    yield
    if bind.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
        raise RuntimeError("recreating child_voice_record left foreign keys dangling")


def upgrade() -> None:
    with _recreatable(), op.batch_alter_table("child_voice_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("placement_review_id", sa.Integer(), nullable=True))
        batch_op.alter_column("follow_up_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(
            batch_op.f("uq_child_voice_record_placement_review_id"), ["placement_review_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_child_voice_record_placement_review_id_placement_review"),
            "placement_review",
            ["placement_review_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_child_voice_record_one_contact"), ONE_CONTACT
        )


def downgrade() -> None:
    # A record taken at a review has no follow-up to name: it cannot survive the downgrade.
    bind = op.get_bind()
    answers = sa.table("child_voice_answer", sa.column("record_id", sa.Integer()))
    records = sa.table(
        "child_voice_record",
        sa.column("id", sa.Integer()),
        sa.column("placement_review_id", sa.Integer()),
    )
    at_reviews = sa.select(records.c.id).where(records.c.placement_review_id.is_not(None))
    bind.execute(sa.delete(answers).where(answers.c.record_id.in_(at_reviews)))
    bind.execute(sa.delete(records).where(records.c.placement_review_id.is_not(None)))
    with _recreatable(), op.batch_alter_table("child_voice_record", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_child_voice_record_one_contact"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_child_voice_record_placement_review_id_placement_review"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("uq_child_voice_record_placement_review_id"), type_="unique"
        )
        batch_op.alter_column("follow_up_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("placement_review_id")
