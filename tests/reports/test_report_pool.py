"""Slow reports and evaluations never hold connections that submissions or the admin pages need.

Before: the report pages and the evaluation API took their session from the one shared engine
(PMP_DB_POOL_SIZE connections and as many again of overflow), which also signs people in and
serves every admin page; ten slow reports took all of it and the rest waited. Now they have their
own small engine (PMP_REPORT_POOL_SIZE, no overflow): the others queue behind it.

Behaviour, not timing: over real HTTP (a uvicorn server in a thread), every report blocks on a
lock that the test holds on a table reports read first (``population_margins``, which no
submission touches); while they wait, the test counts the database connections waiting on that
lock (the report connections in use) and checks that submissions, the respondent page, an admin
page and /healthz answer. Then it lets go, and every report and evaluation is whole.
"""

from __future__ import annotations

import asyncio

import httpx
import msgspec
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.app import create_app
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.reports.controllers import report_url
from pmp_surveys.settings import Settings
from tests.accounts.fixtures import World, signed_in
from tests.api.conftest import PARENT_ANSWERS
from tests.live import live_server

_WAITING = text("SELECT count(*) FROM pg_locks WHERE relation = 'population_margins'::regclass AND NOT granted")


async def test_slow_reports_wait_for_each_other_not_for_submissions(
    settings: Settings, world: World, session: AsyncSession, engine: AsyncEngine
) -> None:
    slug = world.riga.parents_campaign
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(status="open"))
    await session.commit()
    signed = await signed_in(session, world.users["evaluator"])
    # Small pools, so that "more requests than connections" is a handful: shared engine 2 + 2
    # overflow, submissions' pool 2, reports 2 (the default).
    app = create_app(msgspec.structs.replace(settings, db_pool_size=2, submit_rate_per_minute=0))
    with live_server(app) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=20, cookies={SESSION_COOKIE: signed.token}) as evaluator,
            httpx.AsyncClient(base_url=base, timeout=20) as public,
            engine.connect() as locker,
        ):
            # Warm up (instrument and campaign caches, first connections) before the lock.
            assert (await evaluator.get(report_url("riga", 2026, fmt="json"))).status_code == 200
            transaction = await locker.begin()
            await locker.execute(text("LOCK TABLE population_margins IN ACCESS EXCLUSIVE MODE"))
            slow = [
                asyncio.create_task(evaluator.get(report_url("riga", 2026, fmt=fmt)))
                for fmt in ("html", "json", "xlsx", "html", "json", "html")
            ] + [
                asyncio.create_task(evaluator.get(f"/api/v1/evaluations/riga/{wave}"))
                for wave in ("2026", "2026.csv", "2026", "2026")
            ]
            try:
                async with engine.connect() as watcher:
                    for _ in range(500):  # until the report connections wait on the lock (≤ 10 s)
                        if await watcher.scalar(_WAITING) >= 2:
                            break
                        await asyncio.sleep(0.02)
                    await asyncio.sleep(0.5)  # time for any more to reach the lock if they could
                    held_before = await watcher.scalar(_WAITING)

                    submissions = [
                        (
                            await public.post(
                                f"/api/v1/campaigns/{slug}/responses",
                                json={"answers": PARENT_ANSWERS},
                                headers={"Idempotency-Key": f"during-reports-{n}"},
                            )
                        ).status_code
                        for n in range(6)
                    ]
                    page = await public.get(f"/s/{slug}")
                    admin = await evaluator.get("/admin/campaigns")
                    health = await public.get("/healthz")
                    held_after = await watcher.scalar(_WAITING)
                    assert not any(task.done() for task in slow), "the lock holds every report"
                await transaction.rollback()
            except BaseException:
                for task in slow:  # a failed assertion must not leave requests behind
                    task.cancel()
                raise
            finished = await asyncio.gather(*slow)

    assert held_before == held_after == 2, "ten reports, two report connections"
    assert submissions == [201] * 6
    assert page.status_code == 200
    assert admin.status_code == 200, admin.text[:200]
    assert health.status_code == 200
    assert [r.status_code for r in finished] == [200] * 10
    assert finished[1].json()["municipality"] == "riga"
    assert finished[7].text.count("\n") > 1  # the CSV evaluation is whole
