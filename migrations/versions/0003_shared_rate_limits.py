"""shared rate-limit counters (every worker process counts in one table)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 18:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "throttles",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttles")),
    )
    op.create_index("ix_throttles_last_at", "throttles", ["last_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_throttles_last_at", table_name="throttles")
    op.drop_table("throttles")
