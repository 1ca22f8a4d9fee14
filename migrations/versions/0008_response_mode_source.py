"""responses: collection mode and source (imports from other tools, paper data entry); paper_entries

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("responses", sa.Column("mode", sa.String(length=16), server_default=sa.text("'web'"), nullable=False))
    op.add_column("responses", sa.Column("source", sa.String(length=200), nullable=True))
    op.create_check_constraint(
        op.f("ck_responses_mode_known"), "responses", "mode IN ('web', 'paper', 'tablet', 'phone', 'other')"
    )

    op.create_table(
        "paper_entries",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("first", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("second", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("disagreements", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('first', 'conflict', 'stored')", name=op.f("ck_paper_entries_status_known")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_paper_entries_campaign_id_campaigns"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_entries")),
        sa.UniqueConstraint("campaign_id", "sheet", name=op.f("uq_paper_entries_campaign_id_sheet")),
    )
    op.create_index(op.f("ix_paper_entries_campaign_id"), "paper_entries", ["campaign_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_paper_entries_campaign_id"), table_name="paper_entries")
    op.drop_table("paper_entries")
    op.drop_constraint(op.f("ck_responses_mode_known"), "responses", type_="check")
    op.drop_column("responses", "source")
    op.drop_column("responses", "mode")
