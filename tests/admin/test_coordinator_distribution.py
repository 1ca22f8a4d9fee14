"""School coordinators distribute the teacher questionnaire for their own school (DESIGN §2):
the school's link or a capped batch of single-use codes, on the rates page, through the same
routes evaluators use; never another school's, another municipality's or a closed campaign's."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.admin.i18n import LANG_COOKIE
from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.distribution.models import AccessCode, SchoolLink
from pmp_surveys.distribution.service import coordinator_batch_cap
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School
from tests.accounts.fixtures import World, csrf_from, signed_in, use
from tests.pages.conftest import TEACHER_FORM, hidden_fields, open_form, post_form

Client = AsyncTestClient[Litestar]
CODE = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}\b")


async def set_campaign(session: AsyncSession, slug: str, **values: object) -> None:
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(**values))
    await session.commit()


async def set_teachers(session: AsyncSession, school_id: int, teachers: int | None) -> None:
    await session.execute(update(School).where(School.id == school_id).values(teachers=teachers))
    await session.commit()


async def count(session: AsyncSession, table: type[AccessCode] | type[SchoolLink], school_id: int) -> int:
    found = await session.scalar(select(func.count()).select_from(table).where(table.school_id == school_id))
    return int(found or 0)


async def entries_by(session: AsyncSession, user_id: int) -> list[tuple[str, str | None, str, str, dict[str, Any]]]:
    """(action, municipality, object type, object id, details) of the user's audit entries, oldest first."""
    rows = await session.execute(
        select(
            AuditEntry.action,
            AuditEntry.municipality,
            AuditEntry.object_type,
            AuditEntry.object_id,
            AuditEntry.details,
        )
        .where(AuditEntry.user_id == user_id)
        .order_by(AuditEntry.id)
    )
    return [tuple(r) for r in rows]


async def coordinator_page(client: Client, session: AsyncSession, world: World, slug: str) -> tuple[str, str]:
    """Sign the coordinator in and open the campaign's rates page: (html, CSRF token)."""
    use(client, await signed_in(session, world.users["coordinator"]))
    page = await client.get(f"/admin/campaigns/{slug}/rates")
    assert page.status_code == 200, page.text
    return page.text, csrf_from(page.text)


def test_the_cap_is_the_head_count_plus_a_fifth_or_200() -> None:
    assert [coordinator_batch_cap(n) for n in (1, 5, 7, 30, 100)] == [2, 6, 9, 36, 120]
    assert coordinator_batch_cap(None) == coordinator_batch_cap(0) == 200
    assert coordinator_batch_cap(100_000) == 2000


async def test_coordinator_issues_codes_that_work_at_the_survey(
    client: Client, world: World, session: AsyncSession
) -> None:
    slug = world.riga.teachers_campaign  # access codes
    own = world.riga.schools[0]
    await set_campaign(session, slug, status="open")
    html, token = await coordinator_page(client, session, world, slug)
    assert "Izplatīšana jūsu skolā" in html and f"/admin/campaigns/{slug}/schools/{own.id}/codes" in html
    assert 'max="36"' in html and "pedagogu skaits (30) + 20 %" in html
    assert world.riga.schools[1].name not in html and f"/schools/{world.riga.schools[1].id}/" not in html

    sheet = await client.post(
        f"/admin/campaigns/{slug}/schools/{own.id}/codes", data={"csrf_token": token, "count": "3"}
    )
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert sheet.headers["cache-control"] == "no-store"
    sheet_codes = sorted(set(CODE.findall(sheet.text)))
    assert len(sheet_codes) == 3 and own.name in sheet.text and f"/s/{slug}" in sheet.text

    csv = await client.post(
        f"/admin/campaigns/{slug}/schools/{own.id}/codes", data={"csrf_token": token, "count": "2", "format": "csv"}
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f'filename="codes-{slug}-{own.code}.csv"' in csv.headers["content-disposition"]
    lines = csv.text.strip().splitlines()
    assert lines[0] == "\ufeffcode,link,school,survey"  # the BOM: Excel reads UTF-8 and len(lines) == 3
    csv_codes = [line.split(",")[0] for line in lines[1:]]
    assert all(CODE.fullmatch(c) for c in csv_codes) and not set(csv_codes) & set(sheet_codes)
    assert await count(session, AccessCode, own.id) == 5

    # every issuance is in the audit log, as for evaluators
    entries = await entries_by(session, world.users["coordinator"].id)
    assert entries == [
        ("codes.issue", "riga", "campaign", slug, {"school_id": own.id, "count": 3}),
        ("codes.issue", "riga", "campaign", slug, {"school_id": own.id, "count": 2}),
    ]

    # a teacher redeems one code on the survey pages; the response counts for the school
    use(client, None)
    code_page = await client.get(f"/s/{slug}")
    assert code_page.status_code == 200 and 'name="code"' in code_page.text
    entered = await post_form(client, f"/s/{slug}/code", {**hidden_fields(code_page.text), "code": csv_codes[0]})
    assert entered.status_code == 303, entered.text
    fields = await open_form(client, f"/s/{slug}")
    done = await post_form(client, f"/s/{slug}", {**fields, **TEACHER_FORM})
    assert done.status_code == 303 and "/thanks" in done.headers["location"], done.text
    assert (await session.scalars(select(Response.school_id))).all() == [own.id]
    used = await session.scalar(select(func.count()).select_from(AccessCode).where(AccessCode.used))
    assert used == 1

    # the coordinator's rates page counts it
    html, _ = await coordinator_page(client, session, world, slug)
    assert '<td class="num">1</td>' in html and '<td class="num">5</td>' in html


async def test_a_batch_over_the_cap_is_a_clear_form_error(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign
    own = world.riga.schools[0]
    url = f"/admin/campaigns/{slug}/schools/{own.id}/codes"
    _, token = await coordinator_page(client, session, world, slug)

    over = await client.post(url, data={"csrf_token": token, "count": "37", "format": "csv"})
    assert over.status_code == 422 and over.headers["content-type"].startswith("text/html")
    assert "Vienā reizē var izsniegt 1–36 kodu: jūsu skolas pedagogu skaits + 20 %." in over.text
    assert 'value="37"' in over.text and 'aria-invalid="true"' in over.text
    assert '<option value="csv" selected>' in over.text and f'action="{url}"' in over.text
    for bad in ("0", "-1", "lots"):
        assert (await client.post(url, data={"csrf_token": token, "count": bad})).status_code == 422
    assert "Ievadiet veselu skaitli." in (await client.post(url, data={"csrf_token": token, "count": "x"})).text

    client.cookies.set(LANG_COOKIE, "en")
    english = await client.post(url, data={"csrf_token": token, "count": "37"})
    assert english.status_code == 422
    assert "You can issue 1–36 codes at a time: your school&#39;s 30 teachers + 20%." in english.text

    # head-count unknown: at most 200, and the message says why
    await set_teachers(session, own.id, None)
    unknown = await client.post(url, data={"csrf_token": token, "count": "201"})
    assert unknown.status_code == 422 and "head-count is unknown" in unknown.text
    client.cookies.set(LANG_COOKIE, "lv")
    unknown_lv = await client.post(url, data={"csrf_token": token, "count": "201"})
    assert "Kamēr skolas pedagogu skaits nav zināms, vienā reizē var izsniegt 1–200 kodu" in unknown_lv.text
    assert await count(session, AccessCode, own.id) == 0
    assert await entries_by(session, world.users["coordinator"].id) == []
    assert (await client.post(url, data={"csrf_token": token, "count": "200"})).status_code == 200
    assert await count(session, AccessCode, own.id) == 200

    # the cap is the coordinator's: an evaluator may issue a bigger batch
    await set_teachers(session, own.id, 30)
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get(f"/admin/campaigns/{slug}")
    issued = await client.post(url, data={"csrf_token": csrf_from(page.text), "count": "37"})
    assert issued.status_code == 200


@pytest.mark.parametrize("route", ["codes", "link"])
async def test_coordinator_gets_404_beyond_their_own_school(
    client: Client, world: World, session: AsyncSession, route: str
) -> None:
    _, token = await coordinator_page(client, session, world, world.riga.teachers_campaign)
    data = {"csrf_token": token, "count": "1"}
    other = world.riga.schools[1]
    targets = [
        (world.riga.teachers_campaign, other.id),  # another school of Rīga
        (world.riga.teachers_campaign, world.bauska.schools[0].id),  # a school of Bauska
        (world.bauska.teachers_campaign, world.bauska.schools[0].id),  # Bauska's campaign
        (world.bauska.teachers_campaign, world.riga.schools[0].id),  # Bauska's campaign, own school
        (world.riga.parents_campaign, world.riga.schools[0].id),  # not a teacher campaign
        ("no-such-campaign", world.riga.schools[0].id),
    ]
    for slug, school_id in targets:
        refused = await client.post(f"/admin/campaigns/{slug}/schools/{school_id}/{route}", data=data)
        assert refused.status_code == 404, (slug, school_id, refused.text)
    for school in (*world.riga.schools, *world.bauska.schools):
        assert await count(session, AccessCode, school.id) == 0
        assert await count(session, SchoolLink, school.id) == 0
    assert await entries_by(session, world.users["coordinator"].id) == []
    # still no campaign page, no open/close, no schools, users or audit pages
    slug = world.riga.teachers_campaign
    assert (await client.get(f"/admin/campaigns/{slug}")).status_code == 403
    for action in ("open", "close"):
        assert (await client.post(f"/admin/campaigns/{slug}/{action}", data=data)).status_code in (403, 404)
    for page in ("/admin/schools", "/admin/users", "/admin/audit"):
        assert (await client.get(page)).status_code in (403, 404), page


async def test_a_closed_campaign_is_refused(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign
    own = world.riga.schools[0]
    await set_campaign(session, slug, status="closed")
    html, token = await coordinator_page(client, session, world, slug)
    assert "Aptauja ir slēgta: saites un kodus vairs neizsniedz." in html
    assert f"/schools/{own.id}/codes" not in html and f"/schools/{own.id}/link" not in html
    for route in ("codes", "link"):
        refused = await client.post(
            f"/admin/campaigns/{slug}/schools/{own.id}/{route}", data={"csrf_token": token, "count": "1"}
        )
        assert refused.status_code == 409 and "Aptauja ir slēgta" in refused.text
    # closed by its closing time, too
    await set_campaign(session, slug, status="open", closes_at=datetime.now(UTC) - timedelta(minutes=1))
    late = await client.post(
        f"/admin/campaigns/{slug}/schools/{own.id}/codes", data={"csrf_token": token, "count": "1"}
    )
    assert late.status_code == 409
    assert await count(session, AccessCode, own.id) == 0 and await count(session, SchoolLink, own.id) == 0
    assert await entries_by(session, world.users["coordinator"].id) == []


async def test_coordinator_gets_the_school_link_and_its_qr_code(
    client: Client, world: World, session: AsyncSession
) -> None:
    slug = world.riga.teachers_campaign
    own = world.riga.schools[0]
    await set_campaign(session, slug, access_mode="school_link", status="open")
    html, token = await coordinator_page(client, session, world, slug)
    assert f'action="/admin/campaigns/{slug}/schools/{own.id}/link"' in html and "/codes" not in html

    made = await client.post(f"/admin/campaigns/{slug}/schools/{own.id}/link", data={"csrf_token": token})
    assert made.status_code == 200
    link = await session.scalar(select(SchoolLink).where(SchoolLink.school_id == own.id))
    assert link is not None
    assert f"/s/{slug}/{link.token}" in made.text and f"/s/{slug}/{link.token}/qr.svg" in made.text
    assert f'href="/admin/campaigns/{slug}/rates#distribute"' in made.text
    svg = await client.get(f"/s/{slug}/{link.token}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    # once made, the rates page shows the link and its QR code directly
    html, _ = await coordinator_page(client, session, world, slug)
    assert f"/s/{slug}/{link.token}/qr.svg" in html and world.riga.schools[1].name not in html
    entries = await entries_by(session, world.users["coordinator"].id)
    assert entries == [("link.ensure", "riga", "school_link", f"{slug}/{own.id}", {})]
