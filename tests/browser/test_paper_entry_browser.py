"""An evaluator keys in a paper questionnaire with the keyboard only (Tab between questions, Enter
saves) in headless Chromium; the entry, report and import pages pass axe-core."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.passwords import hash_password
from pmp_surveys.responses.models import Response
from tests.browser.conftest import axe_violations, screenshot
from tests.pages.conftest import MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "Vērtētāja-parole-2026"
#: The sheet number, then one code per question in the form's order (blank = no answer).
KEYS = ["17", "2", "", "4", "4", "5", "3", "4", "1", "4", "4", ""]


async def test_keyboard_only_paper_entry(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = f"paper-{uuid.uuid4().hex[:8]}"
    campaign = await make_campaign(slug, status="closed")
    email = f"eva-{slug}@riga.example.lv"
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

    desk = await browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # for axe
    page = await desk.new_page()
    await page.goto(f"{live_server}/admin/login")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/admin")
    await page.goto(f"{live_server}/admin/campaigns/{slug}")
    await page.click(f"a[href='/admin/campaigns/{slug}/paper']")
    await page.wait_for_url(f"**/admin/campaigns/{slug}/paper")
    assert await axe_violations(page) == []
    assert await page.evaluate("document.activeElement.id") == "sheet"  # autofocus: type at once

    for n, key in enumerate(KEYS):
        if key:
            await page.keyboard.type(key)
        await page.keyboard.press("Tab")
        if n == 0:
            await page.keyboard.press("Tab")  # past the double-entry box
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#outcome[data-status=stored]")
    assert await page.evaluate("document.activeElement.id") == "sheet"  # ready for the next questionnaire
    assert await axe_violations(page) == []
    await screenshot(page, "paper-entry-1280")
    stored = await session.scalar(
        select(func.count()).select_from(Response).where(Response.campaign_id == campaign.id, Response.mode == "paper")
    )
    assert stored == 1

    await page.goto(f"{live_server}/admin/campaigns/{slug}/paper/report")
    assert await page.inner_text("#stored") == "1"
    assert await axe_violations(page) == []
    await page.goto(f"{live_server}/admin/campaigns/{slug}/import")
    assert await axe_violations(page) == []
    await desk.close()
