"""Arrange helpers for the respondent pages: instruments loaded, campaigns, schools, form posts."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import load_and_sync
from pmp_surveys.schools.models import School

MakeCampaign = Callable[..., Awaitable[Campaign]]

PARENT_FORM: dict[str, str] = {
    "programme": "bea",
    "overall_satisfaction": "5",
    "aspect_topics": "4",
    "aspect_leader": "5",
    "aspect_atmosphere": "4",
    "aspect_skills": "3",
    "would_recommend": "yes",
    "confidence_change": "4",
    "child_age": "age_4_7",
}

TEACHER_FORM: dict[str, str] = {
    **{f"tses_{i:02d}": str(1 + i % 9) for i in range(1, 13)},
    "support_leadership": "4",
    "support_colleagues": "3",
    "learned_identification": "no",
    "attended_supervision": "yes",
    "role": "class_teacher",
    "experience": "years_6_15",
}

HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)">')


def hidden_fields(html: str) -> dict[str, str]:
    return {m["name"]: m["value"] for m in HIDDEN.finditer(html)}


async def open_form(client: AsyncClient, url: str) -> dict[str, str]:
    """GET the page and return its hidden fields (CSRF token, one-time key, language)."""
    page = await client.get(url)
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text)
    assert "_csrf" in fields, page.text
    return fields


async def post_form(client: AsyncClient, url: str, fields: dict[str, Any]) -> Response:
    return await client.post(url, data=fields, follow_redirects=False)


@pytest.fixture
async def loaded(session: AsyncSession, surveys_dir: Any) -> None:
    await load_and_sync(session, surveys_dir)
    await session.commit()


@pytest.fixture
async def make_campaign(session: AsyncSession, loaded: None) -> MakeCampaign:
    async def make(
        slug: str = "test-parents",
        *,
        instrument: str = "parent-satisfaction",
        municipality: str = "riga",
        status: str = "open",
        audience: str = "parents",
        access_mode: str = "public_link",
        opens_in: timedelta | None = None,
        closed_ago: timedelta | None = None,
    ) -> Campaign:
        version = await InstrumentRepository(session).latest(instrument)
        assert version is not None
        now = datetime.now(UTC)
        campaign = Campaign(
            slug=slug,
            municipality=municipality,
            instrument_version_id=version.id,
            wave=2026,
            title=f"Test {slug}",
            status=status,
            audience=audience,
            access_mode=access_mode,
            opens_at=(now + opens_in) if opens_in else None,
            closes_at=(now - closed_ago) if closed_ago else None,
        )
        session.add(campaign)
        await session.commit()
        return campaign

    return make


@pytest.fixture
async def make_school(session: AsyncSession) -> Callable[..., Awaitable[School]]:
    async def make(code: str = "s1", *, municipality: str = "riga", teachers: int | None = 20) -> School:
        school = School(municipality=municipality, code=code, name=f"School {code}", teachers=teachers)
        session.add(school)
        await session.commit()
        return school

    return make
