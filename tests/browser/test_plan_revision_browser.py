"""An evaluator revises a target of the plan in headless Chromium and sees both report versions:
the latest report judges against the new target, the earlier version's report (linked from the
version list) against the old one; the plan page passes axe-core and reflows at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_evaluation_admin_browser import evaluator
from tests.indicators.conftest import Seeder, share_answers

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_evaluator_revises_a_target_and_sees_both_report_versions(
    browser: Any, live_server: str, session: AsyncSession, loaded: None
) -> None:
    await Seeder(session).responses(
        "riga", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10})
    )
    await session.commit()
    context, page = await evaluator(browser, live_server, session)
    await page.click("nav >> text=Plāna versijas")
    await page.wait_for_url("**/admin/plan")
    assert await page.locator("#versions tbody tr").count() == 1
    assert await axe_violations(page) == []

    # R1 (parents' satisfaction), target for 2026: 70 % in the plan; the mid-term update asks 95 %
    await page.select_option("#indicator", "R1")
    await page.fill("#year", "2026")
    await page.select_option("#kind", "at_least")
    await page.fill("#value", "95")
    await page.fill("#indicator-note", "Plāna aktualizācija 2026")
    await page.click("#indicator-title ~ form button[type=submit]")
    await page.wait_for_url("**/admin/plan?**")
    assert "Saglabāta plāna versija 2." in await page.locator("[role=status]").inner_text()
    rows = page.locator("#versions tbody tr")
    assert await rows.count() == 2
    assert "Plāna aktualizācija 2026" in await rows.nth(0).inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "plan-versions")

    async def report_of(row: int) -> tuple[str, str]:
        """(the report's plan version, its R1 summary row) through the version list's link."""
        await page.goto(f"{live_server}/admin/plan")
        await page.locator("#versions tbody tr").nth(row).locator("a", has_text="Pārskats").click()
        await page.wait_for_load_state()
        version = await page.locator("[data-catalogue-version]").get_attribute("data-catalogue-version")
        return version or "", await page.locator("main table tr", has_text="R1").first.inner_text()

    latest_version, latest_r1 = await report_of(0)
    earlier_version, earlier_r1 = await report_of(1)
    assert (latest_version, earlier_version) == ("2", "1")
    assert "95" in latest_r1 and "70" not in latest_r1
    assert "70" in earlier_r1 and "95" not in earlier_r1

    # the earlier version downloads as the seed file
    async with page.expect_download() as download:
        await page.goto(f"{live_server}/admin/plan")
        await page.locator("#versions tbody tr").nth(1).locator("a", has_text="TOML").click()
    assert (await download.value).suggested_filename == "riga-v1.toml"

    await page.set_viewport_size({"width": 320, "height": 800})
    await page.goto(f"{live_server}/admin/plan")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320
    await context.close()
