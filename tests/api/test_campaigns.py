"""GET /api/v1/campaigns/{slug} and the service's health and schema."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import MakeCampaign


async def test_campaign_in_each_language(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    titles = set()
    for lang in ("lv", "ru", "uk", "en"):
        r = await client.get(f"/api/v1/campaigns/{slug}", params={"lang": lang})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["lang"] == lang
        assert body["campaign"]["accepting_responses"] is True
        assert body["campaign"]["instrument_key"] == "parent-satisfaction"
        titles.add(str(body["instrument"]["title"]))
    assert len(titles) == 4
    default = (await client.get(f"/api/v1/campaigns/{slug}")).json()
    assert default["lang"] == "lv"


async def test_unknown_language_is_422(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    r = await client.get(f"/api/v1/campaigns/{slug}", params={"lang": "de"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "lang"


async def test_drafts_and_unknown_slugs_are_404(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    draft = await make_campaign("a-draft", status="draft")
    assert (await client.get(f"/api/v1/campaigns/{draft}")).status_code == 404
    assert (await client.get("/api/v1/campaigns/nothing-here")).status_code == 404


async def test_healthz_and_openapi(client: AsyncTestClient[Litestar]) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json()["database"] == "ok"
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/campaigns/{slug}/responses" in schema.json()["paths"]
