"""One row per throttled subject: a keyed hash, never an address or an e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base


class Throttle(Base):
    __tablename__ = "throttles"
    __table_args__ = (Index("ix_throttles_last_at", "last_at"),)

    #: HMAC(client-hash sub-key, purpose + subject), 16 bytes (see `throttle.repository`).
    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    #: Attempts counted in the current window.
    hits: Mapped[int] = mapped_column(Integer, nullable=False)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
