"""Arrange helpers for export tests: campaigns with hand-made responses, an asyncpg connection,
and signed-in users for the HTTP tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.service import start_session
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.db.embedded import asyncpg_connect_args
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import VersionRecord, record_from_row, sync_instruments
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School

AUDIENCE = {"parent-satisfaction": "parents", "resident-perception": "residents", "teacher-self-efficacy": "teachers"}

PARENT: dict[str, Any] = {
    "programme": "cap",
    "overall_satisfaction": 4,
    "aspect_topics": 4,
    "aspect_leader": 5,
    "aspect_atmosphere": 3,
    "aspect_skills": 4,
    "would_recommend": "yes",
    "confidence_change": 4,
    "child_age": "age_13_17",
}
RESIDENT: dict[str, Any] = {"aware": "yes", "services_known": ["career", "youth_centres"], "availability_rating": 4}
RESIDENT |= {"school_age_children": "no", "age_band": "age_35_44"}
TEACHER: dict[str, Any] = {f"tses_{i:02d}": 7 for i in range(1, 13)}
TEACHER |= {"support_leadership": 4, "support_colleagues": 5, "learned_identification": "no"}
TEACHER |= {"attended_supervision": "yes", "role": "class_teacher", "experience": "years_6_15"}


class Arrange:
    """Creates campaigns, schools and responses through one session (committed on each call)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.records: dict[str, VersionRecord] = {}
        self.n = 0

    async def record(self, key: str) -> VersionRecord:
        if key not in self.records:
            row = await InstrumentRepository(self.session).latest(key)
            assert row is not None
            self.records[key] = record_from_row(row)
        return self.records[key]

    async def campaign(
        self, slug: str, key: str = "parent-satisfaction", *, municipality: str = "bauska", wave: int = 2026
    ) -> Campaign:
        record = await self.record(key)
        campaign = Campaign(
            slug=slug,
            municipality=municipality,
            instrument_version_id=record.id,
            wave=wave,
            title=f"Test {slug}",
            status="open",
            audience=AUDIENCE[key],
            access_mode="public_link",
        )
        self.session.add(campaign)
        await self.session.commit()
        return campaign

    async def school(self, code: str, municipality: str = "bauska", teachers: int = 20) -> School:
        school = School(municipality=municipality, code=code, name=f"Skola {code}", teachers=teachers)
        self.session.add(school)
        await self.session.commit()
        return school

    async def respond(
        self,
        campaign: Campaign,
        answers: dict[str, Any],
        *,
        school: School | None = None,
        day: dt.date = dt.date(2026, 10, 15),
        times: int = 1,
    ) -> None:
        record = self.records[next(k for k, v in AUDIENCE.items() if v == campaign.audience)]
        coded = record.validator.validate(answers)
        for _ in range(times):
            self.n += 1
            self.session.add(
                Response(
                    campaign_id=campaign.id,
                    instrument_version_id=campaign.instrument_version_id,
                    school_id=None if school is None else school.id,
                    submitted_on=day,
                    idempotency_key=hashlib.sha256(f"k{self.n}".encode()).digest(),
                    fingerprint=coded.fingerprint,
                    codes=list(coded.codes),
                    numbers=list(coded.numbers) or None,
                    texts=dict(coded.texts) or None,
                )
            )
        await self.session.commit()


@pytest.fixture
async def arrange(session: AsyncSession, surveys_dir: Path) -> Arrange:
    await sync_instruments(session, load_instrument_dir(surveys_dir))
    await session.commit()
    return Arrange(session)


@pytest.fixture
async def pg(database_url: str, engine: Any) -> AsyncIterator[asyncpg.Connection]:
    """A plain asyncpg connection (tests open the read-only snapshot the export paths use)."""
    conn = await asyncpg.connect(**asyncpg_connect_args(database_url))
    try:
        yield conn
    finally:
        await conn.close()


SignIn = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture
def sign_in(session: AsyncSession) -> SignIn:
    """Create a user and a session; returns the cookie to send."""

    async def make(
        role: str = "evaluator", municipality: str | None = "bauska", school_id: int | None = None
    ) -> dict[str, str]:
        from pmp_surveys.accounts.auth import SESSION_COOKIE

        user = User(
            email=f"{role}-{municipality}-{school_id}@example.test",
            name=f"Test {role}",
            password_hash="not-a-hash",
            role=role,
            municipality=municipality,
            school_id=school_id,
            active=True,
        )
        session.add(user)
        await session.flush()
        token = await start_session(session, user)
        await session.commit()
        return {SESSION_COOKIE: token}

    return make
