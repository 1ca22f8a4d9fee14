"""A database that cannot write: 503 with Retry-After on the API and the pages, /healthz not ok,
and the service heals by itself when the database does (no restart).

The database is made read-only for new sessions (`ALTER DATABASE … SET
default_transaction_read_only`), as an operator or a failover to a standby would; the app is
built after that, so all its connections are read-only ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from pmp_surveys.app import create_app
from pmp_surveys.db.embedded import asyncpg_connect_args
from pmp_surveys.settings import Settings
from tests.api.conftest import PARENT_ANSWERS
from tests.pages.conftest import PARENT_FORM, MakeCampaign, loaded, make_campaign, open_form, post_form

__all__ = ["loaded", "make_campaign"]

URL = "/api/v1/campaigns/test-parents/responses"


@pytest.fixture
async def read_only(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """Yields an admin connection; the test database is read-only for new sessions until the
    test calls `writable` (and, whatever happens, after the test)."""
    name = make_url(database_url).database
    conn = await asyncpg.connect(**asyncpg_connect_args(database_url))
    await conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        yield conn
    finally:
        await conn.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        await conn.close()


async def writable(conn: asyncpg.Connection, database_url: str) -> None:
    await conn.execute(f'ALTER DATABASE "{make_url(database_url).database}" RESET default_transaction_read_only')


async def test_read_only_database_is_a_503_and_heals(
    settings: Settings, database_url: str, make_campaign: MakeCampaign, read_only: asyncpg.Connection
) -> None:
    await make_campaign()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))
    async with AsyncTestClient(app=app) as client:
        api = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": "k1"})
        assert api.status_code == 503, api.text
        assert api.headers["content-type"].startswith("application/problem+json")
        assert int(api.headers["retry-after"]) >= 1
        health = await client.get("/healthz")
        assert health.status_code == 503 and "retry-after" in health.headers

        fields = await open_form(client, "/s/test-parents?lang=en")
        page = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
        assert page.status_code == 503 and int(page.headers["retry-after"]) >= 1
        assert "<html" in page.text

        await writable(read_only, database_url)
        await asyncio.sleep(0.2)  # the pools renew their connections in the background
        for _ in range(3):  # connections opened read-only are replaced after their first failure
            again = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": "k1"})
            if again.status_code == 201:
                break
            await asyncio.sleep(0.5)
        assert again.status_code == 201, again.text
        assert (await client.get("/healthz")).status_code == 200
        stored = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
        assert stored.status_code == 303  # the same form, kept by the browser, is stored now
