"""Framework versions: answers moved with their old wording, archived answers, and moves.

Revision ID: 0003_framework_versions
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_framework_versions"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("moved_from", sa.JSON(), nullable=True))
    with op.batch_alter_table("audits") as batch:
        batch.add_column(sa.Column("archived", sa.JSON(), nullable=True))
    op.create_table(
        "framework_moves",
        sa.Column("id", BigId, nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("from_version", sa.String(20), nullable=False),
        sa.Column("to_version", sa.String(20), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"],
                                name="fk_framework_moves_audit_id_audits"),
        sa.PrimaryKeyConstraint("id", name="pk_framework_moves"),
    )
    op.create_index("ix_framework_moves_audit_id", "framework_moves", ["audit_id"])


def downgrade() -> None:
    op.drop_index("ix_framework_moves_audit_id", table_name="framework_moves")
    op.drop_table("framework_moves")
    with op.batch_alter_table("audits") as batch:
        batch.drop_column("archived")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("moved_from")
