"""Figure upload history and population margins (both per municipality)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Identity, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class FigureUpload(CreatedAt, Base):
    """One accepted figures file (or one figure typed into the form): who, what, how many rows."""

    __tablename__ = "figure_uploads"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    #: None when imported on the server's command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    inserted: Mapped[int] = mapped_column(Integer, nullable=False)
    updated: Mapped[int] = mapped_column(Integer, nullable=False)


class PopulationMargin(CreatedAt, Base):
    """One cell of a population margin, e.g. variables "age_band|sex", levels "age_25_34|female".

    The stored margins of a municipality replace its catalogue file's ``[population]`` margins."""

    __tablename__ = "population_margins"
    __table_args__ = (
        CheckConstraint("population > 0", name="population_positive"),
        Index("uq_population_margins_cell", "municipality", "variables", "levels", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False)
    variables: Mapped[str] = mapped_column(String(200), nullable=False)
    levels: Mapped[str] = mapped_column(String(400), nullable=False)
    population: Mapped[int] = mapped_column(Integer, nullable=False)
    #: e.g. "CSP IRS030, 2025-01-01"
    source: Mapped[str] = mapped_column(String(300), nullable=False)


class PlanActivity(CreatedAt, Base):
    """One row of the plan's activities results table for one year (Bauska's plan §3.5: per goal and
    activity — funding, planned result, achieved value, impact assessment, what helped or hindered).
    An achieved value may point at an indicator of the catalogue or at a survey item."""

    __tablename__ = "plan_activities"
    __table_args__ = (Index("ix_plan_activities_municipality_year", "municipality", "year"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    goal: Mapped[str] = mapped_column(String(300), nullable=False)
    activity: Mapped[str] = mapped_column(String(500), nullable=False)
    funding: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    planned_result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    achieved: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: an indicator code of the municipality's catalogue, e.g. "B5"
    indicator: Mapped[str | None] = mapped_column(String(16))
    #: "instrument-key:question_id", e.g. "teacher-self-efficacy:attended_supervision"
    survey_item: Mapped[str | None] = mapped_column(String(120))
    impact: Mapped[str] = mapped_column(Text, nullable=False, default="")
    factors: Mapped[str] = mapped_column(Text, nullable=False, default="")
