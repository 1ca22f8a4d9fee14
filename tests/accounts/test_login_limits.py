"""Sign-in limits: shared in PostgreSQL, atomic under concurrency, growing delays, and no
lock-out of a user's known browser by a stranger."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pmp_surveys.accounts import passwords
from pmp_surveys.db.embedded import asyncpg_connect_args
from pmp_surveys.throttle import repository as throttle
from pmp_surveys.throttle.repository import Rule
from tests.accounts.fixtures import PASSWORD, World, csrf_from

Client = AsyncTestClient[Litestar]
EVA = "eva@riga.example.lv"


@pytest.fixture
async def pg(database_url: str, engine: object) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(**asyncpg_connect_args(database_url))
    yield conn
    await conn.close()


async def test_growing_delay_after_the_limit(pg: asyncpg.Connection) -> None:
    rule = Rule(limit=3, window=900, growing=True)
    key = throttle.subject_key(b"k" * 32, "t", "subject")
    assert [await throttle.reserve(pg, key, rule) for _ in range(4)] == [True, True, True, False]
    assert 1 <= await throttle.retry_after(pg, key, rule) <= 1  # 2^(3-3) s after the last attempt
    await pg.execute("UPDATE throttles SET last_at = last_at - interval '1.5 seconds'")
    assert await throttle.reserve(pg, key, rule)  # one more after the delay ...
    assert not await throttle.reserve(pg, key, rule)
    assert await throttle.retry_after(pg, key, rule) == 2  # ... and the next delay doubles
    await pg.execute("UPDATE throttles SET window_start = window_start - interval '901 seconds'")
    assert await throttle.reserve(pg, key, rule)  # a new window starts afresh
    assert await pg.fetchval("SELECT hits FROM throttles WHERE key = $1", key) == 1
    # no subject in clear
    assert await pg.fetchval("SELECT count(*) FROM throttles WHERE position('subject'::bytea in key) > 0") == 0


async def test_fixed_window_without_growing(pg: asyncpg.Connection) -> None:
    rule = Rule(limit=2, window=60)
    key = throttle.subject_key(b"k" * 32, "t", "x")
    assert [await throttle.reserve(pg, key, rule) for _ in range(3)] == [True, True, False]
    await pg.execute("UPDATE throttles SET last_at = last_at - interval '30 seconds'")
    assert not await throttle.reserve(pg, key, rule)
    assert 50 <= await throttle.retry_after(pg, key, rule) <= 60


async def _try(client: Client, token: str, password: str) -> int:
    r = await client.post("/admin/login", data={"email": EVA, "password": password, "csrf_token": token})
    return r.status_code


async def test_forty_concurrent_wrong_passwords_check_at_most_five(client: Client, world: World) -> None:
    """Before: all 40 were checked against the limit of 5 (each read the count before any wrote)."""
    checked = 0
    real = passwords.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        nonlocal checked
        checked += 1
        return real(password_hash, password)

    page = await client.get("/admin/login")
    token = csrf_from(page.text)
    passwords.verify_password = counting  # type: ignore[assignment]
    try:
        statuses = Counter(await asyncio.gather(*(_try(client, token, "wrong wrong wrong") for _ in range(40))))
    finally:
        passwords.verify_password = real  # type: ignore[assignment]
    assert statuses[401] == 5 and statuses[429] == 35, statuses
    assert checked == 5


async def test_a_stranger_cannot_lock_out_a_known_browser(client: Client, world: World) -> None:
    page = await client.get("/admin/login")
    assert await _try(client, csrf_from(page.text), PASSWORD) == 303  # the user's browser is now known
    device = client.cookies.get("pmp_admin_device")
    assert device
    client.cookies.clear()  # another browser (in these tests, from the same address)
    page = await client.get("/admin/login")
    token = csrf_from(page.text)
    results = [await _try(client, token, "guess guess guess") for _ in range(7)]
    assert results[:5] == [401] * 5 and set(results[5:]) == {429}  # the stranger is slowed down
    client.cookies.set("pmp_admin_device", device, path="/admin")
    assert await _try(client, token, PASSWORD) == 303  # the user is not
