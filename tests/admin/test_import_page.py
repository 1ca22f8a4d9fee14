"""The admin page to import responses from another tool: all rows or none, problems by row."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.responses.models import Response
from tests.accounts.fixtures import World, csrf_from, signed_in, use
from tests.responses.test_import import HEADER, odk_row

Client = AsyncTestClient[Litestar]


async def count(session: AsyncSession, slug: str) -> int:
    n = await session.scalar(
        select(func.count())
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(Campaign.slug == slug)
    )
    return int(n or 0)


async def test_upload_odk_csv(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.parents_campaign
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get(f"/admin/campaigns/{slug}/import")
    assert page.status_code == 200
    token = csrf_from(page.text)
    bad = "\n".join([HEADER, odk_row("a1"), odk_row("a2", 9)]) + "\n"
    r = await client.post(
        f"/admin/campaigns/{slug}/import",
        data={"csrf_token": token, "source": "odk", "mode": ""},
        files={"file": ("parents.csv", bad.encode(), "text/csv")},
    )
    assert r.status_code == 422 and 'data-ok="no"' in r.text and "row 3, column `overall_satisfaction`" in r.text
    assert await count(session, slug) == 0
    good = "\n".join([HEADER, odk_row("a1"), odk_row("a2", 5), odk_row("a1")]) + "\n"
    r = await client.post(
        f"/admin/campaigns/{slug}/import",
        data={"csrf_token": token, "source": "odk", "mode": "paper"},
        files={"file": ("parents.csv", good.encode(), "text/csv")},
    )
    assert r.status_code == 200 and "2 responses imported" in r.text and "row 4 skipped: a duplicate of row 2" in r.text
    assert await count(session, slug) == 2
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "responses.import"))
    assert entry is not None and entry.details["imported"] == 2 and entry.details["mode"] == "paper"


async def test_other_municipality_cannot_import(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["other_evaluator"]))
    assert (await client.get(f"/admin/campaigns/{world.riga.parents_campaign}/import")).status_code == 404
