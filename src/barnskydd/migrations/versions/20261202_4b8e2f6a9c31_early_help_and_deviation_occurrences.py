"""early help, and one automatic deviation per missed deadline occurrence

Revision ID: 4b8e2f6a9c31
Revises: 7d3e5a9b1c20
Create Date: 2026-12-02

The automatic deviation's key was case and rule, so a rule missed again (a second review
period) was never scanned. It is now case, rule and last day (and the intervention for the
rules bound to one). Existing keys are rewritten to case, rule and last day; an
intervention-bound deviation made before this revision may be created once more under its
intervention's key at the next scan (the deviations came in the same release).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b8e2f6a9c31"
down_revision: str | None = "7d3e5a9b1c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_COMMENT = "auto: case and rule, so a scan creates it once"
_NEW_COMMENT = "auto: case, rule, last day (and intervention): one per missed occurrence"
_deviation = sa.table(
    "deviation",
    sa.column("id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("rule", sa.String()),
    sa.column("due", sa.Date()),
    sa.column("auto_key", sa.String()),
)


def _rekey() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_deviation.c.id, _deviation.c.case_id, _deviation.c.rule, _deviation.c.due).where(
            _deviation.c.auto_key.is_not(None)
        )
    ).all()
    for id_, case_id, rule, due in rows:
        key = f"{case_id}:{rule}:{due.isoformat()}"
        bind.execute(sa.update(_deviation).where(_deviation.c.id == id_).values(auto_key=key))


def _comment(new: str, old: str) -> None:
    if op.get_context().dialect.name == "postgresql":
        op.alter_column(
            "deviation",
            "auto_key",
            existing_type=sa.String(length=80),
            existing_nullable=True,
            comment=new,
            existing_comment=old,
        )


def upgrade() -> None:
    _rekey()
    _comment(_NEW_COMMENT, _OLD_COMMENT)


def downgrade() -> None:
    # Several occurrences of one rule share a key again: keep the first, the rest lose theirs.
    bind = op.get_bind()
    seen: set[str] = set()
    rows = bind.execute(
        sa.select(_deviation.c.id, _deviation.c.case_id, _deviation.c.rule)
        .where(_deviation.c.auto_key.is_not(None))
        .order_by(_deviation.c.id)
    ).all()
    for id_, case_id, rule in rows:
        key = f"{case_id}:{rule}"
        value = None if key in seen else key
        seen.add(key)
        bind.execute(sa.update(_deviation).where(_deviation.c.id == id_).values(auto_key=value))
    _comment(_OLD_COMMENT, _NEW_COMMENT)
