"""Monitoring one campaign: responses per day with a chart, the total, and precision reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.catalogue.schema import Municipality
from pmp_surveys.monitoring import repository
from pmp_surveys.monitoring.chart import daily_chart_svg
from pmp_surveys.monitoring.precision import PrecisionRow, precision_rows


@dataclass(frozen=True)
class CampaignMonitor:
    days: list[tuple[date, int]]
    total: int
    chart: str
    precision: list[PrecisionRow]


async def campaign_monitor(
    session: AsyncSession,
    user: CurrentUser,
    campaign: Campaign,
    instrument_key: str,
    municipality: Municipality | None,
    *,
    chart_label: str,
) -> CampaignMonitor:
    """Counts only (no answers); evaluators of the campaign's municipality and operators."""
    require_evaluator(user, campaign.municipality)
    days = await repository.responses_per_day(session, campaign.id)
    total = sum(n for _, n in days)
    rows = [] if municipality is None else precision_rows(municipality, instrument_key, campaign.wave, total)
    return CampaignMonitor(days=days, total=total, chart=daily_chart_svg(days, label=chart_label), precision=rows)


async def totals(session: AsyncSession, campaign_ids: list[int]) -> dict[int, int]:
    """Responses so far per campaign id (campaigns the caller may already see)."""
    return await repository.response_totals(session, campaign_ids)


async def without_school(session: AsyncSession, campaign_id: int) -> int:
    return await repository.responses_without_school(session, campaign_id)
