"""SQL for campaigns."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.instruments.models import InstrumentVersion


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_slug(self, slug: str) -> Campaign | None:
        return (await self.session.scalars(select(Campaign).where(Campaign.slug == slug))).first()

    async def with_version(self, slug: str) -> tuple[Campaign, InstrumentVersion] | None:
        row = (
            await self.session.execute(
                select(Campaign, InstrumentVersion)
                .join(InstrumentVersion, InstrumentVersion.id == Campaign.instrument_version_id)
                .where(Campaign.slug == slug)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def for_municipality(self, municipality: str | None) -> Sequence[tuple[Campaign, InstrumentVersion]]:
        query = select(Campaign, InstrumentVersion).join(
            InstrumentVersion, InstrumentVersion.id == Campaign.instrument_version_id
        )
        if municipality is not None:
            query = query.where(Campaign.municipality == municipality)
        rows = await self.session.execute(query.order_by(Campaign.wave.desc(), Campaign.slug))
        return [(r[0], r[1]) for r in rows]

    async def add(self, campaign: Campaign) -> Campaign:
        self.session.add(campaign)
        await self.session.flush()
        return campaign
