"""initial schema: case chain, people, staff, audit

Revision ID: de03c6f203ff
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "de03c6f203ff"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "actor",
            sa.String(length=120),
            nullable=False,
            comment="username of the acting person or job",
        ),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column(
            "action",
            sa.String(length=40),
            nullable=False,
            comment="create, update, read, search, ...",
        ),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True, comment="internal id, not identity"),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column(
            "purpose", sa.String(length=200), nullable=True, comment="why the data was touched"
        ),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_child_id"), ["child_id"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "identity_number",
            sa.String(length=12),
            nullable=False,
            comment="personal data: normalised personnummer, samordningsnummer or reserve number",
        ),
        sa.Column("identity_kind", sa.String(length=20), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False, comment="personal data"),
        sa.Column("gender", sa.String(length=10), nullable=False, comment="girl, boy or unknown"),
        sa.Column("first_name", sa.String(length=100), nullable=False, comment="personal data"),
        sa.Column("last_name", sa.String(length=100), nullable=False, comment="personal data"),
        sa.Column(
            "protected_identity",
            sa.Enum(
                "none",
                "confidentiality_marking",
                "protected_registration",
                "fictitious_identity",
                name="protectedidentity",
                native_enum=False,
                length=40,
            ),
            nullable=False,
            comment="sekretessmarkering / skyddad folkbokföring / fingerade personuppgifter",
        ),
        sa.Column(
            "address",
            sa.String(length=200),
            nullable=True,
            comment="personal data; hidden under skyddad folkbokföring",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child")),
        sa.UniqueConstraint("identity_number", name=op.f("uq_child_identity_number")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    op.create_table(
        "staff_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "case_worker",
                "team_lead",
                "analyst",
                "admin",
                "system",
                name="role",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("socionom", sa.Boolean(), nullable=False, comment="holds a socionom degree"),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_staff_member_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_member")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_member_username")),
    )
    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_protection_assessment",
                "preliminary_assessment",
                "investigation",
                "interventions",
                "follow_up",
                "closed",
                name="casestatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "law",
            sa.String(length=40),
            nullable=False,
            comment="id of the rule set the deadlines follow",
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "linked_case_id",
            sa.Integer(),
            nullable=True,
            comment="the ongoing investigation a report was joined to",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"],
            ["staff_member.id"],
            name=op.f("fk_case_assigned_to_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name=op.f("fk_case_child_id_child")),
        sa.ForeignKeyConstraint(
            ["linked_case_id"], ["case.id"], name=op.f("fk_case_linked_case_id_case")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_case_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_case_case_number")),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_assigned_to_id"), ["assigned_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("followed_up_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_follow_up_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_case_id"), ["case_id"], unique=False)

    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "open_care",
                "contact_person_or_family",
                "family_home",
                "residential_hvb",
                "sis_secure",
                "supported_housing",
                "other",
                name="interventioncategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "legal_basis",
            sa.Enum("sol", "lvu", name="legalbasis", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_intervention_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention")),
    )
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intervention_case_id"), ["case_id"], unique=False)

    op.create_table(
        "investigation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("original_due", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False, comment="current deadline incl. extensions"),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "interventions",
                "no_intervention",
                "discontinued",
                "transferred",
                name="investigationoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("transferred_to", sa.String(length=4), nullable=True, comment="kommunkod"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_investigation_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation")),
        sa.UniqueConstraint("case_id", name=op.f("uq_investigation_case_id")),
    )
    with op.batch_alter_table("investigation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investigation_due"), ["due"], unique=False)

    op.create_table(
        "preliminary_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "investigation_opened",
                "not_opened",
                "already_ongoing",
                "transferred",
                name="preliminaryoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("on_time", sa.Boolean(), nullable=False, comment="decided by the legal deadline"),
        sa.Column("transferred_to", sa.String(length=4), nullable=True, comment="kommunkod"),
        sa.Column("notes", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_preliminary_assessment_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preliminary_assessment")),
        sa.UniqueConstraint("case_id", name=op.f("uq_preliminary_assessment_case_id")),
    )
    op.create_table(
        "protection_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("immediate_protection_needed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_protection_assessment_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protection_assessment")),
        sa.UniqueConstraint("case_id", name=op.f("uq_protection_assessment_case_id")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "phone",
                "letter",
                "email",
                "digital_form",
                "in_person",
                "other",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "reporter_category",
            sa.Enum(
                "police",
                "school",
                "preschool",
                "health_care",
                "dental_care",
                "child_psychiatry",
                "social_services",
                "other_authority",
                "private_person",
                "relative",
                "child_self",
                "anonymous",
                "other",
                name="reportercategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "mandatory_reporter",
            sa.Boolean(),
            nullable=False,
            comment="reporter under the duty to report",
        ),
        sa.Column("reporter_name", sa.String(length=120), nullable=True, comment="personal data"),
        sa.Column("reporter_organisation", sa.String(length=160), nullable=True),
        sa.Column(
            "reporter_contact", sa.String(length=160), nullable=True, comment="personal data"
        ),
        sa.Column("free_text", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("protection_due", sa.Date(), nullable=False, comment="skyddsbedömning: genast"),
        sa.Column("preliminary_due", sa.Date(), nullable=False, comment="förhandsbedömning"),
        sa.Column("protection_reference", sa.String(length=120), nullable=False),
        sa.Column("preliminary_reference", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_report_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("case_id", name=op.f("uq_report_case_id")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_preliminary_due"), ["preliminary_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_received_at"), ["received_at"], unique=False)

    op.create_table(
        "bbic_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "child_development",
                "parenting_capacity",
                "family_and_environment",
                name="bbicside",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, comment="personal data about the child"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigation.id"],
            name=op.f("fk_bbic_note_investigation_id_investigation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bbic_note")),
        sa.UniqueConstraint(
            "investigation_id", "side", "area", name=op.f("uq_bbic_note_investigation_id")
        ),
    )
    op.create_table(
        "investigation_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, comment="the särskilda skäl"),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigation.id"],
            name=op.f("fk_investigation_extension_investigation_id_investigation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_extension")),
    )
    with op.batch_alter_table("investigation_extension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investigation_extension_investigation_id"),
            ["investigation_id"],
            unique=False,
        )

    op.create_table(
        "report_concern",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column(
            "concern",
            sa.Enum(
                "physical_violence",
                "sexual_abuse",
                "psychological_violence",
                "neglect",
                "witnessed_domestic_violence",
                "parental_substance_abuse",
                "parental_mental_illness",
                "honour_related",
                "child_substance_use",
                "child_criminality",
                "child_mental_health",
                "school_absence",
                "family_conflict",
                "other",
                name="concern",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_concern_report_id_report")
        ),
        sa.PrimaryKeyConstraint("report_id", "concern", name=op.f("pk_report_concern")),
    )


def downgrade() -> None:
    op.drop_table("report_concern")
    with op.batch_alter_table("investigation_extension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_extension_investigation_id"))

    op.drop_table("investigation_extension")
    op.drop_table("bbic_note")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_received_at"))
        batch_op.drop_index(batch_op.f("ix_report_preliminary_due"))

    op.drop_table("report")
    op.drop_table("protection_assessment")
    op.drop_table("preliminary_assessment")
    with op.batch_alter_table("investigation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_due"))

    op.drop_table("investigation")
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intervention_case_id"))

    op.drop_table("intervention")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_case_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_unit_id"))
        batch_op.drop_index(batch_op.f("ix_case_status"))
        batch_op.drop_index(batch_op.f("ix_case_child_id"))
        batch_op.drop_index(batch_op.f("ix_case_assigned_to_id"))

    op.drop_table("case")
    op.drop_table("staff_member")
    op.drop_table("unit")
    op.drop_table("child")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_child_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_case_id"))

    op.drop_table("audit_entry")
