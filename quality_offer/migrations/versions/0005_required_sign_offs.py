"""The signatures that lock an audit, where the school asks for other than the default.

Revision ID: 0005_required_sign_offs
Revises: 0004_cycles
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_required_sign_offs"
down_revision: str | None = "0004_cycles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audits") as batch:
        batch.add_column(sa.Column("required_sign_offs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audits") as batch:
        batch.drop_column("required_sign_offs")
