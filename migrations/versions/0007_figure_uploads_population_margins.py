"""figure upload history, population margins, plan activities

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-29 18:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "figure_uploads",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("municipality", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_figure_uploads_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_uploads")),
    )
    op.create_index(op.f("ix_figure_uploads_municipality"), "figure_uploads", ["municipality"], unique=False)
    op.create_table(
        "population_margins",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("municipality", sa.String(length=32), nullable=False),
        sa.Column("variables", sa.String(length=200), nullable=False),
        sa.Column("levels", sa.String(length=400), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("population > 0", name=op.f("ck_population_margins_population_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population_margins")),
    )
    op.create_index(
        "uq_population_margins_cell", "population_margins", ["municipality", "variables", "levels"], unique=True
    )
    op.create_table(
        "plan_activities",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("municipality", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("goal", sa.String(length=300), nullable=False),
        sa.Column("activity", sa.String(length=500), nullable=False),
        sa.Column("funding", sa.String(length=200), nullable=False),
        sa.Column("planned_result", sa.Text(), nullable=False),
        sa.Column("achieved", sa.Text(), nullable=False),
        sa.Column("indicator", sa.String(length=16), nullable=True),
        sa.Column("survey_item", sa.String(length=120), nullable=True),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("factors", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_activities")),
    )
    op.create_index("ix_plan_activities_municipality_year", "plan_activities", ["municipality", "year"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_plan_activities_municipality_year", table_name="plan_activities")
    op.drop_table("plan_activities")
    op.drop_index("uq_population_margins_cell", table_name="population_margins")
    op.drop_table("population_margins")
    op.drop_index(op.f("ix_figure_uploads_municipality"), table_name="figure_uploads")
    op.drop_table("figure_uploads")
