"""Administrative figures imported by evaluators (numerator / denominator per year)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Identity, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class AdminFigure(CreatedAt, Base):
    __tablename__ = "admin_figures"
    __table_args__ = (
        CheckConstraint("denominator > 0", name="denominator_positive"),
        CheckConstraint("numerator >= 0 AND numerator <= denominator", name="numerator_in_range"),
        # One figure per municipality, indicator, year and school (NULL school = whole municipality).
        Index(
            "uq_admin_figures_key",
            "municipality",
            "indicator",
            "year",
            text("coalesce(school_id, 0)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False)
    indicator: Mapped[str] = mapped_column(String(16), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    numerator: Mapped[int] = mapped_column(Integer, nullable=False)
    denominator: Mapped[int] = mapped_column(Integer, nullable=False)
