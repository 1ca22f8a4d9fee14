"""Slow export downloads never hold database connections that submissions need.

Before: the CSV was streamed straight from a server-side cursor on a connection of the
submissions' pool, held until the client had read the last byte; ten slow downloads emptied
the pool. Now the file is written to a spooled temporary file from the exports' own small pool,
and the connection is back before the first byte is sent.
"""

from __future__ import annotations

import httpx
import msgspec
import pytest

from pmp_surveys.app import create_app
from pmp_surveys.settings import Settings
from pmp_surveys.web.context import context_from
from tests.live import live_server

from .conftest import TEACHER, Arrange, SignIn


@pytest.fixture
async def teachers(arrange: Arrange) -> str:
    c = await arrange.campaign("slow-teachers", "teacher-self-efficacy")
    school = await arrange.school("skola-a")
    await arrange.respond(c, TEACHER, school=school, times=6)
    return c.slug


async def test_unread_downloads_hold_no_connection(settings: Settings, teachers: str, sign_in: SignIn) -> None:
    cookies = await sign_in("evaluator", "bauska")
    app = create_app(msgspec.structs.replace(settings, db_pool_size=3, export_pool_size=1))
    ctx = context_from(app.state)
    with live_server(app) as base:
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as client:
            slow = []
            for _ in range(6):  # more downloads than either pool has connections
                request = client.build_request("GET", f"/api/v1/exports/campaigns/{teachers}/responses.csv")
                response = await client.send(request, stream=True)
                assert response.status_code == 200
                slow.append(response)  # headers read, body left unread: a slow client
            assert ctx.export_pool is not None and ctx.pool is not None
            assert ctx.export_pool.get_idle_size() == ctx.export_pool.get_size()  # nothing held
            assert ctx.pool.get_size() - ctx.pool.get_idle_size() == 0
            health = await client.get("/healthz")
            assert health.status_code == 200
            for response in slow:
                body = await response.aread()
                assert body.count(b"\n") == 6  # header + 5 released rows (steps of k = 5): each download is whole
                await response.aclose()
