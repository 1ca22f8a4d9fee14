"""An evaluator does the evaluation's data work in headless Chromium: uploads figures (a bad file,
then a good one), enters population margins and sees R2 become weighted, watches a parent count
move while a parent answers on a phone, closes a campaign after the confirmation page; every
admin page reflows at 320 px and passes axe-core."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.passwords import hash_password
from tests.browser.conftest import axe_violations, screenshot
from tests.indicators.conftest import Seeder
from tests.pages.conftest import PARENT_FORM, MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "Vērtētāja-parole-2026"
HEADER = "municipality,indicator,year,numerator,denominator\n"


async def evaluator(browser: Any, live_server: str, session: AsyncSession, width: int = 1280) -> tuple[Any, Any]:
    email = f"eva-{uuid.uuid4().hex[:8]}@riga.example.lv"
    session.add(
        User(
            email=email,
            name="Eva",
            password_hash=hash_password(PASSWORD),
            role="evaluator",
            municipality="riga",
            active=True,
        )
    )
    await session.commit()
    context = await browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.goto(f"{live_server}/")  # the front door leads to the sign-in
    assert "/admin/login" in page.url
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/admin")
    return context, page


async def test_figures_upload_bad_then_good_and_one_figure(
    browser: Any, live_server: str, session: AsyncSession, loaded: None
) -> None:
    context, page = await evaluator(browser, live_server, session)
    await page.click("nav >> text=Administratīvie dati")
    await page.wait_for_url("**/admin/figures")
    assert await axe_violations(page) == []
    bad = HEADER + "riga,R3,2026,abc,900\nbauska,B3,2026,1,2\n"
    await page.set_input_files("#file", {"name": "viis.csv", "mimeType": "text/csv", "buffer": bad.encode()})
    await page.click("text=Pārbaudīt")
    problems = page.locator("#problems tbody tr")
    assert await problems.count() == 2
    listed = await page.locator("#problems").inner_text()
    assert "Ierakstiet skaitu, piemēram, 42" in listed and "Write a count" not in listed  # Latvian page
    assert await axe_violations(page) == []
    await screenshot(page, "figures-problems")
    good = HEADER + "riga,R3,2025,520,900\nriga,R4,2025,30,900\n"
    await page.set_input_files("#file", {"name": "viis-good.csv", "mimeType": "text/csv", "buffer": good.encode()})
    await page.click("text=Pārbaudīt")
    await page.click("text=Saglabāt visas 2 rindas")
    await page.wait_for_url("**/admin/figures?**")
    assert "Saglabātas 2 rindas (2 jaunas, 0 aizstātas)." in await page.locator("[role=status]").inner_text()
    assert "viis-good.csv" in await page.locator("#uploads").inner_text()
    # correct one figure by hand
    await page.select_option("#one-indicator", "R3")
    await page.fill("#one-year", "2025")
    await page.fill("#one-numerator", "530")
    await page.fill("#one-denominator", "900")
    await page.click("#one-title ~ form button[type=submit]")
    await page.wait_for_url("**/admin/figures?**")
    stored = await page.locator("#stored-figures").inner_text()
    assert "530" in stored and "520" not in stored
    assert await axe_violations(page) == []
    await context.close()


async def test_margins_make_r2_weighted(browser: Any, live_server: str, session: AsyncSession, loaded: None) -> None:
    answers = [{"availability_rating": 5, "sex": 1}] * 30 + [{"availability_rating": 1, "sex": 2}] * 30
    await Seeder(session).responses("riga", "resident-perception", 2026, answers)
    await session.commit()
    context, page = await evaluator(browser, live_server, session)

    async def r2() -> dict[str, Any]:
        await page.goto(f"{live_server}/api/v1/evaluations/riga/2026")
        body = json.loads(await page.locator("body").inner_text())
        return next(r for r in body["indicators"] if r["code"] == "R2")

    assert (await r2())["design_used"] == "simple"
    await page.goto(f"{live_server}/admin/margins")
    assert await axe_violations(page) == []
    await page.fill("#source", "CSP IRD060, 2025-01-01")
    await page.fill("#csv_text", "sex,population\nfemale,600\nmale,400\n")
    await page.click("form[action='/admin/margins'] button[type=submit]")
    await page.wait_for_url("**/admin/margins?**")
    assert "CSP IRD060" in await page.locator("main").inner_text()
    weighted = await r2()
    assert weighted["design_used"] == "weighted" and abs(weighted["value"] - 0.6) < 1e-9  # 600/1000 say 5
    await context.close()


async def test_parent_count_moves_and_close_is_confirmed(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = f"parents-{uuid.uuid4().hex[:8]}"
    await make_campaign(slug)
    context, page = await evaluator(browser, live_server, session)
    await page.click(f"a[href='/admin/campaigns/{slug}/monitor']")
    await page.wait_for_url(f"**/admin/campaigns/{slug}/monitor")
    assert await page.locator("#total-responses").inner_text() == "0"
    assert await axe_violations(page) == []

    phone = await browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    parent = await phone.new_page()
    await parent.goto(f"{live_server}/s/{slug}")
    for question, value in PARENT_FORM.items():
        await parent.click(f"label[for='q-{question}-{value}']")
    await parent.click("button.button[type=submit]")
    await parent.wait_for_url(f"**/s/{slug}/thanks**")
    await phone.close()

    await page.reload()
    assert await page.locator("#total-responses").inner_text() == "1"
    assert await page.locator("svg.chart rect").count() == 1
    await screenshot(page, "monitor-parents")

    await page.goto(f"{live_server}/admin/campaigns/{slug}")
    await page.click(f"a[href='/admin/campaigns/{slug}/close']")
    await page.wait_for_url(f"**/admin/campaigns/{slug}/close")
    assert await axe_violations(page) == []
    await page.click("text=Atcelt")
    await page.wait_for_url(f"**/admin/campaigns/{slug}")
    await page.click(f"a[href='/admin/campaigns/{slug}/close']")
    await page.click("text=Jā, slēgt")
    await page.wait_for_url(f"**/admin/campaigns/{slug}")
    assert "slēgta" in (await page.locator(".badge").inner_text()).lower()
    assert await page.locator(f"a[href='/admin/campaigns/{slug}/close']").count() == 0
    await context.close()


async def test_admin_pages_reflow_at_320_px(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = f"teachers-{uuid.uuid4().hex[:8]}"
    await make_campaign(slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code")
    context, page = await evaluator(browser, live_server, session, width=320)
    paths = [
        "/admin",
        "/admin/campaigns",
        f"/admin/campaigns/{slug}",
        f"/admin/campaigns/{slug}/rates",
        f"/admin/campaigns/{slug}/monitor",
        "/admin/campaigns/new",
        "/admin/schools",
        "/admin/figures",
        "/admin/margins",
        "/admin/users",
        "/admin/audit",
    ]
    wide = {}
    for path in paths:
        await page.goto(f"{live_server}{path}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert wide == {}
    # the focus ring is dark, not amber (#f0b400 is 1.87:1 on white)
    await page.goto(f"{live_server}/admin/figures")
    await page.focus("#one-year")
    colour = await page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert colour == "rgb(27, 31, 35)"
    await context.close()


async def test_activity_table_is_in_the_report(
    browser: Any, live_server: str, session: AsyncSession, loaded: None
) -> None:
    context, page = await evaluator(browser, live_server, session)
    await page.click("nav >> text=Pasākumi")
    await page.wait_for_url("**/admin/activities")
    assert await axe_violations(page) == []
    await page.fill("#a-year", "2026")
    await page.fill("#a-goal", "Mazināt PMP risku")
    await page.fill("#a-activity", "Supervīzijas pedagogiem")
    await page.fill("#a-funding", "12 000 EUR")
    await page.fill("#a-achieved", "46 % pedagogu")
    await page.fill("#a-item", "teacher-self-efficacy:attended_supervision")
    await page.click("#activity-form button[type=submit]")
    await page.wait_for_url("**/admin/activities?**")
    assert "Supervīzijas pedagogiem" in await page.locator("#activities").inner_text()
    assert await axe_violations(page) == []
    await page.goto(f"{live_server}/admin/reports/riga/2026?format=html")
    section = await page.locator("section#activities").inner_text()
    assert "Supervīzijas pedagogiem" in section and "12 000 EUR" in section
    await context.close()
