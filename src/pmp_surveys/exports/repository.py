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

#: The release rule (README, "Disclosure control"): of a wave's responses (municipality ×
#: instrument × year, every non-draft campaign), only the first k·⌊N/k⌋ in submission order are
#: released, so two releases differ by whole steps of k responses. Returns the last released id
#: (None: nothing released). $4 = k.
RELEASE_CUTOFF = """
    WITH wave AS (
        SELECT r.id FROM responses AS r
          JOIN campaigns AS c ON c.id = r.campaign_id
          JOIN instrument_versions AS v ON v.id = c.instrument_version_id
         WHERE c.municipality = $1 AND v.key = $2 AND c.wave = $3 AND c.status <> 'draft'
    )
    SELECT id FROM wave ORDER BY id
    OFFSET greatest((SELECT count(*) FROM wave) / $4 * $4 - 1, 0) LIMIT 1
"""

WAVE_COUNT = """
    SELECT count(*) FROM responses AS r
      JOIN campaigns AS c ON c.id = r.campaign_id
      JOIN instrument_versions AS v ON v.id = c.instrument_version_id
     WHERE c.municipality = $1 AND v.key = $2 AND c.wave = $3 AND c.status <> 'draft'
"""

SCHOOL_HEADCOUNTS = """
    SELECT s.code, s.teachers FROM schools AS s WHERE s.municipality = $1 AND s.code = ANY($2::text[])
"""

RESPONSE_COUNT = """
    SELECT count(*) FROM responses AS r
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2 AND r.id <= $3
"""

#: The quasi-identifiers of every released row: id, school code, month, codes.
KEY_ROWS = """
    SELECT r.id, s.code, to_char(r.submitted_on, 'YYYY-MM'), r.codes
      FROM responses AS r
      LEFT JOIN schools AS s ON s.id = r.school_id
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2 AND r.id <= $3
     ORDER BY r.id
"""

#: Quasi-identifiers declared by the newest stored version of an instrument (older versions,
#: stored before the field existed, inherit them: the questions keep their ids).
LATEST_DEFINITION = """
    SELECT definition::text FROM instrument_versions WHERE key = $1 ORDER BY version DESC LIMIT 1
"""

#: Rows come by wave and month, and within a month in an order shuffled by a per-export salt:
#: insertion order (or school order) would let a reader tie blanked small-school rows to their
#: neighbours' schools.
RESPONSE_ROWS = """
    SELECT r.id, s.code, c.wave, to_char(r.submitted_on, 'YYYY-MM') AS month, r.codes, r.numbers, r.texts::text
      FROM responses AS r
      JOIN campaigns AS c ON c.id = r.campaign_id
      LEFT JOIN schools AS s ON s.id = r.school_id
     WHERE r.campaign_id = ANY($1::int[]) AND r.instrument_version_id = $2 AND r.id <= $4
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
class KeyRow:
    id: int
    school: str | None
    month: str
    codes: list[int | None]


@dataclass(frozen=True)
class ResponseRow:
    id: int
    school: str | None
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


async def release_cutoff(conn: Any, municipality: str, instrument_key: str, wave: int, k: int) -> int:
    """The last released response id of a wave (0: nothing released), see RELEASE_CUTOFF."""
    total = int(await conn.fetchval(WAVE_COUNT, municipality, instrument_key, wave))
    if total < max(k, 1):
        return 2**31 - 1  # every row counts, and the export is refused (fewer than k)
    return int(await conn.fetchval(RELEASE_CUTOFF, municipality, instrument_key, wave, max(k, 1)))


async def school_headcounts(conn: Any, municipality: str, codes: Sequence[str]) -> dict[str, int | None]:
    """School code → teacher head-count (None when not filled in)."""
    rows = await conn.fetch(SCHOOL_HEADCOUNTS, municipality, list(codes))
    return {r[0]: r[1] for r in rows}


async def response_count(conn: Any, campaign_ids: Sequence[int], version_id: int, cutoff: int) -> int:
    return int(await conn.fetchval(RESPONSE_COUNT, list(campaign_ids), version_id, cutoff))


async def key_rows(conn: Any, campaign_ids: Sequence[int], version_id: int, cutoff: int) -> list[KeyRow]:
    rows = await conn.fetch(KEY_ROWS, list(campaign_ids), version_id, cutoff)
    return [KeyRow(r[0], r[1], r[2], r[3]) for r in rows]


async def latest_definition(conn: Any, instrument_key: str) -> dict[str, Any] | None:
    raw = await conn.fetchval(LATEST_DEFINITION, instrument_key)
    return None if raw is None else dict(msgspec.json.decode(raw))


async def response_batches(
    conn: Any, campaign_ids: Sequence[int], version_id: int, batch_size: int, salt: str, cutoff: int
) -> AsyncIterator[list[ResponseRow]]:
    """Released rows in batches from a server-side cursor: memory stays at one batch, whatever the total."""
    cursor = await conn.cursor(RESPONSE_ROWS, list(campaign_ids), version_id, salt, cutoff)
    while True:
        rows = await cursor.fetch(batch_size)
        if not rows:
            return
        yield [
            ResponseRow(
                id=r[0],
                school=r[1],
                wave=r[2],
                month=r[3],
                codes=r[4],
                numbers=r[5],
                texts=None if r[6] is None else msgspec.json.decode(r[6]),
            )
            for r in rows
        ]
