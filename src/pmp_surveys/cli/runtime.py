"""Shared by the sub-commands: settings and the database they talk to."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
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


#: Where a running `serve` notes its address, so `users invite` and `demo` print working links.
SERVER_URL_FILE = "server_url"


def record_server_url(settings: Settings) -> Path:
    """Note the running server's base URL in the data folder (removed again when it stops)."""
    path = Path(settings.data_dir) / SERVER_URL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings.base_url + "\n", encoding="utf-8")
    return path


def link_base(settings: Settings, override: str | None = None) -> str:
    """The base of printed links: `--base-url`, else PMP_PUBLIC_URL, else the address a running
    `serve` noted (its real host and port), else http://PMP_HOST:PMP_PORT."""
    if override:
        return override.rstrip("/")
    if settings.public_url:
        return settings.base_url
    try:
        noted = (Path(settings.data_dir) / SERVER_URL_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        noted = ""
    return noted.rstrip("/") if noted.startswith(("http://", "https://")) else settings.base_url


def describe_database(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    assert settings.database_url
    return make_url(settings.database_url).render_as_string(hide_password=True)
