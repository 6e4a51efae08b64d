"""The authority's yearly collection: the academic year collected and its closing date.

Revision ID: 0004_cycles
Revises: 0003_framework_versions
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_cycles"
down_revision: str | None = "0003_framework_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cycles",
        sa.Column("la_code", sa.String(3), nullable=False),
        sa.Column("academic_year", sa.String(7), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("set_by", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("la_code"),
    )


def downgrade() -> None:
    op.drop_table("cycles")
