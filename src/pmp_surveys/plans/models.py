"""Stored catalogue versions: one row per revision of a municipality's plan file, never updated."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Identity, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class CatalogueVersion(CreatedAt, Base):
    """A municipality file as it stood at one revision (like ``instrument_versions``).

    Immutable: the repository has no update path and a trigger refuses UPDATE and DELETE
    (migration 0009). Reports name the version (number, date, hash) they were computed with."""

    __tablename__ = "catalogue_versions"
    __table_args__ = (
        UniqueConstraint("municipality", "version"),
        # not unique: going back to an earlier content is a new version with that version's hash
        Index("ix_catalogue_versions_municipality_content_hash", "municipality", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False)
    #: 1, 2, 3 … per municipality, in the order revisions were stored.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    #: sha256 of the validated catalogue's canonical JSON: comments and layout are not a revision.
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The TOML text as uploaded or generated (the round-trip export format).
    toml: Mapped[str] = mapped_column(Text, nullable=False)
    #: None when seeded from the files at start-up.
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
