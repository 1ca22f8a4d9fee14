"""SQL for responses. The submission is one statement: campaign check and insert together.

Folding the "is the campaign open" test into the INSERT makes it atomic (a campaign closed a
millisecond earlier cannot take the answer) and keeps the hot path at one round trip in
autocommit, so the acknowledgement is sent only after the row is durable. These functions take
an asyncpg connection or pool (`db.pg.Executor`); pass a connection inside a transaction when
the insert must be atomic with other writes (for example redeeming an access code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pmp_surveys.db.pg import Executor

INSERT_IF_OPEN = """
    INSERT INTO responses (campaign_id, instrument_version_id, school_id, submitted_on,
                           idempotency_key, fingerprint, codes, numbers, texts)
    SELECT c.id, c.instrument_version_id, $2, (now() AT TIME ZONE 'Europe/Riga')::date,
           $3, $4, $5::int2[], $6::float8[], $7::jsonb
      FROM campaigns AS c
     WHERE c.id = $1
       AND c.status = 'open'
       AND (c.opens_at IS NULL OR c.opens_at <= now())
       AND (c.closes_at IS NULL OR c.closes_at > now())
    ON CONFLICT (campaign_id, idempotency_key) DO NOTHING
    RETURNING submitted_on
"""

FIND_BY_KEY = "SELECT fingerprint, submitted_on FROM responses WHERE campaign_id = $1 AND idempotency_key = $2"

CAMPAIGN_IDENTITY = "SELECT id, instrument_version_id, municipality, access_mode FROM campaigns WHERE slug = $1"

CAMPAIGN_WINDOW = "SELECT status, opens_at, closes_at FROM campaigns WHERE id = $1"


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


async def campaign_identity(db: Executor, slug: str) -> CampaignIdentity | None:
    row = await db.fetchrow(CAMPAIGN_IDENTITY, slug)
    return None if row is None else CampaignIdentity(row[0], row[1], row[2], row[3])


async def campaign_window(db: Executor, campaign_id: int) -> CampaignWindow | None:
    row = await db.fetchrow(CAMPAIGN_WINDOW, campaign_id)
    return None if row is None else CampaignWindow(row[0], row[1], row[2])


async def insert_if_open(
    db: Executor,
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
    row = await db.fetchrow(INSERT_IF_OPEN, campaign_id, school_id, key, fingerprint, codes, numbers, texts)
    return None if row is None else row[0]


async def find_by_key(db: Executor, campaign_id: int, key: bytes) -> StoredResponse | None:
    row = await db.fetchrow(FIND_BY_KEY, campaign_id, key)
    return None if row is None else StoredResponse(bytes(row[0]), row[1])
