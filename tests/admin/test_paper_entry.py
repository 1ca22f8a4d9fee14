"""Keying in paper questionnaires: single entry, double entry with one disagreement, the report."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.reports.repository import ReportRepository
from pmp_surveys.responses.models import Response
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]

#: Codes as printed on the parents' paper form: programme 2 = CAP, recommend 1 = yes, age 4 = 13–17.
SHEET = {
    "programme": "2",
    "overall_satisfaction": "4",
    "aspect_topics": "4",
    "aspect_leader": "5",
    "aspect_atmosphere": "3",
    "aspect_skills": "4",
    "would_recommend": "1",
    "confidence_change": "4",
    "child_age": "4",
}


async def paper_rows(session: AsyncSession, slug: str) -> list[tuple[str, str | None, list[int | None]]]:
    rows = await session.execute(
        select(Response.mode, Response.source, Response.codes)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(Campaign.slug == slug)
        .order_by(Response.id)
        .execution_options(populate_existing=True)
    )
    return [(m, s, list(c)) for m, s, c in rows]


def status_of(html: str) -> str | None:
    m = re.search(r'data-status="(\w+)"', html)
    return None if m is None else m.group(1)


async def test_single_and_double_entry_with_one_disagreement(
    client: Client, world: World, session: AsyncSession
) -> None:
    slug = world.riga.parents_campaign
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(status="closed"))
    await session.commit()
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get(f"/admin/campaigns/{slug}/paper")
    assert page.status_code == 200 and 'id="q-programme"' in page.text and "2 = CAP" in page.text
    token = csrf_from(page.text)
    url = f"/admin/campaigns/{slug}/paper"

    single = await client.post(url, data={"csrf_token": token, "sheet": "1", **SHEET})
    assert single.status_code == 200 and status_of(single.text) == "stored"
    rows = await paper_rows(session, slug)
    assert len(rows) == 1 and rows[0][:2] == ("paper", "paper") and rows[0][2][0] == 2
    again = await client.post(url, data={"csrf_token": token, "sheet": "1", **SHEET})
    assert again.status_code == 422 and "already entered" in again.text

    bad = await client.post(url, data={"csrf_token": token, "sheet": "9", **SHEET, "programme": "7", "child_age": ""})
    assert bad.status_code == 422 and "programme" in bad.text and "child_age" in bad.text
    assert len(await paper_rows(session, slug)) == 1

    double = {"csrf_token": token, "sheet": "2", "double": "1"}
    first = await client.post(url, data={**double, **SHEET})
    assert status_of(first.text) == "first" and len(await paper_rows(session, slug)) == 1
    second = await client.post(url, data={**double, **SHEET, "overall_satisfaction": "5"})
    assert status_of(second.text) == "conflict" and len(await paper_rows(session, slug)) == 1
    table = second.text.split('id="differences"', 1)[1].split("</table>", 1)[0]
    assert "overall_satisfaction" in table and "<td>4</td><td>5</td>" in table and "aspect_topics" not in table

    report = await client.get(f"{url}/report")
    assert report.status_code == 200
    assert re.search(r'id="stored">1<', report.text) and re.search(r'id="disagreed">1<', report.text)
    assert "overall_satisfaction" in report.text.split("</dl>", 1)[1]

    third = await client.post(url, data={**double, **SHEET})  # checked against the paper: 4
    assert status_of(third.text) == "stored"
    rows = await paper_rows(session, slug)
    assert len(rows) == 2 and rows[1][2][1] == 4  # overall_satisfaction as resolved
    report = await client.get(f"{url}/report")
    assert re.search(r'id="stored">2<', report.text) and re.search(r'id="disagreeing">1<', report.text)
    assert "papīra anketas" in report.text or "paper" in report.text
    assert re.search(r"<th scope=\"row\">[^<]*</th><td>2</td>", report.text)  # mode mix: 2 on paper
    # the mid-term report's fieldwork table reads the same mix
    [row] = [c for c in await ReportRepository(session).wave_campaigns("riga", 2026) if c.slug == slug]
    assert row.modes == {"paper": 2} and row.responses == 2


async def test_coordinators_and_other_municipalities_cannot_key_in(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["other_evaluator"]))
    assert (await client.get(f"/admin/campaigns/{world.riga.parents_campaign}/paper")).status_code == 404
    use(client, await signed_in(session, world.users["coordinator"]))
    assert (await client.get(f"/admin/campaigns/{world.riga.teachers_campaign}/paper")).status_code in (403, 404)


async def test_a_school_of_another_municipality_is_refused(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign
    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get(f"/admin/campaigns/{slug}/paper")).text)
    answers = {f"tses_{i:02d}": "7" for i in range(1, 13)}
    answers |= {"support_leadership": "4", "support_colleagues": "4", "learned_identification": "0"}
    answers |= {"attended_supervision": "1", "role": "1", "experience": "2"}
    url = f"/admin/campaigns/{slug}/paper"
    for school in (str(world.bauska.schools[0].id), "999999"):
        r = await client.post(url, data={"csrf_token": token, "sheet": "5", "school": school, **answers})
        assert r.status_code == 422 and "school" in r.text.lower()
    ok = await client.post(
        url, data={"csrf_token": token, "sheet": "5", "school": str(world.riga.schools[0].id), **answers}
    )
    assert status_of(ok.text) == "stored", ok.text[:2000]
    rows = await session.execute(
        select(Response.school_id).join(Campaign, Campaign.id == Response.campaign_id).where(Campaign.slug == slug)
    )
    assert [r[0] for r in rows] == [world.riga.schools[0].id]
