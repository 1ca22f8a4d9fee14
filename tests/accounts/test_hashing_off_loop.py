"""Password hashing never blocks the event loop: during a burst of failed sign-ins, argon2 runs
in worker threads, at most HASH_CONCURRENCY at a time, and submissions are answered meanwhile.

Behaviour, not timing: over real HTTP (a uvicorn server in a thread), the test records whether
verifications ran on an event loop's thread, how many ran at once, and how many submissions
completed while verifications were in progress (none can while argon2 blocks the loop). The
latency figures come from `benchmarks/signin_burst.py` (README, Speed).
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

import httpx
import msgspec
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts import passwords
from pmp_surveys.app import create_app
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.settings import Settings
from tests.accounts.fixtures import World, csrf_from
from tests.api.conftest import PARENT_ANSWERS
from tests.live import live_server


async def test_sign_in_burst_hashes_in_threads_and_submissions_go_on(
    settings: Settings, world: World, session: AsyncSession
) -> None:
    real = passwords.verify_password
    lock = threading.Lock()
    in_flight = peak = on_a_loop = 0

    def observed(password_hash: str | None, password: str) -> bool:
        nonlocal in_flight, peak, on_a_loop
        try:
            asyncio.get_running_loop()
            on_a_loop += 1  # called on an event loop's thread: it would block it
        except RuntimeError:
            pass
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            time.sleep(0.3)  # a slow machine's argon2
            return real(password_hash, password)
        finally:
            with lock:
                in_flight -= 1

    slug = world.riga.parents_campaign
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(status="open"))
    await session.commit()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))
    answered_during_hashing = 0
    with live_server(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            token = csrf_from((await client.get("/admin/login")).text)

            async def sign_in(n: int) -> int:
                r = await client.post(
                    "/admin/login",
                    data={"email": f"nobody{n}@x.lv", "password": "wrong wrong wrong", "csrf_token": token},
                )
                return r.status_code

            async def submit(n: int) -> int:
                nonlocal answered_during_hashing
                r = await client.post(
                    f"/api/v1/campaigns/{slug}/responses",
                    json={"answers": PARENT_ANSWERS},
                    headers={"Idempotency-Key": f"burst-{n}"},
                )
                if in_flight:
                    answered_during_hashing += 1
                return r.status_code

            passwords.verify_password = observed  # type: ignore[assignment]
            try:
                burst = asyncio.gather(*(sign_in(n) for n in range(8)))
                for _ in range(1000):  # until the first verification has started (at most 10 s)
                    if in_flight:
                        break
                    await asyncio.sleep(0.01)
                other = [await submit(n) for n in range(10)]
                statuses = await burst
            finally:
                passwords.verify_password = real  # type: ignore[assignment]
    assert statuses == [401] * 8
    assert other == [201] * 10
    assert on_a_loop == 0
    assert peak == passwords.HASH_CONCURRENCY
    assert answered_during_hashing >= 5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")
async def test_hashing_threads_yield_the_cpu_to_the_event_loop() -> None:
    """The hashing threads run at niceness 19, so on two cores a burst of sign-ins takes the
    CPU only when submissions leave it (the burst benchmark: 4.2x → 2.5x the idle p50)."""

    def own_niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert await passwords._in_thread(own_niceness) == passwords.HASH_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) != passwords.HASH_NICENESS  # not the loop's
