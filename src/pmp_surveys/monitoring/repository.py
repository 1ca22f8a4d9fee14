"""SQL for monitoring: counts only, never answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Integer

_PER_DAY = text(
    """
    SELECT submitted_on, count(*) FROM responses WHERE campaign_id = :campaign_id
     GROUP BY submitted_on ORDER BY submitted_on
    """
)
_TOTALS = text(
    "SELECT campaign_id, count(*) FROM responses WHERE campaign_id = ANY(:ids) GROUP BY campaign_id"
).bindparams(bindparam("ids", type_=ARRAY(Integer)))
_WITHOUT_SCHOOL = text("SELECT count(*) FROM responses WHERE campaign_id = :campaign_id AND school_id IS NULL")


async def responses_per_day(session: AsyncSession, campaign_id: int) -> list[tuple[date, int]]:
    rows = await session.execute(_PER_DAY, {"campaign_id": campaign_id})
    return [(r[0], int(r[1])) for r in rows]


async def response_totals(session: AsyncSession, campaign_ids: Sequence[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = await session.execute(_TOTALS, {"ids": list(campaign_ids)})
    return {int(r[0]): int(r[1]) for r in rows}


async def responses_without_school(session: AsyncSession, campaign_id: int) -> int:
    return int(await session.scalar(_WITHOUT_SCHOOL, {"campaign_id": campaign_id}) or 0)
