"""Arrange helpers for API tests: instruments loaded, campaigns in any state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import sync_instruments

MakeCampaign = Callable[..., Awaitable[str]]

PARENT_ANSWERS: dict[str, Any] = {
    "programme": "bea",
    "overall_satisfaction": 5,
    "aspect_topics": 4,
    "aspect_leader": 5,
    "aspect_atmosphere": 4,
    "aspect_skills": 3,
    "would_recommend": "yes",
    "confidence_change": 4,
    "child_age": "age_4_7",
}


@pytest.fixture
async def loaded(session: AsyncSession, surveys_dir: Path) -> None:
    await sync_instruments(session, load_instrument_dir(surveys_dir))
    await session.commit()


@pytest.fixture
async def make_campaign(session: AsyncSession, loaded: None) -> MakeCampaign:
    async def make(
        slug: str = "test-parents",
        *,
        instrument: str = "parent-satisfaction",
        municipality: str = "riga",
        status: str = "open",
        opens_in: timedelta | None = None,
        closed_ago: timedelta | None = None,
        audience: str = "parents",
    ) -> str:
        version = await InstrumentRepository(session).latest(instrument)
        assert version is not None
        now = datetime.now(UTC)
        session.add(
            Campaign(
                slug=slug,
                municipality=municipality,
                instrument_version_id=version.id,
                wave=2026,
                title=f"Test {slug}",
                status=status,
                audience=audience,
                access_mode="public_link",
                opens_at=(now + opens_in) if opens_in else None,
                closes_at=(now - closed_ago) if closed_ago else None,
            )
        )
        await session.commit()
        return slug

    return make
