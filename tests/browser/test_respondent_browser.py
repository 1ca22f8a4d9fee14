"""Respondent pages in headless Chromium: phone layout, language switch, access codes, WCAG."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.distribution.service import issue_codes
from pmp_surveys.schools.models import School
from tests.browser.conftest import axe_violations, groups_without_legend, screenshot
from tests.pages.conftest import PARENT_FORM, TEACHER_FORM, MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

MakeSchool = Callable[..., Awaitable[School]]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def answer(page: Any, answers: dict[str, str]) -> None:
    """Tick each answer by clicking its label, as a person would."""
    for question, value in answers.items():
        await page.click(f"label[for='q-{question}-{value}']")


async def stored(session: AsyncSession) -> int:
    return int(await session.scalar(text("SELECT count(*) FROM responses")) or 0)


async def test_parent_completes_the_survey_in_latvian_on_a_phone(
    phone: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = unique("parents")
    await make_campaign(slug)
    await phone.goto(f"{live_server}/s/{slug}")
    assert await phone.get_attribute("html", "lang") == "lv"
    # the page fits a 360 px screen: nothing scrolls sideways
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    # show-if: with JavaScript the "other programme" question appears only for "other"
    assert await phone.is_hidden("#q-programme_other")
    await phone.click("label[for='q-programme-other']")
    assert await phone.is_visible("#q-programme_other")
    await screenshot(phone, "parent-lv-360")
    await answer(phone, PARENT_FORM)
    assert await phone.is_hidden("#q-programme_other")
    await phone.click("button.button[type=submit]")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert "Paldies!" in await phone.inner_text("h1")
    await screenshot(phone, "parent-lv-thanks-360")
    assert await stored(session) == 1


async def test_resident_switches_to_russian_and_fixes_an_error(
    phone: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = unique("residents")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    await phone.goto(f"{live_server}/s/{slug}")
    await phone.click("nav.languages [lang=ru]")
    await phone.wait_for_function("document.documentElement.lang === 'ru'")
    assert await phone.get_attribute("html", "lang") == "ru"
    await answer(phone, {"aware": "yes", "services_known": "career", "school_age_children": "yes"})
    await phone.click("button.button[type=submit]")  # availability_rating left out
    summary = phone.locator("#error-summary")
    await summary.wait_for()
    assert await phone.evaluate("document.activeElement.id") == "error-summary"
    assert "Пожалуйста, ответьте на этот вопрос." in await summary.inner_text()
    assert (await phone.title()).startswith("Ошибка:")
    await screenshot(phone, "resident-ru-error-360")
    await screenshot(phone, "resident-ru-error-field-360", at="#q-availability_rating")
    # answers kept; the summary link leads to the question
    assert await phone.is_checked("#q-aware-yes") and await phone.is_checked("#q-services_known-career")
    await summary.locator("a").first.click()
    await answer(phone, {"availability_rating": "4"})
    await phone.click("button.button[type=submit]")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert await phone.get_attribute("html", "lang") == "ru"
    assert await stored(session) == 1


async def test_teacher_uses_a_single_use_code_which_then_fails(
    browser: Any,
    live_server: str,
    make_campaign: MakeCampaign,
    make_school: MakeSchool,
    session: AsyncSession,
) -> None:
    slug = unique("teachers")
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    campaign_id = campaign.id
    [code] = await issue_codes(session, campaign_id, (await make_school()).id, 1)
    await session.commit()
    for attempt in ("first", "second"):
        context = await browser.new_context(locale="lv-LV", viewport={"width": 360, "height": 740}, bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"{live_server}/s/{slug}")
        await screenshot(page, f"teacher-code-{attempt}-360")
        await page.fill("#code", code.lower())
        await page.click("button.button[type=submit]")
        if attempt == "first":
            await page.wait_for_selector("form.survey-form")
            await screenshot(page, "teacher-lv-9-point-360", at="#q-tses_01")
            await answer(page, TEACHER_FORM)
            await page.click("button.button[type=submit]")
            await page.wait_for_url(f"**/s/{slug}/thanks**")
        else:
            await page.wait_for_selector("#error-summary")
            assert "jau ir izmantots" in await page.inner_text("#error-summary")
            assert await page.get_attribute("#code", "aria-invalid") == "true"
            await screenshot(page, "teacher-code-used-360")
            assert await axe_violations(page) == []
        await context.close()
    assert await stored(session) == 1


@pytest.mark.parametrize("lang", ["lv", "ru", "uk", "en"])
async def test_no_axe_violations_on_first_error_and_thanks_pages(
    phone: Any, live_server: str, make_campaign: MakeCampaign, lang: str
) -> None:
    slug = unique("a11y")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    await phone.goto(f"{live_server}/s/{slug}?lang={lang}")
    assert await phone.get_attribute("html", "lang") == lang
    assert await axe_violations(phone) == []
    assert await groups_without_legend(phone) == []
    await phone.click("button.button[type=submit]")
    await phone.wait_for_selector("#error-summary")
    assert await phone.get_attribute("html", "lang") == lang
    assert await axe_violations(phone) == []
    await answer(phone, {"aware": "no", "availability_rating": "dont_know", "school_age_children": "no"})
    await phone.click("button.button[type=submit]")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert await phone.get_attribute("html", "lang") == lang
    assert await axe_violations(phone) == []


async def test_teacher_scale_pages_have_no_axe_violations(
    phone: Any, live_server: str, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    slug = unique("tses")
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    [code] = await issue_codes(session, campaign.id, (await make_school()).id, 1)
    await session.commit()
    await phone.goto(f"{live_server}/s/{slug}")
    assert await axe_violations(phone) == []  # the code page
    await phone.fill("#code", code)
    await phone.click("button.button[type=submit]")
    await phone.wait_for_selector("form.survey-form")
    assert await axe_violations(phone) == []
    assert await groups_without_legend(phone) == []


async def test_keyboard_only_completion(
    phone: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    """Tab through the resident survey, pick the first option of each group with Space, submit with Enter."""
    slug = unique("keyboard")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    await phone.goto(f"{live_server}/s/{slug}?lang=en")
    for _ in range(120):
        await phone.keyboard.press("Tab")
        focused = await phone.evaluate(
            "(() => { const e = document.activeElement;"
            " return {tag: e.tagName, type: e.type || '', name: e.name || '', nav: !!e.closest('nav'),"
            " outline: getComputedStyle(e).outlineStyle,"
            " checked: e.name ? !!document.querySelector(`input[name='${e.name}']:checked`) : false}; })()"
        )
        if focused["tag"] == "BUTTON" and not focused["nav"]:  # not a language button
            await phone.keyboard.press("Enter")
            break
        if focused["type"] in ("radio", "checkbox") and not focused["checked"]:
            await phone.keyboard.press("Space")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert await stored(session) == 1


async def test_wide_screen_screenshots(browser: Any, live_server: str, make_campaign: MakeCampaign) -> None:
    slug = unique("wide")
    await make_campaign(slug)
    context = await browser.new_context(locale="lv-LV", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{live_server}/s/{slug}?lang=uk")
    await screenshot(page, "parent-uk-1280")
    await page.click("button.button[type=submit]")
    await page.wait_for_selector("#error-summary")
    await screenshot(page, "parent-uk-error-1280")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1280
    await context.close()


async def test_without_javascript_every_question_shows_and_the_form_posts(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = unique("nojs")
    await make_campaign(slug)
    context = await browser.new_context(
        locale="lv-LV", viewport={"width": 320, "height": 640}, java_script_enabled=False
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{live_server}/s/{slug}")
    assert await page.is_visible("#q-programme_other")
    assert await page.is_visible("#q-programme_other .condition")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320
    await page.click("button.button[type=submit]")
    await page.wait_for_selector("#error-summary")
    assert await page.evaluate("document.activeElement.id") == "error-summary"  # autofocus, no script
    await answer(page, PARENT_FORM)
    await page.click("button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    await context.close()
    assert await stored(session) == 1


async def test_pages_load_without_console_errors_or_failed_requests(
    browser: Any, live_server: str, make_campaign: MakeCampaign
) -> None:
    slug = unique("console")
    await make_campaign(slug)
    context = await browser.new_context(locale="lv-LV", viewport={"width": 360, "height": 740})
    page = await context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    # Sub-resources only: a 422 error page's status is the document's own, not a failure.
    failed: list[str] = []
    page.on(
        "response",
        lambda r: r.status >= 400 and r.request.resource_type != "document" and failed.append(f"{r.status} {r.url}"),
    )
    await page.goto(f"{live_server}/s/{slug}")
    await answer(page, PARENT_FORM)
    await page.click("button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    await context.close()
    assert failed == []
    assert problems == []
