"""catalogue_versions: immutable, dated versions of each municipality's plan catalogue

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_versions",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("municipality", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_catalogue_versions_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_versions")),
        sa.UniqueConstraint("municipality", "version", name=op.f("uq_catalogue_versions_municipality_version")),
    )
    op.create_index(
        "ix_catalogue_versions_municipality_content_hash", "catalogue_versions", ["municipality", "content_hash"]
    )
    # Immutable: a revision is a new row, never an edit (deleting a user only clears created_by).
    op.execute(
        """
        CREATE FUNCTION catalogue_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.created_by IS NULL AND OLD.created_by IS NOT NULL
               AND (NEW.id, NEW.municipality, NEW.version, NEW.content_hash, NEW.toml, NEW.note, NEW.created_at)
                   IS NOT DISTINCT FROM
                   (OLD.id, OLD.municipality, OLD.version, OLD.content_hash, OLD.toml, OLD.note, OLD.created_at)
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'catalogue versions are immutable; store a new version instead';
        END $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER catalogue_versions_immutable BEFORE UPDATE OR DELETE ON catalogue_versions
            FOR EACH ROW EXECUTE FUNCTION catalogue_versions_immutable();
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS catalogue_versions_immutable ON catalogue_versions")
    op.execute("DROP FUNCTION IF EXISTS catalogue_versions_immutable()")
    op.drop_table("catalogue_versions")
