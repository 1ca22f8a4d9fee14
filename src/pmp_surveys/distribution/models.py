"""School links and single-use access codes.

An access code row knows its campaign and school (so the response can be counted for the
school) and whether it was used — nothing else: no time of use and no reference to the
response it unlocked, so codes cannot be linked to answers.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Identity, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class SchoolLink(CreatedAt, Base):
    __tablename__ = "school_links"
    __table_args__ = (UniqueConstraint("campaign_id", "school_id"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), nullable=False)
    #: Public, shared with all teachers of the school: /s/{campaign slug}/{token}.
    token: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)


class AccessCode(CreatedAt, Base):
    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False, index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), nullable=False)
    #: sha256 of the code; the code itself is shown once, when the batch is issued.
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False, unique=True)
    used: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
