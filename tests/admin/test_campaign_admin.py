"""Campaigns from the admin pages and the admin API: create, open, close, distribute, rates; audit."""

from __future__ import annotations

from datetime import UTC

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.campaigns.models import Campaign
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]


async def campaign(session: AsyncSession, slug: str) -> Campaign:
    found = await session.scalar(
        select(Campaign).where(Campaign.slug == slug).execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def audit_actions(session: AsyncSession) -> list[tuple[str, str | None, str]]:
    rows = await session.execute(select(AuditEntry.action, AuditEntry.municipality, AuditEntry.object_id))
    return [(a, m, o) for a, m, o in rows]


async def test_evaluator_creates_opens_and_closes_a_campaign_on_pages(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    form = await client.get("/admin/campaigns/new")
    assert form.status_code == 200
    token = csrf_from(form.text)
    bad = await client.post(
        "/admin/campaigns",
        data={"csrf_token": token, "instrument": "parent-satisfaction", "title": "Vecāki", "wave": "1999",
              "audience": "parents", "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-01T08:00"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "Vilnis ir gads no 2000 līdz 2100." in bad.text and 'value="Vecāki"' in bad.text
    assert "Slēgšanas laikam jābūt pēc atvēršanas laika." in bad.text

    made = await client.post(
        "/admin/campaigns",
        data={"csrf_token": token, "instrument": "parent-satisfaction", "title": "Vecāku aptauja 2026",
              "wave": "2026", "audience": "parents", "access_mode": "public_link", "municipality": "bauska",
              "opens_at": "2026-03-01T08:00"},
    )  # fmt: skip
    assert made.status_code == 303
    slug = made.headers["location"].rsplit("/", 1)[-1]
    created = await campaign(session, slug)
    # an evaluator's campaign is always in their own municipality
    assert created.municipality == "riga" and created.status == "draft"
    # typed in Rīga time: 08:00 on 1 March (EET, UTC+2) is 06:00 UTC
    assert created.opens_at is not None and created.opens_at.utcoffset() is not None
    assert created.opens_at.astimezone(UTC).hour == 6

    page = await client.get(f"/admin/campaigns/{slug}")
    assert page.status_code == 200
    assert f"/s/{slug}/qr.svg" in page.text and f"/s/{slug}" in page.text
    assert (await client.post(f"/admin/campaigns/{slug}/open", data={"csrf_token": token})).status_code == 303
    assert (await campaign(session, slug)).status == "open"
    assert (
        await client.post(f"/admin/campaigns/{slug}/close", data={"csrf_token": token, "confirm": "yes"})
    ).status_code == 303
    assert (await campaign(session, slug)).status == "closed"
    reopen = await client.post(f"/admin/campaigns/{slug}/open", data={"csrf_token": token})
    assert reopen.status_code == 409

    actions = await audit_actions(session)
    assert [a for a in actions if a[2] == slug] == [
        ("campaign.create", "riga", slug),
        ("campaign.open", "riga", slug),
        ("campaign.close", "riga", slug),
    ]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.open"))
    assert entry is not None and entry.user_id == world.users["evaluator"].id and entry.at is not None
    assert entry.details == {"from": "draft", "to": "open"}


async def test_admin_api_campaigns(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    listed = (await client.get("/api/v1/admin/campaigns")).json()
    assert {c["slug"] for c in listed} == {world.riga.teachers_campaign, world.riga.parents_campaign}

    body = {"municipality": "riga", "instrument": "resident-perception", "wave": 2026, "title": "Iedzīvotāji",
            "audience": "residents"}  # fmt: skip
    created = await client.post("/api/v1/admin/campaigns", json=body)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    assert created.json()["status"] == "draft"

    other = await client.post("/api/v1/admin/campaigns", json={**body, "municipality": "bauska"})
    assert other.status_code == 404
    invalid = await client.post("/api/v1/admin/campaigns", json={**body, "wave": 1900, "instrument": "nope"})
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} == {"wave", "instrument"}
    unknown_field = await client.post("/api/v1/admin/campaigns", json={**body, "colour": "red"})
    assert unknown_field.status_code == 400

    opened = await client.post(f"/api/v1/admin/campaigns/{slug}/open")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    closed = await client.post(f"/api/v1/admin/campaigns/{slug}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = await client.post(f"/api/v1/admin/campaigns/{slug}/open")
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert [a for a, _, o in await audit_actions(session) if o == slug] == [
        "campaign.create",
        "campaign.open",
        "campaign.close",
    ]


async def test_operator_sees_and_creates_everywhere(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["operator"]))
    assert len((await client.get("/api/v1/admin/campaigns")).json()) == 4
    only = (await client.get("/api/v1/admin/campaigns", params={"municipality": "bauska"})).json()
    assert {c["municipality"] for c in only} == {"bauska"}
    body = {"municipality": "bauska", "instrument": "parent-satisfaction", "wave": 2026, "title": "B",
            "audience": "parents"}  # fmt: skip
    assert (await client.post("/api/v1/admin/campaigns", json=body)).status_code == 201
    unknown = await client.post("/api/v1/admin/campaigns", json={**body, "municipality": "atlantis"})
    assert unknown.status_code == 422


async def test_codes_links_and_rates(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign
    school = world.riga.schools[0]
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get(f"/admin/campaigns/{slug}")
    assert page.status_code == 200 and school.name in page.text
    token = csrf_from(page.text)
    # a code campaign gives out codes only (its school link would open a page that answers 404)
    refused = await client.post(f"/admin/campaigns/{slug}/schools/{school.id}/link", data={"csrf_token": token})
    assert refused.status_code == 409
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(access_mode="school_link"))
    await session.commit()
    link = await client.post(f"/admin/campaigns/{slug}/schools/{school.id}/link", data={"csrf_token": token})
    assert link.status_code == 200 and f"/s/{slug}/" in link.text
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(access_mode="access_code"))
    await session.commit()
    sheet = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes", data={"csrf_token": token, "count": "3"}
    )
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    csv = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes",
        data={"csrf_token": token, "count": "2", "format": "csv"},
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    too_many = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes", data={"csrf_token": token, "count": "5000"}
    )
    assert too_many.status_code == 422
    # a Bauska school cannot be given codes for a Rīga campaign
    foreign = world.bauska.schools[0]
    cross = await client.post(
        f"/admin/campaigns/{slug}/schools/{foreign.id}/codes", data={"csrf_token": token, "count": "1"}
    )
    assert cross.status_code == 404
    actions = [a for a, _, _ in await audit_actions(session)]
    assert actions.count("codes.issue") == 2 and actions.count("link.ensure") == 1

    rates = await client.get(f"/admin/campaigns/{slug}/rates")
    assert rates.status_code == 200
    assert world.riga.schools[0].name in rates.text and world.riga.schools[1].name in rates.text
    assert '<td class="num">5</td>' in rates.text  # codes issued to school 1

    api = (await client.get(f"/api/v1/admin/campaigns/{slug}/rates")).json()
    assert [(r["code"], r["codes_issued"]) for r in api] == [("riga-s1", 5), ("riga-s2", 0)]

    use(client, await signed_in(session, world.users["coordinator"]))
    assert [r["code"] for r in (await client.get(f"/api/v1/admin/campaigns/{slug}/rates")).json()] == ["riga-s1"]
    own = await client.get(f"/admin/campaigns/{slug}/rates")
    assert own.status_code == 200
    assert world.riga.schools[0].name in own.text and world.riga.schools[1].name not in own.text


async def test_api_writes_from_another_site_are_refused(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    slug = world.riga.parents_campaign
    cross = await client.post(f"/api/v1/admin/campaigns/{slug}/open", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert (await campaign(session, slug)).status == "draft"
    same = await client.post(f"/api/v1/admin/campaigns/{slug}/open", headers={"Origin": "http://testserver.local"})
    assert same.status_code == 200


async def test_language_toggle_and_coordinator_dashboard(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["coordinator"]))
    lv = await client.get("/admin")
    assert lv.status_code == 200 and 'lang="lv"' in lv.text and "Pārskats" in lv.text
    switch = await client.get("/admin/lang/en", params={"next": "https://evil.example/"})
    assert switch.status_code == 303 and switch.headers["location"] == "/admin"
    en = await client.get("/admin")
    assert 'lang="en"' in en.text and "Dashboard" in en.text
    # coordinators get no links to schools, users or the audit log
    assert "/admin/schools" not in en.text and "/admin/audit" not in en.text


async def test_language_toggle_keeps_the_whole_address(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["operator"]))
    page = await client.get("/admin/schools", params={"municipality": "bauska", "saved": "ok"})
    assert 'href="/admin/lang/en?next=/admin/schools%3Fmunicipality%3Dbauska%26saved%3Dok"' in page.text
    switch = await client.get("/admin/lang/en", params={"next": "/admin/schools?municipality=bauska&saved=ok"})
    assert switch.headers["location"] == "/admin/schools?municipality=bauska&saved=ok"


async def test_dashboard_links_the_evaluators_own_reports_only(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get("/admin")
    assert page.status_code == 200
    assert "/admin/reports/riga/2026?lang=lv&amp;format=html" in page.text
    assert "/admin/reports/riga/2026?lang=lv&amp;format=xlsx" in page.text
    assert "/admin/reports/bauska/" not in page.text
    use(client, await signed_in(session, world.users["coordinator"]))
    assert "/admin/reports/" not in (await client.get("/admin")).text


async def test_demo_campaign_title_in_the_admin_language(client: Client, world: World, session: AsyncSession) -> None:
    """The demo seed stores its titles in English; a Latvian page names the demo survey in Latvian."""
    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get("/admin/campaigns/new")).text)
    english = "DEMO (synthetic data) — parents survey 2026, Riga"
    made = await client.post(
        "/admin/campaigns",
        data={"csrf_token": token, "instrument": "parent-satisfaction", "title": english,
              "wave": "2026", "audience": "parents", "access_mode": "public_link"},
    )  # fmt: skip
    assert made.status_code == 303
    page = (await client.get(made.headers["location"])).text
    assert "DEMO (sintētiski dati) — vecāku aptauja 2026" in page and english not in page
    listing = (await client.get("/admin/campaigns")).text
    assert "DEMO (sintētiski dati) — vecāku aptauja 2026" in listing and english not in listing
    client.cookies.set("pmp_admin_lang", "en")
    assert english in (await client.get(made.headers["location"])).text
