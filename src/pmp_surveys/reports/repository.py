"""SQL for the report: the wave's campaigns with their fieldwork dates and response counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["CampaignRow", "ReportRepository"]


@dataclass(frozen=True)
class CampaignRow:
    id: int
    slug: str
    title: str
    status: str
    audience: str
    instrument_key: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    responses: int
    #: Responses by collection mode (web, paper, tablet, phone, other).
    modes: dict[str, int] = field(default_factory=dict)


_CAMPAIGNS = text(
    """
    SELECT c.id, c.slug, c.title, c.status, c.audience, v.key, c.opens_at, c.closes_at,
           (SELECT count(*) FROM responses AS r WHERE r.campaign_id = c.id) AS responses,
           (SELECT coalesce(jsonb_object_agg(m.mode, m.n), '{}'::jsonb)
              FROM (SELECT r.mode, count(*) AS n FROM responses AS r WHERE r.campaign_id = c.id GROUP BY r.mode) AS m
           ) AS modes
      FROM campaigns AS c
      JOIN instrument_versions AS v ON v.id = c.instrument_version_id
     WHERE c.municipality = :municipality AND c.wave = :wave AND c.status <> 'draft'
     ORDER BY v.key, c.id
    """
)


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def wave_campaigns(self, municipality: str, wave: int) -> list[CampaignRow]:
        """Every non-draft campaign of the wave (the ones the evaluation reads)."""
        rows = await self.session.execute(_CAMPAIGNS, {"municipality": municipality, "wave": wave})
        return [CampaignRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]), dict(r[9])) for r in rows]
