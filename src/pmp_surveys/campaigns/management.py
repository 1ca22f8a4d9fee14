"""Campaign management for signed-in users: the same rules for admin pages and the admin API.

Every change is checked against the user's role and municipality and written to the audit log.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator, require_municipality
from pmp_surveys.audit.service import record
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.campaigns.repository import CampaignRepository
from pmp_surveys.campaigns.schemas import CampaignCreate, CampaignRead
from pmp_surveys.campaigns.service import create_campaign, set_status, to_read
from pmp_surveys.errors import NotFound
from pmp_surveys.instruments.models import InstrumentVersion


def _coordinator_may_see(user: CurrentUser, campaign: Campaign) -> bool:
    """Coordinators follow their school's teacher campaigns only."""
    return user.role != "coordinator" or campaign.audience == "teachers"


async def campaigns_for(
    session: AsyncSession, user: CurrentUser, municipality: str | None = None
) -> list[tuple[Campaign, CampaignRead]]:
    """Campaigns the user may see, newest wave first; operators may filter by municipality."""
    scope = municipality if user.is_operator else user.municipality
    rows = await CampaignRepository(session).for_municipality(scope)
    return [(c, to_read(c, v)) for c, v in rows if _coordinator_may_see(user, c)]


async def campaign_for(session: AsyncSession, user: CurrentUser, slug: str) -> tuple[Campaign, InstrumentVersion]:
    """One campaign, or NotFound if it does not exist or belongs to another municipality."""
    found = await CampaignRepository(session).with_version(slug)
    if found is None:
        raise NotFound("No campaign has this link.", code="campaign_not_found")
    require_municipality(user, found[0].municipality)
    if not _coordinator_may_see(user, found[0]):
        raise NotFound("No campaign has this link.", code="campaign_not_found")
    return found


async def create_campaign_for(
    session: AsyncSession, user: CurrentUser, data: CampaignCreate, *, known_municipalities: Collection[str]
) -> Campaign:
    """Evaluators create drafts in their own municipality; operators anywhere."""
    require_evaluator(user, data.municipality)
    campaign = await create_campaign(session, data, known_municipalities=known_municipalities)
    await record(
        session,
        user,
        "campaign.create",
        "campaign",
        campaign.slug,
        campaign.municipality,
        {
            "instrument": data.instrument,
            "wave": data.wave,
            "title": data.title,
            "audience": data.audience,
            "access_mode": data.access_mode,
            "opens_at": None if data.opens_at is None else data.opens_at.isoformat(),
            "closes_at": None if data.closes_at is None else data.closes_at.isoformat(),
        },
    )
    return campaign


async def change_status_for(
    session: AsyncSession, user: CurrentUser, slug: str, status: Literal["open", "closed"]
) -> Campaign:
    """Open or close a campaign of the user's municipality."""
    campaign, _ = await campaign_for(session, user, slug)
    require_evaluator(user, campaign.municipality)
    before = campaign.status
    campaign = await set_status(session, slug, status)
    await record(
        session,
        user,
        "campaign.open" if status == "open" else "campaign.close",
        "campaign",
        slug,
        campaign.municipality,
        {"from": before, "to": campaign.status},
    )
    return campaign
