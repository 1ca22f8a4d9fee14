"""The submission limit: counted in PostgreSQL per hashed client address, 429 with Retry-After,
retries with the same Idempotency-Key and failed attempts not counted, proxies believed only
when configured."""

from __future__ import annotations

import msgspec
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.app import create_app
from pmp_surveys.settings import Settings
from pmp_surveys.web.clientaddr import client_ip
from tests.api.conftest import PARENT_ANSWERS, MakeCampaign

URL = "/api/v1/campaigns/test-parents/responses"


async def test_limit_counts_stored_answers_only(
    settings: Settings, session: AsyncSession, make_campaign: MakeCampaign
) -> None:
    await make_campaign()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=3))
    async with AsyncTestClient(app=app) as client:
        for n in range(2):
            r = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": f"k{n}"})
            assert r.status_code == 201
        for _ in range(5):  # retries of a stored answer: replays, not counted
            r = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": "k0"})
            assert r.status_code == 201 and r.headers["idempotent-replayed"] == "true"
        for _ in range(5):  # refused input stores nothing: not counted
            r = await client.post(URL, json={"answers": {}}, headers={"Idempotency-Key": "bad"})
            assert r.status_code == 422
        r = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": "k2"})
        assert r.status_code == 201
        r = await client.post(URL, json={"answers": PARENT_ANSWERS}, headers={"Idempotency-Key": "k3"})
        assert r.status_code == 429
        assert r.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(r.headers["retry-after"]) <= 60
    # the address is stored only as a keyed hash
    keys = (await session.execute(text("SELECT key FROM throttles"))).scalars().all()
    assert keys and all(b"127.0.0.1" not in k and b"testclient" not in k for k in keys)


def test_forwarded_for_is_believed_only_from_trusted_proxies() -> None:
    assert client_ip("10.0.0.5", "1.2.3.4", ()) == "10.0.0.5"  # no proxies configured
    assert client_ip("10.0.0.5", "1.2.3.4", ("10.0.0.0/8",)) == "1.2.3.4"
    assert client_ip("8.8.8.8", "1.2.3.4", ("10.0.0.0/8",)) == "8.8.8.8"  # not our proxy
    # a client's forged entries sit left of the address our proxy appended
    assert client_ip("10.0.0.5", "6.6.6.6, 1.2.3.4", ("10.0.0.0/8",)) == "1.2.3.4"
    assert client_ip("10.0.0.5", "1.2.3.4, 10.0.0.7", ("10.0.0.0/8",)) == "1.2.3.4"  # two proxies
    assert client_ip(None, None, ()) == "unknown"


def test_trusted_proxies_setting_is_validated() -> None:
    import pytest

    assert Settings.from_env({"PMP_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}).trusted_proxies == ("10.0.0.0/8", "::1")
    with pytest.raises(ValueError, match="PMP_TRUSTED_PROXIES"):
        Settings.from_env({"PMP_TRUSTED_PROXIES": "proxy.example"})
