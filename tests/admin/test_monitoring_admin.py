"""Fieldwork monitoring and admin comfort: running counts per campaign and day (parents too) with
a chart, precision reached vs needed, schools over their head-count flagged, responses without a
school as their own row, coordinator codes capped in total, confirmation before closing, only the
matching distribution method, names instead of codes, Rīga time."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from statsmodels.stats.proportion import proportion_confint

from pmp_surveys.analysis.sample_size import sample_size_for_half_width
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.instruments.coding import build_layout
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import record_from_row
from pmp_surveys.monitoring.chart import daily_chart_svg
from pmp_surveys.monitoring.precision import wilson_half_width
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]
_counter = [0]


async def add_responses(session: AsyncSession, slug: str, days: list[date], school_id: int | None = None) -> None:
    campaign = await session.scalar(select(Campaign).where(Campaign.slug == slug))
    assert campaign is not None
    version = await InstrumentRepository(session).by_id(campaign.instrument_version_id)
    assert version is not None
    layout = build_layout(record_from_row(version).instrument)
    for day in days:
        _counter[0] += 1
        digest = hashlib.sha256(f"{slug}-{_counter[0]}".encode()).digest()
        session.add(
            Response(
                campaign_id=campaign.id,
                instrument_version_id=version.id,
                school_id=school_id,
                submitted_on=day,
                idempotency_key=digest,
                fingerprint=digest,
                codes=[None] * len(layout.codes),
                numbers=[None] * len(layout.numbers) if layout.numbers else None,
            )
        )
    await session.commit()


async def set_campaign(session: AsyncSession, slug: str, **values: object) -> None:
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(**values))
    await session.commit()


def test_wilson_half_width_matches_statsmodels_and_inverts_the_planning() -> None:
    # Independent reference: statsmodels' Wilson interval for 200/400 and 60/100.
    for count, n in ((200, 400), (60, 100)):
        low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
        assert abs((wilson_half_width(count / n, n) or 0) - (high - low) / 2) < 1e-12
    for p in (0.5, 0.7, 0.9):
        needed = sample_size_for_half_width(p, 0.05).n
        assert (wilson_half_width(p, needed) or 1) <= 0.05 < (wilson_half_width(p, needed - 1) or 1)
    assert wilson_half_width(0.5, 0) is None


def test_chart_has_one_bar_per_day_including_gaps() -> None:
    svg = daily_chart_svg([(date(2026, 3, 1), 2), (date(2026, 3, 4), 5)], label="x")
    assert svg.count("<rect") == 4 and "2026-03-02: 0" in svg and 'role="img"' in svg


async def test_parent_counts_move_and_precision_is_shown(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.parents_campaign
    await set_campaign(session, slug, status="open")
    await add_responses(session, slug, [date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 3)])
    use(client, await signed_in(session, world.users["evaluator"]))
    dashboard = await client.get("/admin")
    assert f'href="/admin/campaigns/{slug}/monitor">3<' in dashboard.text
    page = await client.get(f"/admin/campaigns/{slug}/monitor")
    assert page.status_code == 200
    assert '<span class="num" id="total-responses">3</span>' in page.text
    assert "<svg" in page.text and "2026-03-02: 0" in page.text
    assert "R1" in page.text and "vēl apmēram" in page.text  # precision: more answers needed
    assert re.search(r"± \d+,\d p\.p\.", page.text) and not re.search(r"± \d+\.\d p\.p\.", page.text)  # comma
    await add_responses(session, slug, [date(2026, 3, 4)])
    again = await client.get(f"/admin/campaigns/{slug}/monitor")
    assert '<span class="num" id="total-responses">4</span>' in again.text
    listing = await client.get("/admin/campaigns")
    assert "Rīgas valstspilsētas pašvaldība" in listing.text and "Vecāku apmierinātība" in listing.text
    assert ">parent-satisfaction v" not in listing.text
    # a coordinator never sees another school's or the campaign's totals
    use(client, await signed_in(session, world.users["coordinator"]))
    assert (await client.get(f"/admin/campaigns/{slug}/monitor")).status_code in (403, 404)


async def test_rates_flag_over_headcount_and_show_responses_without_school(
    client: Client, world: World, session: AsyncSession
) -> None:
    slug = world.riga.teachers_campaign
    first = world.riga.schools[0]
    await session.execute(update(School).where(School.id == first.id).values(teachers=2))
    await session.commit()
    await set_campaign(session, slug, status="open")
    await add_responses(session, slug, [date(2026, 3, 1)] * 3, school_id=first.id)
    await add_responses(session, slug, [date(2026, 3, 2)] * 2, school_id=None)
    use(client, await signed_in(session, world.users["evaluator"]))
    rates = await client.get(f"/admin/campaigns/{slug}/rates")
    assert 'class="flag">150 %' in rates.text and "vairāk atbilžu nekā pedagogu" in rates.text
    row = rates.text.split('id="without-school"', 1)[1].split("</tr>", 1)[0]
    assert "Bez skolas" in row and '<td class="num">2</td>' in row


async def test_coordinator_codes_are_capped_in_total(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign  # access codes; school 1 has 30 teachers → cap 36
    own = world.riga.schools[0]
    await set_campaign(session, slug, status="open")
    use(client, await signed_in(session, world.users["coordinator"]))
    token = csrf_from((await client.get(f"/admin/campaigns/{slug}/rates")).text)
    url = f"/admin/campaigns/{slug}/schools/{own.id}/codes"
    assert (await client.post(url, data={"csrf_token": token, "count": "30"})).status_code == 200
    over = await client.post(url, data={"csrf_token": token, "count": "30"})
    assert over.status_code == 422 and "vēl var izsniegt ne vairāk kā 6" in over.text
    assert (await client.post(url, data={"csrf_token": token, "count": "6"})).status_code == 200
    assert (await client.post(url, data={"csrf_token": token, "count": "1"})).status_code == 422


async def test_close_needs_confirmation_and_drafts_have_no_close(
    client: Client, world: World, session: AsyncSession
) -> None:
    slug = world.riga.parents_campaign
    use(client, await signed_in(session, world.users["evaluator"]))
    draft = await client.get(f"/admin/campaigns/{slug}")
    assert f'href="/admin/campaigns/{slug}/close"' not in draft.text
    await set_campaign(session, slug, status="open")
    page = await client.get(f"/admin/campaigns/{slug}")
    assert f'href="/admin/campaigns/{slug}/close"' in page.text
    token = csrf_from(page.text)
    unconfirmed = await client.post(f"/admin/campaigns/{slug}/close", data={"csrf_token": token})
    assert unconfirmed.status_code == 303 and unconfirmed.headers["location"].endswith("/close")
    confirm = await client.get(f"/admin/campaigns/{slug}/close")
    assert "Jā, slēgt" in confirm.text
    status = await session.scalar(
        select(Campaign.status).where(Campaign.slug == slug).execution_options(populate_existing=True)
    )
    assert status == "open"
    done = await client.post(f"/admin/campaigns/{slug}/close", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 303


async def test_only_the_matching_distribution_method(client: Client, world: World, session: AsyncSession) -> None:
    slug = world.riga.teachers_campaign  # access codes
    school = world.riga.schools[0]
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get(f"/admin/campaigns/{slug}")
    assert f"/schools/{school.id}/codes" in page.text and f"/schools/{school.id}/link" not in page.text
    token = csrf_from(page.text)
    link = await client.post(f"/admin/campaigns/{slug}/schools/{school.id}/link", data={"csrf_token": token})
    assert link.status_code == 409
    await set_campaign(session, slug, access_mode="school_link")
    page = await client.get(f"/admin/campaigns/{slug}")
    assert f"/schools/{school.id}/link" in page.text and f"/schools/{school.id}/codes" not in page.text
    codes = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes", data={"csrf_token": token, "count": "2"}
    )
    assert codes.status_code == 409


async def test_times_are_riga_time(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get("/admin/campaigns/new")).text)
    created = await client.post(
        "/admin/campaigns",
        data={
            "csrf_token": token,
            "instrument": "parent-satisfaction",
            "wave": "2026",
            "title": "Laiks",
            "audience": "parents",
            "access_mode": "public_link",
            "closes_at": "2026-05-31T23:59",
        },
    )
    assert created.status_code == 303
    campaign = await session.scalar(select(Campaign).where(Campaign.title == "Laiks"))
    assert campaign is not None and campaign.closes_at == datetime(2026, 5, 31, 20, 59, tzinfo=UTC)  # EEST = UTC+3
    shown = await client.get(created.headers["location"])
    assert "2026-05-31 23:59" in shown.text
