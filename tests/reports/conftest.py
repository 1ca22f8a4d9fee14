"""Report fixtures: the real catalogue and instruments, demo data in PostgreSQL, and small
hand-made waves (pure, no database) for suppression."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.prepare import school_seeds
from pmp_surveys.indicators.extract import VersionPart, WaveResponses, response_schema
from pmp_surveys.instruments.coding import build_layout
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.schools.service import sync_schools
from pmp_surveys.settings import project_root
from tests.accounts.fixtures import client, world

__all__ = ["client", "world"]

ROOT = project_root()
CHROMIUM = Path("/usr/bin/chromium")
#: Screenshots of the rendered report are kept here (PMP_SCREENSHOTS overrides).
SCREENSHOTS = Path(os.environ.get("PMP_SCREENSHOTS") or ROOT / ".pmp" / "screenshots" / "reports")


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM}; run scripts/browser-deps"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "analysis")


@pytest.fixture(scope="session")
def instruments(surveys_dir: Path) -> dict[str, Instrument]:
    return {loaded.key: loaded.instrument for loaded in load_instrument_dir(surveys_dir)}


@pytest.fixture
async def demo_data(session: AsyncSession, surveys_dir: Path, catalogue: Catalogue) -> Catalogue:
    """Instruments, schools and the synthetic demo (closed baseline waves, 2026 waves, figures)."""
    from pmp_surveys.demo.seed import seed

    await sync_instruments(session, load_instrument_dir(surveys_dir))
    await sync_schools(session, school_seeds(catalogue))
    await session.commit()
    await seed(session, catalogue)
    await session.commit()
    return catalogue


def wave(instrument: Instrument, year: int, answers: Sequence[dict[str, int | None]]) -> WaveResponses:
    """A wave of one instrument version from coded answers (variable name → stored code)."""
    layout = build_layout(instrument)
    schema = response_schema(layout)
    rows = []
    for given in answers:
        row: dict[str, int | float | None] = {name: None for name in schema}
        row["campaign_id"] = 1
        row.update(given)
        rows.append(row)
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    part = VersionPart(instrument_version_id=1, version=instrument.version, instrument=instrument, frame=frame)
    return WaveResponses(instrument_key=instrument.key, wave=year, parts=(part,))
