"""Submission latency while a burst of failed sign-ins is being checked (argon2 off the loop).

    .venv/bin/python benchmarks/signin_burst.py [--burst 20] [--submissions 60]

One uvicorn worker of the product on a fresh database. First the idle submission latency
(sequential submissions), then the same while `--burst` concurrent wrong-password sign-ins for
distinct e-mails from distinct addresses (X-Forwarded-For, believed from 127.0.0.1 here) keep
argon2 busy. Prints p50/p90 of both and their ratio; also /healthz latency during the burst.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.submissions import ANSWERS, admin, free_port, prepare, start, stop  # noqa: E402
from pmp_surveys.db import migrate  # noqa: E402
from pmp_surveys.db.embedded import start_embedded  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def submissions(client: httpx.AsyncClient, n: int, stop_when: asyncio.Event | None = None) -> list[float]:
    times = []
    for _ in range(n):
        if stop_when is not None and stop_when.is_set():
            break
        t = time.perf_counter()
        r = await client.post(
            "/api/v1/campaigns/bench/responses",
            json={"answers": ANSWERS},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == 201, r.text
        times.append((time.perf_counter() - t) * 1000)
    return times


async def burst(base: str, size: int) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        page = await client.get("/admin/login")
        found = CSRF.search(page.text)
        assert found
        token = found.group(1)
        t = time.perf_counter()

        async def one(n: int) -> int:
            r = await client.post(
                "/admin/login",
                data={"email": f"nobody{n}@bench.lv", "password": "wrong wrong wrong", "csrf_token": token},
                headers={"X-Forwarded-For": f"198.51.100.{n % 250}"},
            )
            return r.status_code

        statuses = await asyncio.gather(*(one(n) for n in range(size)))
        assert set(statuses) == {401}, statuses
        return time.perf_counter() - t


async def measure(base: str, size: int, count: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await submissions(client, 10)  # warm-up
        idle = await submissions(client, count)
        done = asyncio.Event()
        task = asyncio.create_task(burst(base, size))
        task.add_done_callback(lambda _: done.set())
        await asyncio.sleep(0.1)
        busy = await submissions(client, count, done)
        health = []
        while not done.is_set():
            t = time.perf_counter()
            await client.get("/healthz")
            health.append((time.perf_counter() - t) * 1000)
        seconds = await task
    p50_idle, p50_busy = statistics.median(idle), statistics.median(busy)
    print(f"sign-in burst: {size} failed sign-ins took {seconds:.1f} s")
    print(f"submission p50 idle {p50_idle:.1f} ms, during the burst {p50_busy:.1f} ms ({len(busy)} submissions)")
    print(f"ratio busy/idle: {p50_busy / p50_idle:.2f}")
    if health:
        print(f"/healthz p50 during the rest of the burst: {statistics.median(health):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=60)
    args = parser.parse_args()
    import os

    server = os.environ.get("PMP_DATABASE_URL") or start_embedded(ROOT / ".pmp")
    name = f"pmp_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin(server, f'CREATE DATABASE "{name}"'))
    db_url = make_url(server).set(database=name).render_as_string(hide_password=False)
    proc = None
    try:
        migrate.upgrade(db_url, ROOT / "migrations")
        asyncio.run(prepare(db_url))
        port = free_port()
        env = {"PMP_DATABASE_URL": db_url, "PMP_SUBMIT_RATE": "0", "PMP_TRUSTED_PROXIES": "127.0.0.1"}
        cmd = [sys.executable, "-m", "uvicorn", "--log-level", "warning", "--no-access-log", "--factory"]
        proc = start([*cmd, "pmp_surveys.app:app_from_env", "--port", str(port)], env, port)
        asyncio.run(measure(f"http://127.0.0.1:{port}", args.burst, args.submissions))
        return 0
    finally:
        if proc is not None:
            stop(proc)
        asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
