"""Bring a database up to date before a command uses it: schema, instruments, schools."""

from __future__ import annotations

from typing import Any

from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.runtime import run_in_session
from pmp_surveys.db import migrate
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.plans.service import seed_from_files
from pmp_surveys.schools.service import SchoolSeed, sync_schools
from pmp_surveys.settings import Settings


def school_seeds(catalogue: Catalogue) -> list[SchoolSeed]:
    return [
        SchoolSeed(m.code, s.code, s.name, s.students, s.teachers)
        for m in catalogue.municipalities.values()
        for s in m.schools
    ]


def prepare(settings: Settings) -> Catalogue:
    """Bring the database to the current schema and the data files into it (instruments, schools,
    plan catalogue versions); returns the files' catalogue."""
    assert settings.database_url
    migrate.upgrade(settings.database_url, settings.migrations_dir)
    catalogue = load_catalogue(settings.catalogue_dir)
    loaded = load_instrument_dir(settings.surveys_dir)

    async def work(session: Any) -> None:
        await sync_instruments(session, loaded)
        await sync_schools(session, school_seeds(catalogue))
        await seed_from_files(session, settings.catalogue_dir, catalogue)  # new plan versions, if any

    run_in_session(settings, work)
    return catalogue
