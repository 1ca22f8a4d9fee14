"""A campaign is one survey wave of one instrument version in one municipality."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Identity, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt

STATUSES = ("draft", "open", "closed")
AUDIENCES = ("parents", "residents", "teachers")
ACCESS_MODES = ("public_link", "school_link", "access_code")


class Campaign(CreatedAt, Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status_known"),
        CheckConstraint(f"audience IN {AUDIENCES}", name="audience_known"),
        CheckConstraint(f"access_mode IN {ACCESS_MODES}", name="access_mode_known"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="window_order"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    #: The public link is /s/{slug}; unguessable enough not to be enumerated.
    slug: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    instrument_version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_versions.id", ondelete="RESTRICT"), nullable=False
    )
    #: The wave's year: 2024 for a baseline, 2026 for the mid-term evaluation …
    wave: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    audience: Mapped[str] = mapped_column(String(16), nullable=False)
    access_mode: Mapped[str] = mapped_column(String(16), nullable=False, default="public_link")
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
