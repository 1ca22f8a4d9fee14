"""Test fixtures: a real PostgreSQL with the migrations applied, each test isolated.

The server is the embedded one (started from the pip wheel in `.pmp/test`) unless
`PMP_TEST_DATABASE_URL` names another, e.g. `postgresql+asyncpg://postgres@127.0.0.1:5432/test`.
Each test run creates its own database and drops it at the end; after each test that touched
the database every table is truncated, so tests see committed data (as the app does) and
still cannot see each other's.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from pmp_surveys.app import create_app
from pmp_surveys.db import migrate
from pmp_surveys.db.embedded import asyncpg_connect_args, start_embedded
from pmp_surveys.settings import Settings, project_root

ROOT = project_root()


def _server_url() -> str:
    configured = os.environ.get("PMP_TEST_DATABASE_URL")
    if configured:
        return configured
    return start_embedded(ROOT / ".pmp" / "test")


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    args = asyncpg_connect_args(url)
    args["database"] = "postgres"
    conn = await asyncpg.connect(**args)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this test run, migrated to head."""
    from sqlalchemy.engine import make_url

    server = _server_url()
    name = f"pmp_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url, ROOT / "migrations")
    yield url
    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings.from_env({}, root=ROOT).with_database(database_url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    # Isolation: empty every table the test may have written to.
    async with engine.begin() as conn:
        tables = (
            (
                await conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
            )
            .scalars()
            .all()
        )
        if tables:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for arranging and inspecting data; commit explicitly to make it visible."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
async def app(settings: Settings, engine: AsyncEngine) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture(scope="session")
def surveys_dir() -> Path:
    return ROOT / "surveys"
