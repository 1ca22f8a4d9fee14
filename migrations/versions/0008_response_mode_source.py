"""responses: collection mode and source (imports from other tools, paper data entry)

Revision ID: 0008
Revises: 0002
Create Date: 2026-11-29 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("responses", sa.Column("mode", sa.String(length=16), server_default=sa.text("'web'"), nullable=False))
    op.add_column("responses", sa.Column("source", sa.String(length=200), nullable=True))
    op.create_check_constraint(
        op.f("ck_responses_mode_known"), "responses", "mode IN ('web', 'paper', 'tablet', 'phone', 'other')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_responses_mode_known"), "responses", type_="check")
    op.drop_column("responses", "source")
    op.drop_column("responses", "mode")
