"""An evaluator in headless Chromium: signs in, opens a teacher campaign and watches the response
rate move when a teacher answers through the school link. The admin pages pass axe-core."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.passwords import hash_password
from pmp_surveys.distribution.service import ensure_school_link
from pmp_surveys.schools.models import School
from tests.browser.conftest import axe_violations, screenshot
from tests.pages.conftest import TEACHER_FORM, MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "Vērtētāja-parole-2026"


async def rate_row(page: Any, school: str) -> list[str]:
    cells = page.locator("table tbody tr", has=page.locator("th", has_text=school)).locator("td")
    return [text.strip() for text in await cells.all_inner_texts()]


async def test_evaluator_signs_in_opens_a_campaign_and_sees_the_rate_move(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = f"teachers-{uuid.uuid4().hex[:8]}"
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link"
    )
    school = School(municipality="riga", code=f"s-{slug}", name="Rīgas Demo vidusskola", teachers=10)
    email = f"eva-{slug}@riga.example.lv"
    session.add_all(
        [
            school,
            User(
                email=email,
                name="Eva",
                password_hash=hash_password(PASSWORD),
                role="evaluator",
                municipality="riga",
                active=True,
            ),
        ]
    )
    await session.flush()
    link = await ensure_school_link(session, campaign.id, school.id)
    await session.commit()

    desk = await browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # for axe
    admin = await desk.new_page()
    await admin.goto(f"{live_server}/admin")
    assert "/admin/login" in admin.url
    assert await axe_violations(admin) == []
    await admin.fill("#email", email)
    await admin.fill("#password", PASSWORD)
    await admin.click("button[type=submit]")
    await admin.wait_for_url(f"{live_server}/admin")
    assert await axe_violations(admin) == []
    await admin.click("text=Aptaujas")  # the campaigns list (Latvian UI by default)
    assert await axe_violations(admin) == []
    await admin.click(f"text=Test {slug}")
    await admin.wait_for_url(f"**/admin/campaigns/{slug}")
    assert await axe_violations(admin) == []
    await admin.click(f"a[href='/admin/campaigns/{slug}/rates']")
    await admin.wait_for_url(f"**/admin/campaigns/{slug}/rates")
    assert await rate_row(admin, "Rīgas Demo vidusskola") == ["10", "0", "0 %"]
    assert await axe_violations(admin) == []

    # A teacher answers through the school's link, on a phone.
    phone = await browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    teacher = await phone.new_page()
    await teacher.goto(f"{live_server}/s/{slug}/{link.token}")
    for question, value in TEACHER_FORM.items():
        await teacher.click(f"label[for='q-{question}-{value}']")
    await teacher.click("button.button[type=submit]")
    await teacher.wait_for_url(f"**/s/{slug}/thanks**")
    await phone.close()

    await admin.reload()
    assert await rate_row(admin, "Rīgas Demo vidusskola") == ["10", "1", "10 %"]
    await screenshot(admin, "evaluator-rates-1280")
    await desk.close()


async def test_the_report_page_is_styled_under_the_apps_csp(
    browser: Any, live_server: str, session: AsyncSession
) -> None:
    """The report is one self-contained file with an inline <style>: served with the app's default
    CSP (`style-src 'self'`) it showed as unstyled Times text. No `bypass_csp` here on purpose."""
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
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    await page.goto(f"{live_server}/admin/login")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/admin")
    response = await page.goto(f"{live_server}/admin/reports/riga/2026?lang=lv&format=html")
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in csp and "script-src" not in csp and "default-src 'none'" in csp
    font = await page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Times" not in font, font
    assert refused == []
    await context.close()
