"""SQL for responses. The submission is one statement: campaign check and insert together.

Folding the "is the campaign open" test into the INSERT makes it atomic (a campaign closed a
millisecond earlier cannot take the answer) and keeps the hot path at one round trip in
autocommit, so the acknowledgement is sent only after the row is durable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BYTEA, DOUBLE_PRECISION, JSONB
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import Integer, SmallInteger

INSERT_IF_OPEN = text(
    """
    INSERT INTO responses (campaign_id, instrument_version_id, school_id, submitted_on,
                           idempotency_key, fingerprint, codes, numbers, texts)
    SELECT c.id, c.instrument_version_id, :school_id, (now() AT TIME ZONE 'Europe/Riga')::date,
           :key, :fingerprint, :codes, :numbers, :texts
      FROM campaigns AS c
     WHERE c.id = :campaign_id
       AND c.status = 'open'
       AND (c.opens_at IS NULL OR c.opens_at <= now())
       AND (c.closes_at IS NULL OR c.closes_at > now())
    ON CONFLICT (campaign_id, idempotency_key) DO NOTHING
    RETURNING submitted_on
    """
).bindparams(
    bindparam("school_id", type_=Integer),
    bindparam("key", type_=BYTEA),
    bindparam("fingerprint", type_=BYTEA),
    bindparam("codes", type_=ARRAY(SmallInteger)),
    bindparam("numbers", type_=ARRAY(DOUBLE_PRECISION)),
    bindparam("texts", type_=JSONB),
    bindparam("campaign_id", type_=Integer),
)

FIND_BY_KEY = text(
    "SELECT fingerprint, submitted_on FROM responses WHERE campaign_id = :campaign_id AND idempotency_key = :key"
).bindparams(bindparam("key", type_=BYTEA))

CAMPAIGN_IDENTITY = text(
    "SELECT id, instrument_version_id, municipality, access_mode FROM campaigns WHERE slug = :slug"
)


@dataclass(frozen=True)
class CampaignIdentity:
    """The parts of a campaign that never change once created: safe to cache."""

    id: int
    instrument_version_id: int
    municipality: str
    access_mode: str


@dataclass(frozen=True)
class CampaignWindow:
    status: str
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: bytes
    submitted_on: date


async def campaign_identity(conn: AsyncConnection, slug: str) -> CampaignIdentity | None:
    row = (await conn.execute(CAMPAIGN_IDENTITY, {"slug": slug})).first()
    return None if row is None else CampaignIdentity(row[0], row[1], row[2], row[3])


async def insert_if_open(
    conn: AsyncConnection,
    *,
    campaign_id: int,
    school_id: int | None,
    key: bytes,
    fingerprint: bytes,
    codes: list[int | None],
    numbers: list[float | None] | None,
    texts: dict[str, Any] | None,
) -> date | None:
    """Insert unless the campaign is not open or the key was used; the day stored, or None."""
    result = await conn.execute(
        INSERT_IF_OPEN,
        {
            "campaign_id": campaign_id,
            "school_id": school_id,
            "key": key,
            "fingerprint": fingerprint,
            "codes": codes,
            "numbers": numbers,
            "texts": texts,
        },
    )
    return result.scalar_one_or_none()


async def find_by_key(conn: AsyncConnection, campaign_id: int, key: bytes) -> StoredResponse | None:
    row = (await conn.execute(FIND_BY_KEY, {"campaign_id": campaign_id, "key": key})).first()
    return None if row is None else StoredResponse(bytes(row[0]), row[1])


CAMPAIGN_WINDOW = text("SELECT status, opens_at, closes_at FROM campaigns WHERE id = :campaign_id")


async def campaign_window(conn: AsyncConnection, campaign_id: int) -> CampaignWindow | None:
    row = (await conn.execute(CAMPAIGN_WINDOW, {"campaign_id": campaign_id})).first()
    return None if row is None else CampaignWindow(row[0], row[1], row[2])
