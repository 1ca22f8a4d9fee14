"""Respondents never lose, repeat or get stuck on what they typed (issue 9), in headless Chromium
with and without JavaScript, axe-core on every state."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.distribution.service import ensure_school_link, issue_codes
from pmp_surveys.schools.models import School
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_respondent_browser import answer, stored, unique
from tests.pages.conftest import PARENT_FORM, TEACHER_FORM, MakeCampaign

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

MakeSchool = Callable[..., Awaitable[School]]
#: ids of the open pages that run without JavaScript.
NO_JS: set[int] = set()
JS = pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
#: WCAG 1.4.12 text spacing: the override a user style sheet would apply.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }"
    " p { margin-bottom: 2em !important; }"
)


@pytest.fixture
async def open_page(browser: Any) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """A phone page in a fresh context; `js=False` for a browser without JavaScript."""
    contexts: list[Any] = []

    async def make(*, js: bool = True, width: int = 360, **options: Any) -> Any:
        settings: dict[str, Any] = {"locale": "lv-LV", "viewport": {"width": width, "height": 740}}
        settings.update(options)
        context = await browser.new_context(java_script_enabled=js, bypass_csp=True, **settings)
        contexts.append(context)
        page = await context.new_page()
        page.set_default_timeout(10_000)
        if not js:
            NO_JS.add(id(page))
        return page

    yield make
    for context in contexts:
        await context.close()


async def no_axe_violations(page: Any) -> None:
    """axe-core on the page as it is. A page without JavaScript cannot run axe: its HTML is
    served again to a page with scripts on (axe) but the site's own script blocked."""
    if id(page) not in NO_JS:
        assert await axe_violations(page) == [], page.url
        return
    html, url = await page.content(), page.url
    context = await page.context.browser.new_context(bypass_csp=True, viewport=page.viewport_size)
    try:
        copy = await context.new_page()
        await copy.route("**/static/respondent.js", lambda route: route.abort())
        await copy.route(lambda u: u == url, lambda route: route.fulfill(body=html, content_type="text/html"))
        await copy.goto(url)
        assert await copy.evaluate("!document.documentElement.classList.contains('js')")
        assert await axe_violations(copy) == [], url
    finally:
        await context.close()


async def teacher_link(make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession) -> str:
    slug = unique("teachers")
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link"
    )
    school = await make_school(unique("s"))
    token = (await ensure_school_link(session, campaign.id, school.id)).token
    await session.commit()
    return f"/s/{slug}/{token}"


# --- nothing typed is lost ---------------------------------------------------------------


@JS
async def test_language_switch_before_the_first_submit_keeps_every_answer(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession, js: bool
) -> None:
    slug = unique("first-switch")
    await make_campaign(slug)
    page = await open_page(js=js)
    await page.goto(f"{live_server}/s/{slug}?lang=lv")
    await no_axe_violations(page)
    await answer(page, {"programme": "cap", "overall_satisfaction": "4"})
    await page.fill("#q-comment-input", "Ļoti noderīgi")
    await page.click("nav.languages [lang=en]")
    await page.wait_for_selector("html[lang=en]")
    assert await page.is_checked("#q-programme-cap")
    assert await page.is_checked("#q-overall_satisfaction-4")
    assert await page.input_value("#q-comment-input") == "Ļoti noderīgi"
    assert await stored(session) == 0
    await no_axe_violations(page)
    # and again, to a third language, still without an error on the page
    await page.click("nav.languages [lang=ru]")
    await page.wait_for_selector("html[lang=ru]")
    assert await page.is_checked("#q-programme-cap")
    assert await page.input_value("#q-comment-input") == "Ļoti noderīgi"
    assert await page.locator("#error-summary").count() == 0
    await answer(page, {k: v for k, v in PARENT_FORM.items() if k != "programme"})
    await page.click("button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    assert await page.get_attribute("html", "lang") == "ru"
    assert await stored(session) == 1


@JS
async def test_language_switch_on_the_code_page_keeps_the_typed_code(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, js: bool
) -> None:
    slug = unique("code-switch")
    await make_campaign(slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code")
    page = await open_page(js=js)
    await page.goto(f"{live_server}/s/{slug}")
    await page.fill("#code", "ABCD-EFGH")
    await page.click("nav.languages [lang=uk]")
    await page.wait_for_selector("html[lang=uk]")
    assert await page.input_value("#code") == "ABCD-EFGH"
    await no_axe_violations(page)


@JS
async def test_expired_access_code_keeps_every_answer_and_stores_them_once(
    open_page: Any,
    live_server: str,
    make_campaign: MakeCampaign,
    make_school: MakeSchool,
    session: AsyncSession,
    js: bool,
) -> None:
    slug = unique("code-expiry")
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    school = await make_school(unique("s"))
    [code] = await issue_codes(session, campaign.id, school.id, 1)
    await session.commit()
    page = await open_page(js=js)
    await page.goto(f"{live_server}/s/{slug}")
    await page.fill("#code", code)
    await page.click("form.code-form button.button")
    await page.wait_for_selector("form.survey-form")
    await answer(page, TEACHER_FORM)
    # six hours later (or a server with another key): the code token no longer validates
    await page.context.clear_cookies(name="pmp_code")
    await page.locator("input[name=_code]").evaluate("e => e.value = 'expired|0|x'")
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_selector("form.code-form")
    assert await page.locator(".carried-note").count() == 1
    assert await stored(session) == 0
    await no_axe_violations(page)
    await screenshot(page, f"code-expired-carried-{js}")
    await page.fill("#code", code)
    await page.click("form.code-form button.button")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    assert await stored(session) == 1
    used = await session.scalar(text("SELECT count(*) FROM access_codes WHERE used"))
    assert used == 1


# --- nothing stored twice by accident ----------------------------------------------------


@JS
async def test_back_after_submitting_stores_no_second_response(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession, js: bool
) -> None:
    slug = unique("back")
    await make_campaign(slug)
    page = await open_page(js=js)
    await page.goto(f"{live_server}/s/{slug}")
    await answer(page, PARENT_FORM)
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    assert await stored(session) == 1
    await page.go_back()
    await page.wait_for_load_state()
    if await page.locator("form.survey-form").count():  # the form came back: submitting replays
        await answer(page, PARENT_FORM)
        await page.click("form.survey-form button.button[type=submit]")
        await page.wait_for_load_state()
    assert await stored(session) == 1
    # returning to the link: "you already answered", with a deliberate "answer again"
    await page.goto(f"{live_server}/s/{slug}")
    assert await page.locator("form.survey-form").count() == 0
    assert "Jūs jau atbildējāt" in await page.inner_text("h1")
    await no_axe_violations(page)
    await page.click("form.carry-form button.button")
    await page.wait_for_selector("form.survey-form")
    await answer(page, PARENT_FORM)
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    assert await stored(session) == 2


# --- nobody gets stuck ---------------------------------------------------------------------


async def test_without_javascript_a_conditional_answer_left_behind_does_not_block(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    link = await teacher_link(make_campaign, make_school, session)
    page = await open_page(js=False)
    await page.goto(f"{live_server}{link}")
    # "answer only if …" questions carry no required star
    assert await page.locator("#q-uses_identification .req").count() == 0
    assert await page.locator("#q-uses_identification .condition").count() == 1
    await answer(page, {**TEACHER_FORM, "learned_identification": "yes", "uses_identification": "yes"})
    await answer(page, {"learned_identification": "no"})  # the radio above stays ticked
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_url("**/thanks**")
    assert await stored(session) == 1
    await no_axe_violations(page)


async def test_with_javascript_numbering_has_no_gaps(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    link = await teacher_link(make_campaign, make_school, session)
    page = await open_page(locale="en-GB")
    await page.goto(f"{live_server}{link}")

    async def numbers() -> list[str]:
        result: list[str] = await page.evaluate(
            "[...document.querySelectorAll('.question:not([hidden]) .q-number')].map(e => e.textContent.trim())"
        )
        return result

    assert await page.is_hidden("#q-uses_identification")
    shown = await numbers()
    assert shown == [f"Question {i} of {len(shown)}" for i in range(1, len(shown) + 1)]
    await answer(page, {"learned_identification": "yes"})
    assert await page.is_visible("#q-uses_identification")
    more = await numbers()
    assert len(more) == len(shown) + 1
    assert more == [f"Question {i} of {len(more)}" for i in range(1, len(more) + 1)]
    await no_axe_violations(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
async def test_forced_colors_show_the_chosen_point_of_both_scales(
    open_page: Any,
    live_server: str,
    make_campaign: MakeCampaign,
    make_school: MakeSchool,
    session: AsyncSession,
    js: bool,
) -> None:
    link = await teacher_link(make_campaign, make_school, session)
    page = await open_page(js=js, forced_colors="active")
    await page.goto(f"{live_server}{link}")
    await answer(page, {"tses_01": "7", "support_leadership": "4"})
    style = (
        "(id) => { const s = getComputedStyle(document.querySelector(`label[for='${id}']`));"
        " return [s.backgroundColor, s.color, s.borderTopWidth, s.borderTopStyle].join(' '); }"
    )
    pairs = (("q-tses_01-7", "q-tses_01-6"), ("q-support_leadership-4", "q-support_leadership-3"))
    style = style.replace("s.borderTopStyle]", "s.borderTopStyle, s.fontWeight, s.textDecorationLine]")
    for chosen, other in pairs:
        assert await page.evaluate(style, chosen) != await page.evaluate(style, other), chosen
    await screenshot(page, f"forced-colors-{js}", at="#q-tses_01")
    await no_axe_violations(page)


async def test_error_summary_link_brings_the_question_text_into_view(
    open_page: Any, live_server: str, make_campaign: MakeCampaign
) -> None:
    slug = unique("summary")
    await make_campaign(slug, instrument="resident-perception", audience="residents")
    page = await open_page()
    await page.goto(f"{live_server}/s/{slug}")
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_selector("#error-summary")
    links = page.locator("#error-summary a")
    for i in range(await links.count()):
        await page.evaluate("window.scrollTo(0, 0)")
        target = (await links.nth(i).get_attribute("href") or "")[1:]
        await links.nth(i).click()
        top = await page.evaluate(
            "(id) => document.getElementById(id).closest('.question')"
            ".querySelector('legend, .q-number, label').getBoundingClientRect().top",
            target,
        )
        assert 0 <= top < 740, (target, top)
        assert await page.evaluate("document.activeElement.id") == target
    await no_axe_violations(page)


# --- trust and language ------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("uk-UA", "uk"), ("en-US", "en"), ("de-DE", "lv")])
async def test_first_visit_follows_the_browser_language(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, locale: str, lang: str
) -> None:
    slug = unique("accept")
    await make_campaign(slug)
    page = await open_page(locale=locale)
    await page.goto(f"{live_server}/s/{slug}")
    assert await page.get_attribute("html", "lang") == lang
    await no_axe_violations(page)


@pytest.mark.parametrize("instrument", ["parent-satisfaction", "resident-perception", "teacher-self-efficacy"])
@pytest.mark.parametrize("lang", ["ru", "uk", "lv", "en"])
async def test_long_titles_fit_320_px_with_text_spacing(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, instrument: str, lang: str
) -> None:
    slug = unique("narrow")
    await make_campaign(slug, instrument=instrument, audience="residents")
    page = await open_page(width=320)
    await page.goto(f"{live_server}/s/{slug}?lang={lang}")
    await page.add_style_tag(content=TEXT_SPACING)
    wide = await page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320.5)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320, wide


@JS
async def test_an_error_page_hands_the_answers_back(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, session: AsyncSession, js: bool
) -> None:
    """A post that fails for a reason not the respondent's (here the form token: cookies cleared
    while answering) leaves every answer on a page that says what to do."""
    slug = unique("error-back")
    await make_campaign(slug)
    page = await open_page(js=js)
    await page.goto(f"{live_server}/s/{slug}")
    await answer(page, PARENT_FORM)
    await page.fill("#q-comment-input", "Paldies vadītājai")
    await page.context.clear_cookies(name="pmp_csrf")
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_selector("form.carry-form")
    assert "Atbildes netika saglabātas" in await page.inner_text("main")
    await no_axe_violations(page)
    await page.click("form.carry-form button.button")
    await page.wait_for_selector("form.survey-form")
    assert await page.input_value("#q-comment-input") == "Paldies vadītājai"
    assert await page.is_checked("#q-child_age-age_4_7")
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_url(f"**/s/{slug}/thanks**")
    assert await stored(session) == 1


async def test_error_summary_numbers_match_the_visible_numbering(
    open_page: Any, live_server: str, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    link = await teacher_link(make_campaign, make_school, session)
    page = await open_page(locale="en-GB")
    await page.goto(f"{live_server}{link}")
    await answer(page, {k: v for k, v in TEACHER_FORM.items() if k != "role"})  # uses_identification hidden
    await page.click("form.survey-form button.button[type=submit]")
    await page.wait_for_selector("#error-summary")
    shown = await page.inner_text("#q-role .q-number")
    number = shown.split()[1]  # "Question 18 of 19"
    assert await page.inner_text("#error-summary a") == f"Question {number}: Please answer this question."
    await no_axe_violations(page)
