"""SQL of imported and keyed-in responses (asyncpg; run inside the caller's transaction).

Unlike a web submission, an import does not ask whether the campaign is open: a baseline
collected with another tool goes into a closed campaign of its year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from pmp_surveys.db.pg import Executor

CAMPAIGN = """
    SELECT c.id, c.instrument_version_id, c.municipality, c.audience, c.status
      FROM campaigns AS c WHERE c.slug = $1
"""
SCHOOLS = "SELECT code, id FROM schools WHERE municipality = $1"
EXISTING_KEYS = """
    SELECT idempotency_key FROM responses
     WHERE campaign_id = $1 AND idempotency_key = ANY($2::bytea[])
"""
INSERT = """
    INSERT INTO responses (campaign_id, instrument_version_id, school_id, submitted_on, idempotency_key,
                           fingerprint, codes, numbers, texts, mode, source)
    VALUES ($1, $2, $3, COALESCE($4::date, (now() AT TIME ZONE 'Europe/Riga')::date), $5, $6,
            $7::int2[], $8::float8[], ($9::text)::jsonb, $10, $11)
    ON CONFLICT (campaign_id, idempotency_key) DO NOTHING
"""
MODE_MIX = """
    SELECT r.mode, count(*) FROM responses AS r
     WHERE r.campaign_id = ANY($1::int[])
     GROUP BY r.mode ORDER BY r.mode
"""


@dataclass(frozen=True)
class ImportCampaign:
    id: int
    instrument_version_id: int
    municipality: str
    audience: str
    status: str


@dataclass(frozen=True)
class NewResponse:
    school_id: int | None
    day: dt.date | None
    key: bytes
    fingerprint: bytes
    codes: list[int | None]
    numbers: list[float | None] | None
    texts: dict[str, str] | None


async def use_json_codecs(conn: Any) -> None:
    """Decode json/jsonb as the service's pool does (for a connection opened by the command line)."""
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=lambda v: msgspec.json.encode(v).decode(), decoder=msgspec.json.decode, schema="pg_catalog"
        )


async def campaign(db: Executor, slug: str) -> ImportCampaign | None:
    row = await db.fetchrow(CAMPAIGN, slug)
    return None if row is None else ImportCampaign(row[0], row[1], row[2], row[3], row[4])


async def school_ids(db: Executor, municipality: str) -> dict[str, int]:
    return {r[0]: r[1] for r in await db.fetch(SCHOOLS, municipality)}


async def existing_keys(db: Executor, campaign_id: int, keys: Sequence[bytes]) -> set[bytes]:
    return {bytes(r[0]) for r in await db.fetch(EXISTING_KEYS, campaign_id, list(keys))}


async def insert_many(
    conn: Any, campaign: ImportCampaign, rows: Sequence[NewResponse], *, mode: str, source: str | None
) -> None:
    """Insert the rows (a key already stored is skipped by the unique constraint)."""
    args = [
        (
            campaign.id,
            campaign.instrument_version_id,
            r.school_id,
            r.day,
            r.key,
            r.fingerprint,
            r.codes,
            r.numbers,
            None if r.texts is None else msgspec.json.encode(r.texts).decode(),
            mode,
            source,
        )
        for r in rows
    ]
    await conn.executemany(INSERT, args)


async def mode_mix(db: Executor, campaign_ids: Sequence[int]) -> dict[str, int]:
    """Collection mode → number of responses, over the campaigns."""
    return {r[0]: int(r[1]) for r in await db.fetch(MODE_MIX, list(campaign_ids))}
