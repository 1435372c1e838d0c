"""early help, and one automatic deviation per missed deadline occurrence

Revision ID: 4b8e2f6a9c31
Revises: b4c2e9f7a1d3
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
down_revision: str | None = "b4c2e9f7a1d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_COMMENT = "auto: case and rule, so a scan creates it once"
_NEW_COMMENT = "auto: case, rule, last day (and intervention): one per missed occurrence"
_deviation = sa.table(
    "deviation",
    sa.column("id", sa.Integer()),
    sa.column("rule", sa.String()),
    sa.column("due", sa.Date()),
    sa.column("auto_key", sa.String()),
)


def _rekey() -> None:
    """Rewrite each old key, case:rule, to case:rule:last-day (the case from the old key)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_deviation.c.id, _deviation.c.rule, _deviation.c.due, _deviation.c.auto_key)
        .where(_deviation.c.auto_key.is_not(None))
        .where(_deviation.c.due.is_not(None))
    ).all()
    for id_, rule, due, old in rows:
        case = str(old).split(":", 1)[0]
        key = f"{case}:{rule}:{due.isoformat()}"
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
    op.create_table(
        "early_help_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False, comment="short name for the CLI"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "conversation_support",
                "parenting_support",
                "group_activity",
                "family_support",
                "open_meeting_place",
                "other_open_care",
                name="earlyhelpkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("target_group", sa.String(length=200), nullable=False),
        sa.Column(
            "provider", sa.String(length=200), nullable=False, comment="own unit or contractor"
        ),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column(
            "decided_by",
            sa.String(length=200),
            nullable=False,
            comment="the body that decided the list",
        ),
        sa.Column("decided_on", sa.Date(), nullable=False, comment="the day of the decision"),
        sa.Column(
            "decision_ref",
            sa.String(length=60),
            nullable=False,
            comment="the decision's diary number",
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_help_service")),
        sa.UniqueConstraint("code", name=op.f("uq_early_help_service_code")),
    )
    op.create_table(
        "early_help",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column(
            "guardian_consent", sa.Boolean(), nullable=False, comment="21 kap. 2 § SoL 2025:400"
        ),
        sa.Column(
            "child_alone_suitable",
            sa.Boolean(),
            nullable=False,
            comment="15 or older, given without the guardian as suitable",
        ),
        sa.Column(
            "suitability_note",
            sa.Text(),
            nullable=True,
            comment="why that is suitable; may hold personal data",
        ),
        sa.Column(
            "informed_of_assessed_route",
            sa.Boolean(),
            nullable=False,
            comment="11 kap. 6 § SoL 2025:400",
        ),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_early_help_case_id_case")),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["early_help_service.id"],
            name=op.f("fk_early_help_service_id_early_help_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_help")),
    )
    op.create_index(op.f("ix_early_help_case_id"), "early_help", ["case_id"], unique=False)
    op.create_index(op.f("ix_early_help_service_id"), "early_help", ["service_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_early_help_service_id"), table_name="early_help")
    op.drop_index(op.f("ix_early_help_case_id"), table_name="early_help")
    op.drop_table("early_help")
    op.drop_table("early_help_service")
    # Several occurrences of one rule share a key again: keep the first, the rest lose theirs.
    bind = op.get_bind()
    seen: set[str] = set()
    rows = bind.execute(
        sa.select(_deviation.c.id, _deviation.c.auto_key)
        .where(_deviation.c.auto_key.is_not(None))
        .order_by(_deviation.c.id)
    ).all()
    for id_, old in rows:
        case, rule = str(old).split(":")[:2]
        key = f"{case}:{rule}"
        value = None if key in seen else key
        seen.add(key)
        bind.execute(sa.update(_deviation).where(_deviation.c.id == id_).values(auto_key=value))
    _comment(_OLD_COMMENT, _NEW_COMMENT)
