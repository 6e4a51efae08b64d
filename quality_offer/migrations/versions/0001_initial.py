"""The first schema: schools, audits, responses (one column per field) and the change log.

Revision ID: 0001
Revises:
Create Date: 2026-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("urn", sa.String(6), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("la_code", sa.String(3), nullable=True),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("area", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("urn", name="pk_schools"),
    )
    op.create_index("ix_schools_la_code", "schools", ["la_code"])

    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urn", sa.String(6), nullable=False),
        sa.Column("academic_year", sa.String(7), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("framework_version", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("completed_by", sa.String(300), nullable=True),
        sa.Column("carried_forward_from", sa.String(7), nullable=True),
        sa.Column("sign_offs", sa.JSON(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audits"),
        sa.ForeignKeyConstraint(["urn"], ["schools.urn"], name="fk_audits_urn_schools"),
        sa.UniqueConstraint("urn", "academic_year", name="uq_audits_urn_academic_year"),
        sa.CheckConstraint("status IN ('in-progress', 'submitted', 'signed-off')",
                           name="ck_audits_status"),
    )
    op.create_index("ix_audits_academic_year_framework_id_framework_version", "audits",
                    ["academic_year", "framework_id", "framework_version"])

    op.create_table(
        "responses",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(64), nullable=True),
        sa.Column("evidence_text", sa.Text(), nullable=True),
        sa.Column("evidence_location", sa.String(300), nullable=True),
        sa.Column("evidence_kind", sa.String(20), nullable=True),
        sa.Column("action_what", sa.Text(), nullable=True),
        sa.Column("action_owner", sa.String(300), nullable=True),
        sa.Column("action_due", sa.Date(), nullable=True),
        sa.Column("action_status", sa.String(20), nullable=True),
        sa.Column("not_applicable_reason", sa.Text(), nullable=True),
        sa.Column("rechecked", sa.Boolean(), nullable=False),
        sa.Column("moderated_rating", sa.String(64), nullable=True),
        sa.Column("moderation_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "criterion_id", name="pk_responses"),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"],
                                name="fk_responses_audit_id_audits"),
    )
    op.create_index("ix_responses_criterion_id_rating", "responses",
                    ["criterion_id", "rating"])

    op.create_table(
        "changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("urn", sa.String(6), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"],
                                name="fk_changes_audit_id_audits"),
        sa.ForeignKeyConstraint(["urn"], ["schools.urn"], name="fk_changes_urn_schools"),
    )
    op.create_index("ix_changes_audit_id_criterion_id_version", "changes",
                    ["audit_id", "criterion_id", "version"])
    op.create_index("ix_changes_urn_at", "changes", ["urn", "at"])


def downgrade() -> None:
    op.drop_table("changes")
    op.drop_table("responses")
    op.drop_table("audits")
    op.drop_table("schools")
