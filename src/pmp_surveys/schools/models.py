"""Schools: seeded from the municipality catalogue, head-counts edited by evaluators."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Identity, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt


class School(CreatedAt, Base):
    __tablename__ = "schools"
    __table_args__ = (
        UniqueConstraint("municipality", "code"),
        CheckConstraint("teachers IS NULL OR teachers >= 0", name="teachers_not_negative"),
        CheckConstraint("students IS NULL OR students >= 0", name="students_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    students: Mapped[int | None] = mapped_column(Integer)
    #: Teacher head-count: the finite population of the school's stratum in the teacher survey.
    teachers: Mapped[int | None] = mapped_column(Integer)
