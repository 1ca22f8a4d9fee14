"""Responses in a typed layout: analysis reads small-integer arrays, not JSON documents.

Each response holds its answers coded by the instrument version's layout (see
`instruments.coding`): `codes` (smallint, one per coded variable), `numbers` (float, one per
number question) and `texts` (free text, left out of analysis and exports by default).
Deliberately absent: IP address, user agent, time of day, access code — nothing that could
identify a respondent or link an answer to a code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt

#: How an answer was collected: the respondent online, keyed in from a paper questionnaire, on a
#: tablet with KoboCollect/ODK Collect, by telephone, or by another tool (imports say which).
MODES = ("web", "paper", "tablet", "phone", "other")


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("campaign_id", "idempotency_key"),
        CheckConstraint(f"mode IN ({', '.join(repr(m) for m in MODES)})", name="mode_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    instrument_version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_versions.id", ondelete="RESTRICT"), nullable=False
    )
    #: Set for teacher surveys (school link or a school's access code); the design's cluster.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    #: The day only: a time of day could re-identify respondents in small groups.
    submitted_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: sha256 of the client's Idempotency-Key (the raw key is never stored).
    idempotency_key: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    #: sha256 of the canonical answers: tells a retry from a different body under the same key.
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    codes: Mapped[list[int | None]] = mapped_column(ARRAY(SmallInteger), nullable=False)
    numbers: Mapped[list[float | None] | None] = mapped_column(ARRAY(DOUBLE_PRECISION))
    texts: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: Collection mode (MODES); the respondent pages and the API store "web".
    mode: Mapped[str] = mapped_column(String(16), nullable=False, server_default=text("'web'"))
    #: Where an imported or keyed-in answer came from, e.g. "kobo:parents-2024.csv" (None: native).
    source: Mapped[str | None] = mapped_column(String(200))


#: A paper questionnaire keyed twice: "first" waits for the second keying, "conflict" holds two
#: disagreeing keyings until a third resolves them, "stored" is done (its answers are cleared).
PAPER_STATES = ("first", "conflict", "stored")


class PaperEntry(CreatedAt, Base):
    """Double data entry of one paper questionnaire (`sheet`: the number written on it)."""

    __tablename__ = "paper_entries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "sheet"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in PAPER_STATES)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    sheet: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The keyed answers (JSON as submitted) while the entry is open; None once stored.
    first: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    second: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: Questions on which the first two keyings disagreed.
    disagreements: Mapped[int] = mapped_column(SmallInteger, nullable=False, server_default=text("0"))
