"""Memberships (who holds which role where) and their audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("urn", sa.String(6), nullable=True),
        sa.Column("la_code", sa.String(3), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
        sa.UniqueConstraint("issuer", "subject", "role", "urn", "la_code",
                            name="uq_memberships_issuer_subject_role_urn_la_code"),
        sa.CheckConstraint("role IN ('senco', 'headteacher', 'governor', 'adviser', "
                           "'administrator')", name="ck_memberships_role"),
    )
    op.create_index("ix_memberships_issuer_subject", "memberships", ["issuer", "subject"])
    op.create_table(
        "membership_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_membership_changes"),
    )


def downgrade() -> None:
    op.drop_table("membership_changes")
    op.drop_table("memberships")
