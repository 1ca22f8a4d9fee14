"""SQL for schools."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.schools.models import School


class SchoolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_municipality(self, municipality: str) -> Sequence[School]:
        rows = await self.session.scalars(
            select(School).where(School.municipality == municipality).order_by(School.name)
        )
        return list(rows)

    async def by_code(self, municipality: str, code: str) -> School | None:
        return (
            await self.session.scalars(select(School).where(School.municipality == municipality, School.code == code))
        ).first()

    async def add(self, school: School) -> School:
        self.session.add(school)
        await self.session.flush()
        return school

    async def by_id(self, school_id: int) -> School | None:
        return await self.session.get(School, school_id)
