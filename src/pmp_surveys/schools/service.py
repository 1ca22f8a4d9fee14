"""Schools come from the catalogue files; evaluators then keep head-counts current."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.schools.models import School
from pmp_surveys.schools.repository import SchoolRepository


@dataclass(frozen=True)
class SchoolSeed:
    municipality: str
    code: str
    name: str
    students: int | None
    teachers: int | None


async def sync_schools(session: AsyncSession, seeds: Iterable[SchoolSeed]) -> int:
    """Add schools that are missing; fill head-counts only where none is stored yet.

    Counts an evaluator entered win over the file, so reloading never undoes their edits.
    """
    repo = SchoolRepository(session)
    added = 0
    for seed in seeds:
        school = await repo.by_code(seed.municipality, seed.code)
        if school is None:
            await repo.add(
                School(
                    municipality=seed.municipality,
                    code=seed.code,
                    name=seed.name,
                    students=seed.students,
                    teachers=seed.teachers,
                )
            )
            added += 1
            continue
        if school.teachers is None and seed.teachers is not None:
            school.teachers = seed.teachers
        if school.students is None and seed.students is not None:
            school.students = seed.students
    await session.flush()
    return added
