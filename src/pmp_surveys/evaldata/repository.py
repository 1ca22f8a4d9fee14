"""SQL for figure uploads, the current figures table and population margins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.evaldata.models import FigureUpload, PlanActivity, PopulationMargin


@dataclass(frozen=True)
class UploadRow:
    at: datetime
    filename: str
    rows: int
    inserted: int
    updated: int
    user_name: str | None


@dataclass(frozen=True)
class StoredFigure:
    indicator: str
    year: int
    school_code: str | None
    school_name: str | None
    numerator: int
    denominator: int


_FIGURES = text(
    """
    SELECT f.indicator, f.year, s.code, s.name, f.numerator, f.denominator
      FROM admin_figures AS f
      LEFT JOIN schools AS s ON s.id = f.school_id
     WHERE f.municipality = :municipality
     ORDER BY f.indicator, f.year DESC, s.name NULLS FIRST
    """
)


class EvalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_upload(self, upload: FigureUpload) -> None:
        self.session.add(upload)
        await self.session.flush()

    async def uploads(self, municipality: str, *, limit: int = 50) -> list[UploadRow]:
        query = (
            select(FigureUpload, User.name)
            .outerjoin(User, User.id == FigureUpload.user_id)
            .where(FigureUpload.municipality == municipality)
            .order_by(FigureUpload.id.desc())
            .limit(limit)
        )
        rows = await self.session.execute(query)
        return [UploadRow(u.created_at, u.filename, u.rows, u.inserted, u.updated, name) for u, name in rows]

    async def figures(self, municipality: str) -> list[StoredFigure]:
        rows = await self.session.execute(_FIGURES, {"municipality": municipality})
        return [StoredFigure(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    async def margins(self, municipality: str) -> list[PopulationMargin]:
        query = (
            select(PopulationMargin)
            .where(PopulationMargin.municipality == municipality)
            .order_by(PopulationMargin.variables, PopulationMargin.levels)
        )
        return list((await self.session.scalars(query)).all())

    async def replace_margins(self, municipality: str, variables: str, cells: Sequence[PopulationMargin]) -> None:
        """Delete the municipality's margin over `variables` and store `cells` instead."""
        await self.session.execute(
            delete(PopulationMargin).where(
                PopulationMargin.municipality == municipality, PopulationMargin.variables == variables
            )
        )
        self.session.add_all(cells)
        await self.session.flush()

    async def activity(self, activity_id: int) -> PlanActivity | None:
        return await self.session.get(PlanActivity, activity_id)

    async def add_activity(self, row: PlanActivity) -> None:
        self.session.add(row)
        await self.session.flush()

    async def delete_activity(self, municipality: str, activity_id: int) -> bool:
        done = await self.session.execute(
            delete(PlanActivity).where(PlanActivity.id == activity_id, PlanActivity.municipality == municipality)
        )
        return bool(getattr(done, "rowcount", 0))

    async def activities(self, municipality: str, up_to_year: int | None = None) -> list[PlanActivity]:
        query = select(PlanActivity).where(PlanActivity.municipality == municipality)
        if up_to_year is not None:
            query = query.where(PlanActivity.year <= up_to_year)
        rows = await self.session.scalars(query.order_by(PlanActivity.year, PlanActivity.goal, PlanActivity.id))
        return list(rows)
