"""Stored instrument versions: immutable, content-hashed, pinned by every response."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Identity, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class InstrumentVersion(CreatedAt, Base):
    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    #: 1, 2, 3 … per key, in the order versions were first loaded.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    #: sha256 of the canonical JSON: the same content is one version, whatever the file looks like.
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
