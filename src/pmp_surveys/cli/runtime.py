"""Shared by the sub-commands: settings and the database they talk to."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.db.embedded import ensure_database, start_embedded
from pmp_surveys.db.engine import create_engine, session_factory
from pmp_surveys.settings import Settings

T = TypeVar("T")

EMBEDDED_DATABASE = "pmp"


def settings_with_database() -> Settings:
    """Settings from the environment; without PMP_DATABASE_URL, start the embedded server."""
    settings = Settings.from_env()
    if settings.database_url:
        return settings
    url = start_embedded(settings.data_dir)
    return settings.with_database(ensure_database(url, EMBEDDED_DATABASE))


def run_in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction, committed if it returns."""

    async def go() -> T:
        assert settings.database_url
        engine = create_engine(settings.database_url, pool_size=2)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def describe_database(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    assert settings.database_url
    return make_url(settings.database_url).render_as_string(hide_password=True)
