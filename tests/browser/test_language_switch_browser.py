"""Switching language on a page that holds answers, in headless Chromium: the answers stay, with
and without JavaScript; Enter still submits; no axe-core violations."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.browser.conftest import axe_violations, groups_without_legend, screenshot
from tests.browser.test_respondent_browser import answer, stored, unique
from tests.pages.conftest import PARENT_FORM, MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

RESIDENT_PARTIAL = {"aware": "yes", "services_known": "career", "school_age_children": "yes"}


async def lang_cookie(page: Any) -> str | None:
    cookies = await page.context.cookies()
    return next((c["value"] for c in cookies if c["name"] == "pmp_lang"), None)


async def test_resident_submits_with_an_error_switches_to_russian_and_keeps_the_answers(
    phone: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = unique("switch")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    await phone.goto(f"{live_server}/s/{slug}")
    assert await phone.get_attribute("html", "lang") == "lv"
    await phone.fill("#q-comment-input", "Paldies par darbu")
    await answer(phone, RESIDENT_PARTIAL)
    await phone.click("button.button[type=submit]")  # availability_rating left out
    await phone.locator("#error-summary").wait_for()
    assert await stored(session) == 0
    # the language choices are now buttons of the form, in a named nav, looking like the links
    nav = phone.get_by_role("navigation", name="Valoda")
    assert await nav.get_by_role("button").count() == 4
    assert await phone.locator("nav.languages a").count() == 0
    await screenshot(phone, "resident-lv-error-switch-360")

    await nav.get_by_role("button", name="Русский").click()
    await phone.wait_for_function("document.documentElement.lang === 'ru'")
    assert await phone.get_attribute("nav.languages [aria-current=true]", "value") == "ru"
    assert "Отправить ответы" in await phone.inner_text("button.button[type=submit]")
    for question, value in RESIDENT_PARTIAL.items():
        assert await phone.is_checked(f"#q-{question}-{value}"), question
    assert await phone.input_value("#q-comment-input") == "Paldies par darbu"
    assert await lang_cookie(phone) == "ru"
    assert await stored(session) == 0
    assert await axe_violations(phone) == []
    assert await groups_without_legend(phone) == []
    await screenshot(phone, "resident-ru-switched-360")

    await answer(phone, {"availability_rating": "4"})
    await phone.click("button.button[type=submit]")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert await phone.get_attribute("html", "lang") == "ru"
    assert await stored(session) == 1


@pytest.mark.parametrize(("start", "target"), [("lv", "uk"), ("ru", "en"), ("uk", "lv"), ("en", "ru")])
async def test_switched_pages_have_no_axe_violations(
    phone: Any, live_server: str, make_campaign: MakeCampaign, start: str, target: str
) -> None:
    slug = unique("switch-a11y")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    await phone.goto(f"{live_server}/s/{slug}?lang={start}")
    await phone.click("button.button[type=submit]")
    await phone.wait_for_selector("#error-summary")
    assert await axe_violations(phone) == []  # the error page with language buttons
    await phone.click(f"nav.languages button[value={target}]")
    await phone.wait_for_function(f"document.documentElement.lang === '{target}'")
    assert await axe_violations(phone) == []
    # the buttons look like the links: same colour, underlined, no button chrome
    style = await phone.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('nav.languages button:not([aria-current])'));"
        " return [s.color, s.textDecorationLine, s.borderStyle, s.backgroundColor]; })()"
    )
    assert style == ["rgb(255, 255, 255)", "underline", "none", "rgba(0, 0, 0, 0)"]
    # keyboard users reach them and see the focus
    await phone.focus(f"nav.languages button[value={start}]")
    assert await phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360


async def test_enter_in_a_text_field_still_submits_the_answers(
    phone: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    """The form's default button must not be a language button."""
    slug = unique("enter")
    await make_campaign(slug, instrument="parent-satisfaction")
    await phone.goto(f"{live_server}/s/{slug}?lang=en")
    await phone.click("button.button[type=submit]")
    await phone.wait_for_selector("#error-summary")
    await answer(phone, {**PARENT_FORM, "programme": "other"})
    await phone.fill("#q-programme_other-input", "Chess club")
    await phone.press("#q-programme_other-input", "Enter")
    await phone.wait_for_url(f"**/s/{slug}/thanks**")
    assert await phone.get_attribute("html", "lang") == "en"
    assert await stored(session) == 1


async def test_switching_works_without_javascript(
    browser: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = unique("switch-nojs")
    await make_campaign(slug)
    context = await browser.new_context(
        locale="lv-LV", viewport={"width": 320, "height": 640}, java_script_enabled=False
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    partial = {k: v for k, v in PARENT_FORM.items() if k != "overall_satisfaction"}
    await page.goto(f"{live_server}/s/{slug}")
    await answer(page, partial)
    await page.click("button.button[type=submit]")
    await page.wait_for_selector("#error-summary")
    await page.click("nav.languages button[value=en]")
    await page.wait_for_selector("html[lang=en]")
    assert all([await page.is_checked(f"#q-{q}-{v}") for q, v in partial.items()])
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320
    assert await stored(session) == 0
    await answer(page, {"overall_satisfaction": "5"})
    await page.click("button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    await context.close()
    assert await stored(session) == 1


@pytest.mark.parametrize("lang", ["lv", "ru", "uk", "en"])
async def test_deep_unknown_address_is_a_translated_page(phone: Any, live_server: str, lang: str) -> None:
    response = await phone.goto(f"{live_server}/s/a/b/c/d?lang={lang}")
    assert response.status == 404
    assert await phone.get_attribute("html", "lang") == lang
    assert await phone.locator("h1").count() == 1
    assert await axe_violations(phone) == []
