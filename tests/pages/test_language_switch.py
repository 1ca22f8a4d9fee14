"""Switching language on a page that holds answers keeps them; unknown addresses under /s are
translated "not found" pages."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.distribution.service import ensure_school_link, issue_codes
from pmp_surveys.instruments.validation import AnswerValidator
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School
from tests.pages.conftest import PARENT_FORM, TEACHER_FORM, MakeCampaign, hidden_fields, open_form, post_form

Client = AsyncTestClient[Litestar]
MakeSchool = Callable[..., Awaitable[School]]

#: The parent survey with the required "overall satisfaction" left out.
PARTIAL = {k: v for k, v in PARENT_FORM.items() if k != "overall_satisfaction"}
NOT_FOUND = {
    "lv": "Aptauja nav atrasta",
    "ru": "Опрос не найден",
    "uk": "Опитування не знайдено",
    "en": "Survey not found",
}


async def count(session: AsyncSession) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(Response)) or 0)


async def codes_used(session: AsyncSession) -> list[bool]:
    session.expire_all()
    return list((await session.execute(text("SELECT used FROM access_codes ORDER BY id"))).scalars())


def checked(html: str, question: str, value: str) -> bool:
    return re.search(rf'id="q-{question}-{value}" name="{question}" value="{value}" checked', html) is not None


def language_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" form="survey-form" name="_switch_lang" value="(\w+)"', html)


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[Mapping[str, object]]:
    """Every answers mapping handed to `AnswerValidator.validate`, recorded."""
    seen: list[Mapping[str, object]] = []
    original = AnswerValidator.validate

    def spy(self: AnswerValidator, answers: Mapping[str, object], **kwargs: Any) -> Any:
        seen.append(dict(answers))
        return original(self, answers, **kwargs)

    monkeypatch.setattr(AnswerValidator, "validate", spy)
    return seen


async def test_first_page_switches_language_with_buttons_of_the_form(
    client: Client, make_campaign: MakeCampaign
) -> None:
    """Before any submit too: a link would drop what is typed (issue 9)."""
    await make_campaign()
    page = await client.get("/s/test-parents")
    assert 'name="_switch_lang" value="ru" lang="ru"' in page.text
    assert 'hreflang="ru"' not in page.text


async def test_error_page_switches_language_with_answers_kept_and_nothing_stored(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession, validated: list[Mapping[str, object]]
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    error = await post_form(client, "/s/test-parents", {**fields, **PARTIAL})
    assert error.status_code == 422
    assert len(validated) == 1
    # the choices are now buttons of the form, still a named nav, the current one marked
    assert language_buttons(error.text) == ["lv", "ru", "uk", "en"]
    assert '<nav class="languages" aria-label="Valoda">' in error.text
    assert re.search(r'value="lv" lang="lv" aria-current="true">Latviešu</button>', error.text)
    assert "hreflang" not in error.text
    assert 'id="survey-form"' in error.text
    # Enter in a text field submits through a default button placed before the language buttons
    default = error.text.index('form="survey-form" class="visually-hidden" tabindex="-1" aria-hidden="true"')
    assert default < error.text.index('name="_switch_lang"')

    switched = await post_form(
        client, "/s/test-parents", {**hidden_fields(error.text), **PARTIAL, "_switch_lang": "ru"}
    )
    assert switched.status_code == 200, switched.text
    assert '<html lang="ru">' in switched.text and "Отправить ответы" in switched.text
    assert "Удовлетворённость родителей" in switched.text
    assert re.search(r'value="ru" lang="ru" aria-current="true">Русский</button>', switched.text)
    for question, value in PARTIAL.items():
        assert checked(switched.text, question, value), question
    kept = hidden_fields(switched.text)
    assert kept["_key"] == fields["_key"] and kept["_lang"] == "ru"
    assert "_switch_lang" not in kept
    # not validated, so no errors shown, and nothing stored
    assert 'role="alert"' not in switched.text and "<title>Ошибка" not in switched.text
    assert validated == [validated[0]]
    assert await count(session) == 0
    # the language cookie follows <html lang>: a plain GET now comes in Russian
    assert switched.cookies.get("pmp_lang") == "ru"
    again = await client.get("/s/test-parents")
    assert '<html lang="ru">' in again.text

    # the one-time key is still unused: fixing the error stores exactly one response
    done = await post_form(client, "/s/test-parents", {**kept, **PARENT_FORM})
    assert done.status_code == 303 and "lang=ru" in done.headers["location"]
    assert await count(session) == 1
    assert all("_switch_lang" not in answers for answers in validated)


async def test_switching_a_complete_form_does_not_submit_it(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession, validated: list[Mapping[str, object]]
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    before = await count(session)
    for lang in ("en", "uk", "lv"):
        r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "_switch_lang": lang})
        assert r.status_code == 200 and f'<html lang="{lang}">' in r.text
        assert all(checked(r.text, q, v) for q, v in PARENT_FORM.items())
        fields = hidden_fields(r.text)
    # an unknown or empty language re-renders in the page's language; it never submits either
    for bogus in ("xx", ""):
        r = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "_switch_lang": bogus})
        assert r.status_code == 200 and '<html lang="lv">' in r.text
    assert validated == []
    assert await count(session) == before == 0
    done = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})
    assert done.status_code == 303
    assert await count(session) == 1


async def test_switching_needs_the_csrf_token(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    no_token = {k: v for k, v in fields.items() if k != "_csrf"}
    r = await post_form(client, "/s/test-parents", {**no_token, **PARTIAL, "_switch_lang": "en"})
    assert r.status_code == 403 and '<html lang="en">' in r.text and "This page has expired" in r.text
    assert "checked" not in r.text
    assert await count(session) == 0


async def test_switching_on_a_closed_campaign_gets_the_closed_page(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    campaign = await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    campaign.status = "closed"
    await session.commit()
    r = await post_form(client, "/s/test-parents", {**fields, **PARTIAL, "_switch_lang": "en"})
    assert r.status_code == 410 and '<html lang="en">' in r.text and "This survey is closed" in r.text


async def test_switching_keeps_the_access_code_unused(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    campaign = await make_campaign(
        "teachers-code", instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    [code] = await issue_codes(session, campaign.id, (await make_school()).id, 1)
    await session.commit()
    page = await client.get("/s/teachers-code")
    entered = await post_form(client, "/s/teachers-code/code", {**hidden_fields(page.text), "code": code})
    assert entered.status_code == 303
    fields = await open_form(client, "/s/teachers-code")
    partial = {k: v for k, v in TEACHER_FORM.items() if k != "tses_01"}
    error = await post_form(client, "/s/teachers-code", {**fields, **partial})
    assert error.status_code == 422
    switched = await post_form(
        client, "/s/teachers-code", {**hidden_fields(error.text), **partial, "_switch_lang": "uk"}
    )
    assert switched.status_code == 200 and '<html lang="uk">' in switched.text
    kept = hidden_fields(switched.text)
    assert kept["_code"] == fields["_code"] and kept["_key"] == fields["_key"]
    assert all(checked(switched.text, q, v) for q, v in partial.items())
    assert await codes_used(session) == [False] and await count(session) == 0
    # the code token is kept in the form even without the cookie
    client.cookies.delete("pmp_code", path="/s/teachers-code")
    again = await post_form(client, "/s/teachers-code", {**kept, **partial, "_switch_lang": "en"})
    assert again.status_code == 200 and hidden_fields(again.text)["_code"] == fields["_code"]
    done = await post_form(client, "/s/teachers-code", {**hidden_fields(again.text), **TEACHER_FORM})
    assert done.status_code == 303 and "lang=en" in done.headers["location"], done.text
    assert await codes_used(session) == [True] and await count(session) == 1


async def test_switching_without_a_valid_code_asks_for_the_code(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign(
        "teachers-code", instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    fields = hidden_fields((await client.get("/s/teachers-code")).text)
    r = await post_form(
        client, "/s/teachers-code", {**fields, "_key": "k", "_code": "forged|1|x", **TEACHER_FORM, "_switch_lang": "ru"}
    )
    assert r.status_code == 409 and '<html lang="ru">' in r.text and 'name="code"' in r.text
    assert await count(session) == 0


async def test_switching_on_a_school_link_keeps_the_link(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    campaign = await make_campaign(
        "teachers-link", instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link"
    )
    token = (await ensure_school_link(session, campaign.id, (await make_school()).id)).token
    await session.commit()
    url = f"/s/teachers-link/{token}"
    fields = await open_form(client, url)
    switched = await post_form(client, url, {**fields, "tses_01": "3", "_switch_lang": "en"})
    assert switched.status_code == 200 and f'action="{url}"' in switched.text
    assert checked(switched.text, "tses_01", "3")
    assert await count(session) == 0
    done = await post_form(client, url, {**hidden_fields(switched.text), **TEACHER_FORM})
    assert done.status_code == 303
    assert await count(session) == 1


# --- unknown addresses -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "ru", "uk", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/s/a/b/c/d",
        "/s/x/y/z",
        "/s/test-parents/x/y",
        "/s/test-parents/thanks/more",
        "/s/test-parents/code/a/b",
        "/s/test-parents/qr.svg/x",
        "/s/a/b/qr.png/x/y",
        "/s",
    ],
)
async def test_deep_unknown_paths_get_the_translated_not_found_page(
    client: Client, make_campaign: MakeCampaign, path: str, lang: str
) -> None:
    await make_campaign()
    r = await client.get(f"{path}?lang={lang}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text and f"<title>{NOT_FOUND[lang]}" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    # switching language stays on the same address
    assert f'href="{path}?lang=ru"' in r.text


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
async def test_deep_unknown_paths_follow_the_remembered_language(
    client: Client, make_campaign: MakeCampaign, lang: str
) -> None:
    await make_campaign()
    await client.get(f"/s/test-parents?lang={lang}")  # sets the language cookie
    r = await client.get("/s/a/b/c/d")
    assert r.status_code == 404 and f'<html lang="{lang}">' in r.text and NOT_FOUND[lang] in r.text


async def test_the_catch_all_does_not_shadow_real_pages(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    await make_campaign()
    campaign = await make_campaign(
        "teachers-link", instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link"
    )
    token = (await ensure_school_link(session, campaign.id, (await make_school()).id)).token
    await session.commit()
    assert (await client.get("/s/test-parents")).status_code == 200
    assert (await client.get("/s/test-parents/thanks")).status_code == 200
    assert (await client.get("/s/test-parents/qr.svg")).headers["content-type"].startswith("image/svg+xml")
    assert (await client.get("/s/test-parents/qr.png")).headers["content-type"] == "image/png"
    assert 'name="_key"' in (await client.get(f"/s/teachers-link/{token}")).text
    assert (await client.get(f"/s/teachers-link/{token}/qr.svg")).headers["content-type"].startswith("image/svg")
    assert (await client.get(f"/s/teachers-link/{token}/qr.png")).headers["content-type"] == "image/png"
    fields = await open_form(client, "/s/test-parents")
    assert (await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})).status_code == 303
    assert await count(session) == 1


async def test_the_code_forms_address_opened_directly_leads_back_to_the_survey(
    client: Client, make_campaign: MakeCampaign
) -> None:
    await make_campaign()
    r = await client.get("/s/test-parents/code?lang=uk", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/s/test-parents?lang=uk"
