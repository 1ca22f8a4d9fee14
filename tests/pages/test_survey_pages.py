"""The questionnaire pages: languages, errors, one response per submission, CSRF, honeypot."""

from __future__ import annotations

import re
from datetime import timedelta

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.app import create_app
from pmp_surveys.responses.models import Response
from pmp_surveys.settings import Settings
from pmp_surveys.web.i18n import MESSAGES, missing_translations, t
from tests.pages.conftest import PARENT_FORM, MakeCampaign, hidden_fields, open_form, post_form

Client = AsyncTestClient[Litestar]


async def count(session: AsyncSession) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(Response)) or 0)


def test_every_interface_string_has_all_four_languages() -> None:
    assert missing_translations() == []
    assert len(MESSAGES) > 40


async def test_first_page_is_latvian_by_default(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    page = await client.get("/s/test-parents")
    assert page.status_code == 200
    assert '<html lang="lv">' in page.text
    assert "Iesniegt atbildes" in page.text
    assert "Vecāku apmierinātība" in page.text
    # privacy notice: who, anonymity, no withdrawal, contact
    assert "Rīgas valstspilsētas pašvaldība" in page.text
    assert "IP adresi" in page.text and "atsaukt" in page.text and "izglītības pārvaldei" in page.text
    # every radio group is a fieldset with a legend
    assert page.text.count("<fieldset") == page.text.count("<legend") == 9
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("lang", "submit", "title"),
    [
        ("ru", "Отправить ответы", "Удовлетворённость родителей"),
        ("uk", "Надіслати відповіді", "Задоволеність батьків"),
        ("en", "Submit answers", "Parent satisfaction"),
        ("lv", "Iesniegt atbildes", "Vecāku apmierinātība"),
    ],
)
async def test_language_switch_translates_everything_and_is_remembered(
    client: Client, make_campaign: MakeCampaign, lang: str, submit: str, title: str
) -> None:
    await make_campaign()
    page = await client.get(f"/s/test-parents?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    assert submit in page.text and title in page.text
    assert re.search(rf'name="_switch_lang" value="{lang}"[^>]*aria-current="true"', page.text)
    again = await client.get("/s/test-parents")  # the cookie keeps the choice
    assert f'<html lang="{lang}">' in again.text


async def test_submit_stores_once_and_redirects_to_thanks(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    first = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert first.status_code == 303, first.text
    assert first.headers["location"].startswith("/s/test-parents/thanks")
    # a double click / reload / resubmit with the same one-time key
    second = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert second.status_code == 303
    assert await count(session) == 1
    thanks = await client.get(first.headers["location"])
    assert thanks.status_code == 200 and "Paldies!" in thanks.text
    assert "<title>Paldies! — " in thanks.text


async def test_errors_rerender_422_with_values_kept_in_the_page_language(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    await client.get("/s/test-parents?lang=en")
    fields = await open_form(client, "/s/test-parents")
    partial = {k: v for k, v in PARENT_FORM.items() if k != "overall_satisfaction"}
    r = await post_form(client, "/s/test-parents", {**fields, **partial, "aspect_topics": "9"})
    assert r.status_code == 422
    html = r.text
    assert '<html lang="en">' in html
    assert 'role="alert"' in html and "Please check your answers" in html
    assert "Please answer this question." in html and "Please enter a value from 1 to 5." in html
    assert 'href="#q-overall_satisfaction-1"' in html
    assert "<title>Error: Parent satisfaction" in html
    assert 'aria-describedby="q-overall_satisfaction-error"' in html
    # answers kept
    assert re.search(r'id="q-programme-bea" name="programme" value="bea" checked', html)
    assert re.search(r'id="q-child_age-age_4_7" name="child_age" value="age_4_7" checked', html)
    # the same one-time key is kept, so fixing and submitting stores one response
    assert f'value="{fields["_key"]}"' in html
    ok = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert ok.status_code == 303
    assert await count(session) == 1


async def test_answer_to_a_question_whose_condition_is_not_met_is_dropped_on_pages(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    """Without JavaScript a respondent cannot untick a conditional answer after changing the
    answer it depends on: the page drops it (not stored, not an error); the JSON API refuses it."""
    await make_campaign()
    page = await client.get("/s/test-parents")
    assert "Atbildiet tikai tad, ja 1. jautājumā izvēlējāties: „Cita”." in page.text
    fields = await open_form(client, "/s/test-parents")
    r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "programme_other": "X"})
    assert r.status_code == 303, r.text
    assert await count(session) == 1
    texts = (await session.execute(text("SELECT texts::text FROM responses"))).scalar_one()
    assert "X" not in (texts or "")


async def test_post_without_csrf_token_is_refused(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    no_token = {k: v for k, v in fields.items() if k != "_csrf"}
    r = await post_form(client, "/s/test-parents", {**no_token, **PARENT_FORM})
    assert r.status_code == 403
    assert "Lapa ir novecojusi" in r.text
    forged = await post_form(client, "/s/test-parents", {**fields, "_csrf": "x" * 43, **PARENT_FORM})
    assert forged.status_code == 403
    client.cookies.clear()
    no_cookie = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert no_cookie.status_code == 403
    assert await count(session) == 0


async def test_honeypot_pretends_success_and_stores_nothing(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "website": "http://spam"})
    assert r.status_code == 303 and "/thanks" in r.headers["location"]
    assert await count(session) == 0


async def test_missing_one_time_key_is_a_400_page(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    del fields["_key"]
    r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert r.status_code == 400
    assert "<html" in r.text and "Nekas netika saglabāts" in r.text


async def test_rate_limit_gives_a_translated_429_for_pages_and_api(
    settings: Settings, engine: object, make_campaign: MakeCampaign
) -> None:
    await make_campaign()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=2))
    async with AsyncTestClient(app=app) as client:
        fields = await open_form(client, "/s/test-parents?lang=uk")
        for _ in range(2):
            assert (await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})).status_code == 303
        r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
        assert r.status_code == 429
        assert '<html lang="uk">' in r.text and "Забагато спроб" in r.text
        api = await client.post(
            "/api/v1/campaigns/test-parents/responses", json={"answers": {}}, headers={"Idempotency-Key": "k"}
        )
        assert api.status_code == 429
        assert api.json()["type"] == "rate_limited"


@pytest.mark.parametrize(
    ("kwargs", "status", "text"),
    [
        ({"status": "closed", "closed_ago": timedelta(hours=1)}, 410, "Aptauja ir slēgta"),
        ({"opens_in": timedelta(days=2)}, 200, "Aptauja vēl nav sākusies"),
        ({"status": "draft"}, 404, "Aptauja nav atrasta"),
    ],
)
async def test_campaign_states_have_their_own_pages(
    client: Client, make_campaign: MakeCampaign, kwargs: dict[str, object], status: int, text: str
) -> None:
    await make_campaign(**kwargs)  # type: ignore[arg-type]
    r = await client.get("/s/test-parents")
    assert r.status_code == status
    assert text in r.text and f"<title>{text}" in r.text


async def test_unknown_survey_is_a_translated_404_page(client: Client, loaded: None) -> None:
    r = await client.get("/s/no-such-survey?lang=ru")
    assert r.status_code == 404
    assert '<html lang="ru">' in r.text and "Опрос не найден" in r.text


async def test_submit_to_a_closed_campaign_gets_the_closed_page(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    campaign = await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    campaign.status = "closed"
    await session.commit()
    r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert r.status_code == 410
    assert "Aptauja ir slēgta" in r.text
    assert await count(session) == 0


async def test_qr_codes_are_valid_svg_and_png(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    svg = await client.get("/s/test-parents/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"/s/test-parents" in svg.content
    png = await client.get("/s/test-parents/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert (await client.get("/s/nothing-here/qr.png")).status_code == 404


async def test_static_assets_are_served(client: Client) -> None:
    css = await client.get("/static/respondent.css")
    assert css.status_code == 200 and "focus-visible" in css.text
    js = await client.get("/static/respondent.js")
    assert js.status_code == 200 and "data-show-if" in js.text


@pytest.mark.parametrize("instrument", ["parent-satisfaction", "resident-perception", "teacher-self-efficacy"])
@pytest.mark.parametrize("lang", ["lv", "ru", "uk", "en"])
async def test_every_instrument_renders_in_every_language(
    client: Client, make_campaign: MakeCampaign, instrument: str, lang: str
) -> None:
    import html as html_lib

    from pmp_surveys.instruments.loader import load_instrument_dir
    from pmp_surveys.settings import project_root

    [loaded] = [i.instrument for i in load_instrument_dir(project_root() / "surveys") if i.instrument.key == instrument]
    await make_campaign("render-all", instrument=instrument)
    page = await client.get(f"/s/render-all?lang={lang}")
    assert page.status_code == 200
    text = html_lib.unescape(page.text)
    for q in loaded.questions:
        assert q.label.get(lang) in text, q.id
    groups = sum(
        1 for q in loaded.questions if type(q).__name__ in ("SingleQuestion", "MultipleQuestion", "LikertQuestion")
    )
    assert page.text.count("<fieldset") == page.text.count("<legend") == groups
    assert t(lang, "privacy_anonymous") in text and t(lang, "submit") in text


async def test_each_page_state_has_its_own_title(client: Client, make_campaign: MakeCampaign) -> None:
    def title(html: str) -> str:
        found = re.search(r"<title>(.*?)</title>", html)
        assert found is not None
        return found.group(1)

    await make_campaign()
    await make_campaign("later", opens_in=timedelta(days=3))
    await make_campaign("codes", instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code")
    first = await client.get("/s/test-parents")
    fields = await open_form(client, "/s/test-parents")
    error = await post_form(client, "/s/test-parents", fields)
    thanks = await client.get("/s/test-parents/thanks")
    later = await client.get("/s/later")
    missing = await client.get("/s/missing")
    code = await client.get("/s/codes")
    code_error = await post_form(client, "/s/codes/code", {**hidden_fields(code.text), "code": "nope"})
    pages = [first, error, thanks, later, missing, code, code_error]
    titles = [title(p.text) for p in pages]
    assert len(set(titles)) == len(titles), titles
    assert "sāksies" in later.text  # the opening date is given
