"""Schools come from the catalogue files; evaluators then keep head-counts current."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator, require_municipality, require_school
from pmp_surveys.audit.service import record
from pmp_surveys.errors import Forbidden, NotFound, ValidationFailed
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


# --- head-counts kept by evaluators (admin pages and API) -------------------------------------

MAX_TEACHERS = 100_000
MAX_IMPORT_ROWS = 5_000


class SchoolRead(msgspec.Struct, kw_only=True):
    id: int
    municipality: str
    code: str
    name: str
    students: int | None
    teachers: int | None


def school_read(school: School) -> SchoolRead:
    return msgspec.convert(school, SchoolRead, from_attributes=True)


def _no_coordinators(user: CurrentUser) -> None:
    if user.role == "coordinator":
        raise Forbidden("School coordinators see response counts and rates only.")


async def schools_for(session: AsyncSession, user: CurrentUser, municipality: str) -> list[School]:
    """The municipality's schools with head-counts, for its evaluators and operators."""
    require_municipality(user, municipality)
    _no_coordinators(user)
    return list(await SchoolRepository(session).for_municipality(municipality))


async def school_for(session: AsyncSession, user: CurrentUser, school_id: int) -> School:
    school = await SchoolRepository(session).by_id(school_id)
    if school is None:
        raise NotFound("No such school.", code="school_not_found")
    require_school(user, school.municipality, school.id)
    return school


async def update_teachers(session: AsyncSession, user: CurrentUser, school_id: int, teachers: int | None) -> School:
    """Set one school's teacher head-count (None = unknown)."""
    school = await school_for(session, user, school_id)
    require_evaluator(user, school.municipality)
    if teachers is not None and not 0 <= teachers <= MAX_TEACHERS:
        raise ValidationFailed(
            "The head-count is out of range.",
            errors=[{"field": "teachers", "code": "out_of_range", "message": f"Enter 0–{MAX_TEACHERS}."}],
        )
    before = school.teachers
    school.teachers = teachers
    await session.flush()
    await record(
        session, user, "school.update", "school", school.code, school.municipality, {"teachers": [before, teachers]}
    )
    return school


@dataclass(frozen=True)
class ImportResult:
    updated: int
    unchanged: int


def parse_headcounts(text: str, known_codes: Collection[str]) -> tuple[dict[str, int], list[dict[str, str]]]:
    """Rows of `code,teachers` (comma or semicolon); every problem reported with its line."""
    errors: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        return {}, [
            {"field": "file", "code": "empty", "message": "The file is empty; expected a header code,teachers."}
        ]
    delimiter = ";" if ";" in lines[0] and "," not in lines[0] else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    if header != ["code", "teachers"]:
        return {}, [
            {"field": "line 1", "code": "bad_header", "message": "The first line must be exactly: code,teachers"}
        ]
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        return {}, [{"field": "file", "code": "too_long", "message": f"At most {MAX_IMPORT_ROWS} rows at once."}]
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {number}"
        if len(row) != 2:
            errors.append({"field": where, "code": "columns", "message": "Expected two values: code,teachers."})
            continue
        code, raw = row[0].strip(), row[1].strip()
        if code not in known_codes:
            errors.append(
                {"field": where, "code": "unknown_school", "message": f"No school with code {code!r}.", "value": code}
            )
        elif code in counts:
            errors.append(
                {"field": where, "code": "duplicate", "message": f"School {code!r} appears twice.", "value": code}
            )
        try:
            value = int(raw)
        except ValueError:
            errors.append(
                {"field": where, "code": "not_a_number", "message": f"{raw!r} is not a whole number.", "value": raw}
            )
            continue
        if not 0 <= value <= MAX_TEACHERS:
            errors.append(
                {
                    "field": where,
                    "code": "out_of_range",
                    "message": f"Enter 0–{MAX_TEACHERS}, not {value}.",
                    "value": str(value),
                }
            )
            continue
        if code in known_codes:
            counts.setdefault(code, value)
    if not counts and not errors:
        errors.append({"field": "file", "code": "empty", "message": "The file has a header but no rows."})
    return counts, errors


async def import_teachers(session: AsyncSession, user: CurrentUser, municipality: str, text: str) -> ImportResult:
    """Set head-counts from CSV text; if any row is wrong, nothing is written."""
    require_evaluator(user, municipality)
    schools = {s.code: s for s in await SchoolRepository(session).for_municipality(municipality)}
    counts, errors = parse_headcounts(text, schools.keys())
    if errors:
        raise ValidationFailed("Nothing was imported: fix these rows and try again.", errors=errors)
    changes = {}
    for code, value in counts.items():
        if schools[code].teachers != value:
            changes[code] = [schools[code].teachers, value]
            schools[code].teachers = value
    await session.flush()
    await record(
        session, user, "school.import", "school", "*", municipality, {"teachers": changes, "rows": len(counts)}
    )
    return ImportResult(updated=len(changes), unchanged=len(counts) - len(changes))
