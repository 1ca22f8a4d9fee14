"""Arrange helpers for the indicator evaluation: the real catalogue, instruments, schools, campaigns
and responses with known counts, written straight into PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.prepare import school_seeds
from pmp_surveys.instruments.coding import DONT_KNOW_CODE, build_layout
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import record_from_row, sync_instruments
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.service import sync_schools
from pmp_surveys.settings import project_root

ROOT = project_root()

#: One answer set: variable name → stored code (None = blank).
Answers = dict[str, int | None]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "analysis")


@dataclass
class Seeder:
    session: AsyncSession
    counter: int = 0

    async def instrument(self, key: str) -> tuple[int, Instrument]:
        version = await InstrumentRepository(self.session).latest(key)
        assert version is not None
        return version.id, record_from_row(version).instrument

    async def campaign(self, municipality: str, key: str, wave: int, audience: str = "parents") -> int:
        version_id, _ = await self.instrument(key)
        self.counter += 1
        campaign = Campaign(
            slug=f"t-{municipality}-{key}-{wave}-{self.counter}",
            municipality=municipality,
            instrument_version_id=version_id,
            wave=wave,
            title="test",
            status="closed",
            audience=audience,
            access_mode="public_link",
        )
        self.session.add(campaign)
        await self.session.flush()
        return campaign.id

    async def responses(
        self,
        municipality: str,
        key: str,
        wave: int,
        answers: Sequence[Answers],
        *,
        school_ids: Sequence[int | None] | None = None,
    ) -> int:
        """Store one response per answer set in a new campaign; returns the campaign id."""
        campaign_id = await self.campaign(municipality, key, wave)
        version_id, instrument = await self.instrument(key)
        layout = build_layout(instrument)
        for i, given in enumerate(answers):
            codes: list[int | None] = [None] * len(layout.codes)
            for name, code in given.items():
                codes[layout.code_index(name)] = code
            self.counter += 1
            digest = hashlib.sha256(f"{campaign_id}-{self.counter}".encode()).digest()
            self.session.add(
                Response(
                    campaign_id=campaign_id,
                    instrument_version_id=version_id,
                    school_id=None if school_ids is None else school_ids[i],
                    submitted_on=date(wave, 3, 1),
                    idempotency_key=digest,
                    fingerprint=digest,
                    codes=codes,
                    numbers=[None] * len(layout.numbers) if layout.numbers else None,
                )
            )
        await self.session.flush()
        return campaign_id


def repeat(answer: Answers, times: int) -> list[Answers]:
    return [dict(answer) for _ in range(times)]


DK = DONT_KNOW_CODE


@pytest.fixture
async def seeded(session: AsyncSession, surveys_dir: Path, catalogue: Catalogue) -> Seeder:
    """Instruments loaded and the catalogue's schools stored; nothing else."""
    await sync_instruments(session, load_instrument_dir(surveys_dir))
    await sync_schools(session, school_seeds(catalogue))
    await session.commit()
    return Seeder(session)


def share_answers(variable: str, counts: dict[int | None, int]) -> list[Answers]:
    """`counts` maps a stored code (None = blank) to how many respondents gave it."""
    out: list[Answers] = []
    for code, times in counts.items():
        out.extend(repeat({variable: code}, times))
    return out
