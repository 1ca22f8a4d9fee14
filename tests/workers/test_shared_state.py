"""Several processes, one service: forms, restarts and rate limits across real worker processes.

Before: each process signed respondent forms with its own random key (a form served by one
worker was refused by another, and by the same service after a restart), and counted rate
limits in its own memory (N workers allowed N times the limit).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import psutil
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.passwords import hash_password
from pmp_surveys.responses.models import Response
from tests.api.conftest import PARENT_ANSWERS
from tests.pages.conftest import PARENT_FORM, MakeCampaign, hidden_fields
from tests.workers.conftest import PIDS, serving

SURVEY = "/s/test-parents"


async def _open(base: str) -> tuple[dict[str, str], httpx.Cookies]:
    async with httpx.AsyncClient(base_url=base) as client:
        page = await client.get(SURVEY)
        assert page.status_code == 200
        return hidden_fields(page.text), client.cookies


async def _post(base: str, fields: dict[str, str], cookies: httpx.Cookies) -> int:
    async with httpx.AsyncClient(base_url=base, cookies=cookies) as client:
        r = await client.post(SURVEY, data={**fields, **PARENT_FORM}, follow_redirects=False)
        return r.status_code


async def _count(session: AsyncSession) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(Response)) or 0)


async def test_form_from_one_process_is_stored_by_another_and_after_a_restart(
    database_url: str, session: AsyncSession, make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    await make_campaign()
    with serving(database_url, tmp_path) as one, serving(database_url, tmp_path) as two:
        fields, cookies = await _open(one)
        assert await _post(two, fields, cookies) == 303
        early_fields, early_cookies = await _open(one)
    assert await _count(session) == 1
    # both processes are gone; a new one accepts the form opened before
    with serving(database_url, tmp_path) as again:
        assert await _post(again, early_fields, early_cookies) == 303
    assert await _count(session) == 2
    assert (tmp_path / "secret_key").exists()


async def test_rate_limits_count_across_processes(
    database_url: str, session: AsyncSession, make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    await make_campaign()
    session.add(
        User(
            email="eva@riga.example.lv",
            name="Eva",
            password_hash=hash_password("correct horse battery"),
            role="evaluator",
            municipality="riga",
            active=True,
        )
    )
    await session.commit()
    env = {"PMP_SUBMIT_RATE": "3"}
    with serving(database_url, tmp_path, **env) as one, serving(database_url, tmp_path, **env) as two:
        statuses = []
        for n, base in enumerate([one, two, one, two, one]):
            async with httpx.AsyncClient(base_url=base) as client:
                r = await client.post(
                    "/api/v1/campaigns/test-parents/responses",
                    json={"answers": PARENT_ANSWERS},
                    headers={"Idempotency-Key": f"key-{n}"},
                )
                statuses.append(r.status_code)
                if r.status_code == 429:
                    assert int(r.headers["retry-after"]) >= 1
        assert statuses == [201, 201, 201, 429, 429]

        # 40 concurrent wrong passwords for one account, split over both processes
        async with httpx.AsyncClient(base_url=one) as first:
            page = await first.get("/admin/login")
            token = hidden_fields(page.text)["csrf_token"]
            cookies = first.cookies

        async def attempt(base: str) -> int:
            async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
                r = await client.post(
                    "/admin/login",
                    data={"email": "eva@riga.example.lv", "password": "wrong wrong wrong", "csrf_token": token},
                )
                return r.status_code

        results = Counter(await asyncio.gather(*(attempt(one if n % 2 else two) for n in range(40))))
    assert results[401] == 5 and results[429] == 35, results


async def test_two_uvicorn_workers_on_one_port_store_every_form(
    database_url: str, session: AsyncSession, make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    """The issue's symptom: under `--workers 2`, 18 of 40 respondents got 403."""
    await make_campaign()
    with serving(database_url, tmp_path, PMP_WORKERS="2", PMP_SUBMIT_RATE="0") as base:
        workers = [c for c in psutil.Process(PIDS[base]).children() if "spawn_main" in " ".join(c.cmdline())]
        assert len(workers) == 2
        statuses = []
        for _ in range(40):  # a new connection for each request: the kernel spreads them
            fields, cookies = await _open(base)
            statuses.append(await _post(base, fields, cookies))
    assert statuses == [303] * 40
    assert await _count(session) == 40


async def test_two_granian_workers_on_one_port_store_every_form(
    database_url: str, session: AsyncSession, make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    """`serve --server granian` (PMP_SERVER): the same service under Granian's worker processes."""
    await make_campaign()
    with serving(database_url, tmp_path, PMP_WORKERS="2", PMP_SUBMIT_RATE="0", PMP_SERVER="granian") as base:
        main = psutil.Process(PIDS[base])
        workers = main.children()  # Granian forks its workers from `serve`
        assert len(workers) == 2, [c.cmdline() for c in workers]
        statuses = []
        for _ in range(20):  # a new connection for each request
            fields, cookies = await _open(base)
            statuses.append(await _post(base, fields, cookies))
        async with httpx.AsyncClient(base_url=base) as client:
            api = await client.post(
                "/api/v1/campaigns/test-parents/responses",
                json={"answers": PARENT_ANSWERS},
                headers={"Idempotency-Key": "granian-1"},
            )
    assert statuses == [303] * 20
    assert api.status_code == 201
    assert await _count(session) == 21
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers), "workers stopped"
