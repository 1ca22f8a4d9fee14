"""Issue 9 over real HTTP: nothing typed is lost on an error page, conditional answers left behind
without JavaScript are dropped on every show-if, drafts are hidden on every route, and the pages
say who runs the survey in the browser's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.app import create_app
from pmp_surveys.distribution.service import ensure_school_link, hash_code, issue_codes, normalize_code
from pmp_surveys.responses.models import Response
from pmp_surveys.settings import Settings
from tests.pages.conftest import PARENT_FORM, TEACHER_FORM, MakeCampaign, hidden_fields, open_form, post_form

Client = AsyncTestClient[Litestar]
COMMENT = {"comment": "Grupas vadītāja bija lieliska"}
#: The carry form of an error page: every field it posts back.
CARRY = re.compile(r'<form method="post" action="(?P<action>[^"]+)" class="carry-form">(?P<body>.*?)</form>', re.S)


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Response)) or 0)


def carried(html: str) -> tuple[str, dict[str, str], str | None]:
    """(action, hidden fields, language-switch value of its button) of an error page's carry form."""
    match = CARRY.search(html)
    assert match, html
    switch = re.search(r'name="_switch_lang" value="(\w+)"', match["body"])
    return match["action"], hidden_fields(match["body"]), switch[1] if switch else None


async def post_carried(client: Client, html: str) -> Any:
    action, fields, switch = carried(html)
    return await post_form(client, action, {**fields, **({"_switch_lang": switch} if switch else {})})


# --- error pages keep what was typed ---------------------------------------------------------


async def test_rate_limited_post_hands_the_answers_back(
    settings: Settings, engine: object, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=1))
    async with AsyncTestClient(app=app) as client:
        fields = await open_form(client, "/s/test-parents?lang=en")
        assert (await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})).status_code == 303
        second = {**fields, **PARENT_FORM, **COMMENT, "_key": "another-browser-key"}
        busy = await post_form(client, "/s/test-parents", second)
        assert busy.status_code == 429
        assert "Back to my answers" in busy.text and "Wait a minute" in busy.text
        action, kept, _ = carried(busy.text)
        assert action == "/s/test-parents" and kept["comment"] == COMMENT["comment"]
        assert kept["_key"] == "another-browser-key"
        back = await post_carried(client, busy.text)  # a re-render, not a submission: not limited
        assert back.status_code == 200, back.text
        assert re.search(r'id="q-programme-bea" name="programme" value="bea" checked', back.text)
        assert COMMENT["comment"] in back.text and 'value="another-browser-key"' in back.text
    assert await count(session) == 1


async def test_survey_closed_while_answering_shows_the_typed_text(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    campaign = await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    campaign.closes_at = datetime.now(UTC) - timedelta(minutes=1)
    await session.commit()
    closed = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, **COMMENT})
    assert closed.status_code == 410
    assert f">{COMMENT['comment']}</textarea>" in closed.text and "nokopējiet savu tekstu" in closed.text
    assert await count(session) == 0


async def test_expired_form_token_hands_the_answers_back_with_a_fresh_one(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    forged = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "_csrf": "stale"})
    assert forged.status_code == 403 and "Atgriezties pie savām atbildēm" in forged.text
    back = await post_carried(client, forged.text)
    assert back.status_code == 200
    assert re.search(r'name="child_age" value="age_4_7" checked', back.text)
    ok = await post_form(client, "/s/test-parents", {**hidden_fields(back.text), **PARENT_FORM})
    assert ok.status_code == 303
    assert await count(session) == 1


async def test_same_key_with_other_answers_offers_answer_again_with_them(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    assert (await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})).status_code == 303
    changed = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, **COMMENT})
    assert changed.status_code == 409
    action, kept, _ = carried(changed.text)
    assert action == "/s/test-parents/again" and "_key" not in kept
    again = await post_carried(client, changed.text)
    assert again.status_code == 200 and COMMENT["comment"] in again.text
    new_fields = hidden_fields(again.text)
    assert new_fields["_key"] != fields["_key"]
    assert (await post_form(client, "/s/test-parents", {**new_fields, **PARENT_FORM, **COMMENT})).status_code == 303
    assert await count(session) == 2


async def test_expired_code_carries_the_answers_and_a_used_code_keeps_them(
    client: Client, make_campaign: MakeCampaign, make_school: Any, session: AsyncSession
) -> None:
    campaign = await make_campaign(
        "teachers-code", instrument="teacher-self-efficacy", audience="teachers", access_mode="access_code"
    )
    school = await make_school()
    first, second = await issue_codes(session, campaign.id, school.id, 2)
    await session.commit()
    code_page = await client.get("/s/teachers-code")
    entered = await post_form(client, "/s/teachers-code/code", {**hidden_fields(code_page.text), "code": first})
    assert entered.status_code == 303
    fields = await open_form(client, "/s/teachers-code")
    client.cookies.delete("pmp_code")
    expired = {**fields, "_code": "expired|0|x", **TEACHER_FORM}
    carry_page = await post_form(client, "/s/teachers-code", expired)
    assert carry_page.status_code == 409 and "Jūsu atbildes nav zudušas" in carry_page.text
    kept = hidden_fields(carry_page.text)
    assert kept["tses_01"] == TEACHER_FORM["tses_01"] and kept["_key"] == fields["_key"] and "_code" not in kept
    # someone else used the first code meanwhile: the code page comes back, answers still carried
    used_hash = hash_code(normalize_code(first) or "")
    await session.execute(text("UPDATE access_codes SET used = true WHERE code_hash = :h"), {"h": used_hash})
    await session.commit()
    used = await post_form(client, "/s/teachers-code/code", {**kept, "code": first})
    assert used.status_code == 409 and "jau ir izmantots" in used.text
    assert hidden_fields(used.text)["tses_01"] == TEACHER_FORM["tses_01"]
    wrong = await post_form(client, "/s/teachers-code/code", {**hidden_fields(used.text), "code": "ABCD-EFGH-JK"})
    assert wrong.status_code == 422 and hidden_fields(wrong.text)["tses_01"] == TEACHER_FORM["tses_01"]
    done = await post_form(client, "/s/teachers-code/code", {**hidden_fields(wrong.text), "code": second})
    assert done.status_code == 303 and "/thanks" in done.headers["location"], done.text
    assert await count(session) == 1
    # the browser is told it answered
    assert "Jūs jau atbildējāt" in (await client.get("/s/teachers-code")).text


# --- conditional questions on pages ------------------------------------------------------------

UNMET = [
    ("parent-satisfaction", "parents", PARENT_FORM, {"programme": "bea", "programme_other": "Šaha pulciņš"}),
    (
        "resident-perception",
        "residents",
        {"availability_rating": "4", "school_age_children": "no"},
        {"aware": "no", "services_known": "career"},
    ),
    ("teacher-self-efficacy", "teachers", TEACHER_FORM, {"learned_identification": "no", "uses_identification": "yes"}),
]


@pytest.mark.parametrize(("instrument", "audience", "form", "left_behind"), UNMET, ids=[u[0] for u in UNMET])
async def test_every_show_if_drops_an_answer_left_behind_on_pages_but_not_in_the_api(
    client: Client,
    make_campaign: MakeCampaign,
    session: AsyncSession,
    instrument: str,
    audience: str,
    form: dict[str, str],
    left_behind: dict[str, str],
) -> None:
    await make_campaign("cond", instrument=instrument, audience=audience)
    fields = await open_form(client, "/s/cond")
    r = await post_form(client, "/s/cond", {**fields, **form, **left_behind})
    assert r.status_code == 303, r.text
    assert await count(session) == 1
    api = await client.post(
        "/api/v1/campaigns/cond/responses",
        json={"answers": {**form, **left_behind}},
        headers={"Idempotency-Key": "api-1"},
    )
    assert api.status_code in (400, 422)  # strict: the JSON API names the problem
    assert await count(session) == 1


# --- drafts do not exist --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "/thanks", "/qr.svg", "/qr.png"])
async def test_a_draft_campaign_does_not_exist_on_any_route(
    client: Client, make_campaign: MakeCampaign, path: str
) -> None:
    await make_campaign(status="draft")
    assert (await client.get(f"/s/test-parents{path}")).status_code == 404


async def test_a_draft_campaigns_school_link_and_qr_do_not_exist(
    client: Client, make_campaign: MakeCampaign, make_school: Any, session: AsyncSession
) -> None:
    campaign = await make_campaign(
        "t-draft", instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link", status="draft"
    )
    school = await make_school()
    token = (await ensure_school_link(session, campaign.id, school.id)).token
    await session.commit()
    for path in ("", "/qr.svg", "/qr.png"):
        assert (await client.get(f"/s/t-draft/{token}{path}")).status_code == 404, path


# --- trust and language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [("ru-RU,ru;q=0.9", "ru"), ("uk", "uk"), ("de-DE,en;q=0.5", "en"), ("ru;q=0.3, en;q=0.8", "en"), ("de", "lv")],
)
async def test_first_visit_language_comes_from_accept_language(
    client: Client, make_campaign: MakeCampaign, header: str, lang: str
) -> None:
    await make_campaign()
    page = await client.get("/s/test-parents", headers={"Accept-Language": header})
    assert f'<html lang="{lang}">' in page.text


async def test_a_chosen_language_wins_over_accept_language(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    await client.get("/s/test-parents?lang=uk")
    page = await client.get("/s/test-parents", headers={"Accept-Language": "ru"})
    assert '<html lang="uk">' in page.text


@pytest.mark.parametrize("lang", ["ru", "uk"])
async def test_russian_and_ukrainian_pages_name_the_municipality_in_latvian(
    client: Client, make_campaign: MakeCampaign, lang: str
) -> None:
    await make_campaign()
    page = await client.get(f"/s/test-parents?lang={lang}")
    header = page.text.split("</header>")[0]
    assert '<span lang="lv">Rīgas valstspilsētas pašvaldība</span>' in header
    assert page.text.count('<span lang="lv">Rīgas valstspilsētas pašvaldība</span>') >= 2  # and in the notice
    assert "priekšlaicīga mācību pārtraukšana" in page.text  # PMP explained
    assert "«" in page.text and "„" not in page.text.split("<main")[1]


async def test_english_page_explains_pmp_and_uses_english_quotes(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    page = await client.get("/s/test-parents?lang=en")
    assert "Rīga State City Municipality" in page.text.split("</header>")[0]
    assert "Latvian abbreviation" in page.text
    assert "“Other”" in page.text


async def test_demo_campaigns_say_so(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign("demo-test-parents")
    await make_campaign("real-parents")
    assert "Demonstrācija." in (await client.get("/s/demo-test-parents")).text
    assert "Demonstrācija." not in (await client.get("/s/real-parents")).text


async def test_a_school_link_page_names_its_school(
    client: Client, make_campaign: MakeCampaign, make_school: Any, session: AsyncSession
) -> None:
    campaign = await make_campaign(
        "t-link", instrument="teacher-self-efficacy", audience="teachers", access_mode="school_link"
    )
    school = await make_school("s9")
    token = (await ensure_school_link(session, campaign.id, school.id)).token
    await session.commit()
    page = await client.get(f"/s/t-link/{token}?lang=en")
    assert "School: School s9" in page.text


def test_likert_points_mean_the_same_in_all_four_languages(surveys_dir: Any) -> None:
    """Satisfaction midpoint "neither … nor" and endpoints "completely" in every language; the
    Latvian programme name quoted the way the surrounding language quotes."""
    from pmp_surveys.instruments.loader import load_instrument_file

    parents = load_instrument_file(surveys_dir / "parent-satisfaction.toml").instrument
    labels = parents.question("overall_satisfaction").labels  # type: ignore[union-attr]
    assert labels is not None
    middle, ends = labels[2], (labels[0], labels[4])
    assert middle.lv.startswith("Ne ") and middle.ru.startswith("Ни ") and middle.uk.startswith("Ні ")
    assert middle.en.startswith("Neither ")
    for end in ends:
        assert end.lv.startswith("Pilnīgi") and end.en.startswith("Completely")
        assert end.ru.split()[0] in ("Полностью", "Совсем") and end.uk.split()[0] in ("Повністю", "Зовсім")
    for question in parents.questions:
        for option in getattr(question, "options", None) or []:
            for lang in ("ru", "uk", "en"):
                assert "„" not in option.label.get(lang), (question.id, lang)
