"""SQL for exports, on a plain asyncpg connection (the streaming path needs a server-side cursor).

`response_batches` must run inside a transaction (asyncpg cursors require one): callers open
``conn.transaction(isolation="repeatable_read", readonly=True)`` so the school counts and the rows
of one export see the same snapshot. JSON columns are read as text (`::text`) so the result does
not depend on the connection's codecs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

CAMPAIGN_COLUMNS = """
    SELECT c.id, c.slug, c.municipality, c.wave, c.audience, c.instrument_version_id,
           v.key, v.version, v.content_hash, v.definition::text
      FROM campaigns AS c
      JOIN instrument_versions AS v ON v.id = c.instrument_version_id
"""

BY_SLUG = CAMPAIGN_COLUMNS + " WHERE c.slug = $1"

BY_WAVE = (
    CAMPAIGN_COLUMNS + " WHERE c.municipality = $1 AND v.key = $2 AND c.wave = $3 AND c.status <> 'draft' ORDER BY c.id"
)

SCHOOL_COUNTS = """
    SELECT r.school_id, s.code, count(*)
      FROM responses AS r
      JOIN schools AS s ON s.id = r.school_id
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2
     GROUP BY r.school_id, s.code
"""

SCHOOL_HEADCOUNTS = """
    SELECT s.id, s.teachers FROM schools AS s WHERE s.id = ANY($1::int[])
"""

RESPONSE_COUNT = """
    SELECT count(*) FROM responses AS r
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2
"""

#: Rows come by wave and month, and within a month in an order shuffled by a per-export salt:
#: insertion order (or school order) would let a reader tie blanked small-school rows to their
#: neighbours' schools.
RESPONSE_ROWS = """
    SELECT r.school_id, c.wave, to_char(r.submitted_on, 'YYYY-MM') AS month, r.codes, r.numbers, r.texts::text
      FROM responses AS r
      JOIN campaigns AS c ON c.id = r.campaign_id
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2
     ORDER BY c.wave, month, md5($3 || r.id::text)
"""


@dataclass(frozen=True)
class CampaignRow:
    id: int
    slug: str
    municipality: str
    wave: int
    audience: str
    instrument_version_id: int
    instrument_key: str
    instrument_version: int
    content_hash: str
    definition: dict[str, Any]


@dataclass(frozen=True)
class SchoolCount:
    school_id: int
    code: str
    responses: int


@dataclass(frozen=True)
class ResponseRow:
    school_id: int | None
    wave: int
    month: str
    codes: list[int | None]
    numbers: list[float | None] | None
    texts: dict[str, Any] | None


def _campaign(row: Any) -> CampaignRow:
    return CampaignRow(
        id=row[0],
        slug=row[1],
        municipality=row[2],
        wave=row[3],
        audience=row[4],
        instrument_version_id=row[5],
        instrument_key=row[6],
        instrument_version=row[7],
        content_hash=row[8],
        definition=msgspec.json.decode(row[9]),
    )


async def campaign_by_slug(conn: Any, slug: str) -> CampaignRow | None:
    row = await conn.fetchrow(BY_SLUG, slug)
    return None if row is None else _campaign(row)


async def wave_campaigns(conn: Any, municipality: str, instrument_key: str, wave: int) -> list[CampaignRow]:
    return [_campaign(r) for r in await conn.fetch(BY_WAVE, municipality, instrument_key, wave)]


async def school_counts(conn: Any, campaign_ids: Sequence[int], version_id: int) -> list[SchoolCount]:
    rows = await conn.fetch(SCHOOL_COUNTS, list(campaign_ids), version_id)
    return [SchoolCount(r[0], r[1], r[2]) for r in rows]


async def school_headcounts(conn: Any, school_ids: Sequence[int]) -> dict[int, int | None]:
    """School id → teacher head-count (None when not filled in)."""
    rows = await conn.fetch(SCHOOL_HEADCOUNTS, list(school_ids))
    return {r[0]: r[1] for r in rows}


async def response_count(conn: Any, campaign_ids: Sequence[int], version_id: int) -> int:
    return int(await conn.fetchval(RESPONSE_COUNT, list(campaign_ids), version_id))


async def response_batches(
    conn: Any, campaign_ids: Sequence[int], version_id: int, batch_size: int, salt: str
) -> AsyncIterator[list[ResponseRow]]:
    """Rows in batches from a server-side cursor: memory stays at one batch, whatever the total."""
    cursor = await conn.cursor(RESPONSE_ROWS, list(campaign_ids), version_id, salt)
    while True:
        rows = await cursor.fetch(batch_size)
        if not rows:
            return
        yield [
            ResponseRow(
                school_id=r[0],
                wave=r[1],
                month=r[2],
                codes=r[3],
                numbers=r[4],
                texts=None if r[5] is None else msgspec.json.decode(r[5]),
            )
            for r in rows
        ]
