"""Teacher pages: a school's link sets the school; single-use access codes, redeemed atomically."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.distribution.service import ensure_school_link, issue_codes
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School
from tests.pages.conftest import TEACHER_FORM, MakeCampaign, hidden_fields, open_form, post_form

Client = AsyncTestClient[Litestar]
MakeSchool = Callable[..., Awaitable[School]]


async def responses(session: AsyncSession) -> list[Response]:
    session.expire_all()
    return list((await session.scalars(select(Response))).all())


async def teacher_campaign(make_campaign: MakeCampaign, slug: str, access_mode: str) -> int:
    campaign = await make_campaign(
        slug, instrument="teacher-self-efficacy", audience="teachers", access_mode=access_mode
    )
    return campaign.id


async def test_school_link_sets_the_school(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    campaign_id = await teacher_campaign(make_campaign, "teachers-link", "school_link")
    school_id = (await make_school()).id
    token = (await ensure_school_link(session, campaign_id, school_id)).token
    await session.commit()
    assert len(token) >= 16  # 96 random bits, URL-safe
    assert (await ensure_school_link(session, campaign_id, school_id)).token == token
    url = f"/s/teachers-link/{token}"
    fields = await open_form(client, url)
    r = await post_form(client, url, {**fields, **TEACHER_FORM})
    assert r.status_code == 303, r.text
    [row] = await responses(session)
    assert row.school_id == school_id
    # the bare campaign link tells teachers to use their school's link; a wrong token is a 404
    bare = await client.get("/s/teachers-link")
    assert bare.status_code == 200 and "Izmantojiet savas skolas saiti" in bare.text
    assert (await client.get("/s/teachers-link/not-a-token")).status_code == 404
    svg = await client.get(f"{url}/qr.svg")
    assert svg.status_code == 200 and token.encode() in svg.content
    assert (await client.get(f"{url}/qr.png")).content.startswith(b"\x89PNG")


async def enter_code(client: Client, slug: str, code: str) -> object:
    page = await client.get(f"/s/{slug}")
    assert page.status_code == 200 and 'name="code"' in page.text
    fields = hidden_fields(page.text)
    return await post_form(client, f"/s/{slug}/code", {**fields, "code": code})


async def test_access_codes_single_use_atomic_and_unlinkable(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    campaign_id = await teacher_campaign(make_campaign, "teachers-code", "access_code")
    other_id = await teacher_campaign(make_campaign, "teachers-other", "access_code")
    school_id = (await make_school()).id
    codes = await issue_codes(session, campaign_id, school_id, 2)
    foreign = await issue_codes(session, other_id, school_id, 1)
    await session.commit()
    assert len(codes) == 2 and all(len(c) == 12 and c[4] == c[9] == "-" for c in codes)
    stored = (await session.execute(text("SELECT code_hash FROM access_codes"))).scalars().all()
    assert all(len(h) == 32 for h in stored)
    assert not any(c.replace("-", "").encode() in h for c in codes for h in stored)

    # a code of another campaign, and a made-up one, are refused with a clear message
    wrong = await enter_code(client, "teachers-code", foreign[0])
    assert wrong.status_code == 422 and "Šāds kods šai aptaujai nav atrasts" in wrong.text  # type: ignore[attr-defined]
    typo = await enter_code(client, "teachers-code", "ABCD-EFGH-JK")
    assert typo.status_code == 422  # type: ignore[attr-defined]

    # the first code opens the questionnaire (typed in lower case without hyphens)
    ok = await enter_code(client, "teachers-code", codes[0].replace("-", "").lower())
    assert ok.status_code == 303 and ok.headers["location"].startswith("/s/teachers-code")  # type: ignore[attr-defined]
    fields = await open_form(client, "/s/teachers-code")
    assert "_code" in fields
    done = await post_form(client, "/s/teachers-code", {**fields, **TEACHER_FORM})
    assert done.status_code == 303 and "/thanks" in done.headers["location"], done.text
    # a replay with the same one-time key after the code was used is the same response, not an error
    replay = await post_form(client, "/s/teachers-code", {**fields, **TEACHER_FORM})
    assert replay.status_code == 303 and "/thanks" in replay.headers["location"], replay.text
    # ... even once the signed code token is gone
    late = {k: v for k, v in fields.items() if k != "_code"}
    assert (await post_form(client, "/s/teachers-code", {**late, **TEACHER_FORM})).status_code == 303
    rows = await responses(session)
    assert len(rows) == 1 and rows[0].school_id == school_id

    # this browser has answered: it is told so, and "answer again" leads to the code page
    answered = await client.get("/s/teachers-code")
    assert "Jūs jau atbildējāt" in answered.text and 'name="code"' not in answered.text
    again_page = await post_form(client, "/s/teachers-code/again", hidden_fields(answered.text))
    assert again_page.status_code == 303
    # the used code now fails, at the code page and at submission with a fresh key
    reused = await enter_code(client, "teachers-code", codes[0])
    assert reused.status_code == 409 and "jau ir izmantots" in reused.text  # type: ignore[attr-defined]
    fresh = {**fields, "_key": "another-key"}
    again = await post_form(client, "/s/teachers-code", {**fresh, **TEACHER_FORM})
    assert again.status_code == 409 and "jau ir izmantots" in again.text
    assert len(await responses(session)) == 1

    # the access_codes table has no way to reach the response
    columns = set(
        (
            await session.execute(
                text("SELECT column_name FROM information_schema.columns WHERE table_name = 'access_codes'")
            )
        ).scalars()
    )
    assert columns == {"id", "campaign_id", "school_id", "code_hash", "used", "created_at"}
    used = (await session.execute(text("SELECT used FROM access_codes ORDER BY used DESC"))).scalars().all()
    assert used == [True, False, False]


async def test_questionnaire_without_a_code_shows_the_code_page(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await teacher_campaign(make_campaign, "teachers-code", "access_code")
    page = await client.get("/s/teachers-code?lang=en")
    assert "Enter your access code" in page.text and 'name="_key"' not in page.text
    fields = hidden_fields(page.text)
    # posting answers without a valid code token asks for the code again
    r = await post_form(client, "/s/teachers-code", {**fields, "_key": "k", "_code": "forged|1|x", **TEACHER_FORM})
    assert r.status_code == 409 and "expired" in r.text
    assert await responses(session) == []
    empty = await post_form(client, "/s/teachers-code/code", {**fields, "code": ""})
    assert empty.status_code == 422 and "Please enter your access code." in empty.text
    assert 'aria-invalid="true"' in empty.text


async def test_json_api_cannot_bypass_codes_or_school_links(client: Client, make_campaign: MakeCampaign) -> None:
    await teacher_campaign(make_campaign, "teachers-code", "access_code")
    await teacher_campaign(make_campaign, "teachers-link", "school_link")
    for slug in ("teachers-code", "teachers-link"):
        r = await client.post(
            f"/api/v1/campaigns/{slug}/responses", json={"answers": {}}, headers={"Idempotency-Key": "k"}
        )
        assert r.status_code == 403
        assert r.json()["type"] == "access_restricted"


async def test_a_school_link_cannot_open_an_access_code_campaign(
    client: Client, make_campaign: MakeCampaign, make_school: MakeSchool, session: AsyncSession
) -> None:
    campaign_id = await teacher_campaign(make_campaign, "teachers-code", "access_code")
    school_id = (await make_school()).id
    token = (await ensure_school_link(session, campaign_id, school_id)).token
    await session.commit()
    assert (await client.get(f"/s/teachers-code/{token}")).status_code == 404
