"""Arrange helpers for the demo tests: instruments and catalogue schools loaded, demo seeded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.prepare import school_seeds
from pmp_surveys.demo.seed import SeedReport, seed
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.schools.service import sync_schools
from pmp_surveys.settings import project_root

#: A fixed "today" so generated field dates do not depend on when the tests run.
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(project_root() / "analysis")


@pytest.fixture
async def prepared(session: AsyncSession, surveys_dir: Path, catalogue: Catalogue) -> None:
    """What `serve` does before the demo: instruments and catalogue schools in the database."""
    await sync_instruments(session, load_instrument_dir(surveys_dir))
    await sync_schools(session, school_seeds(catalogue))
    await session.commit()


@pytest.fixture
async def seeded(session: AsyncSession, prepared: None, catalogue: Catalogue) -> SeedReport:
    report = await seed(session, catalogue, today=TODAY)
    await session.commit()
    return report
