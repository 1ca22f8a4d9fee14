"""Signed tokens, CSRF and the submission rate limit, as units; and error pages as pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.responses.models import Response
from pmp_surveys.web.csrf import Signer
from tests.pages.conftest import PARENT_FORM, MakeCampaign, open_form, post_form

Client = AsyncTestClient[Litestar]


def test_signed_values_check_purpose_expiry_and_signature() -> None:
    signer = Signer(b"k" * 32)
    token = signer.sign("code:a", "ABCDEFGHJK", max_age=60, now=1000)
    assert signer.unsign("code:a", token, now=1059) == "ABCDEFGHJK"
    assert signer.unsign("code:a", token, now=1061) is None  # expired
    assert signer.unsign("code:b", token, now=1000) is None  # another survey
    assert signer.unsign("code:a", token.replace("ABC", "ABD"), now=1000) is None  # tampered
    assert Signer(b"x" * 32).unsign("code:a", token, now=1000) is None  # another key
    assert signer.unsign("code:a", None) is None and signer.unsign("code:a", "a|b") is None


def test_csrf_token_is_bound_to_the_cookie_nonce() -> None:
    signer = Signer(b"k" * 32)
    nonce = signer.new_nonce()
    token = signer.csrf_token(nonce)
    assert signer.csrf_valid(nonce, token)
    assert not signer.csrf_valid(signer.new_nonce(), token)
    assert not signer.csrf_valid(None, token) and not signer.csrf_valid(nonce, None)


async def test_changed_answers_under_a_used_key_get_the_already_submitted_page(
    client: Client, make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents")
    assert (await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM})).status_code == 303
    # back button, change an answer, submit again: the stored response stays as it was
    changed = await post_form(client, "/s/test-parents", {**fields, **PARENT_FORM, "overall_satisfaction": "1"})
    assert changed.status_code == 409
    assert "Atbildes jau saņemtas" in changed.text
    assert await session.scalar(select(func.count()).select_from(Response)) == 1


async def test_oversized_post_gets_a_413_page(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    fields = await open_form(client, "/s/test-parents?lang=en")
    r = await post_form(client, "/s/test-parents", {**fields, "comment": "x" * 70_000})
    assert r.status_code == 413
    assert "The answers are too long" in r.text


async def test_qr_svg_parses_and_png_has_a_header(client: Client, make_campaign: MakeCampaign) -> None:
    await make_campaign()
    page = await client.get("/s/test-parents")
    assert page.headers["cache-control"] == "private, no-cache"
    response = await client.get("/s/test-parents/qr.svg")
    assert response.headers["cache-control"] == "public, max-age=3600"
    svg = ET.fromstring(response.content)
    assert svg.tag.endswith("svg") and int(svg.get("width", "0")) > 100
    png = (await client.get("/s/test-parents/qr.png")).content
    assert png[12:16] == b"IHDR" and int.from_bytes(png[16:20], "big") > 100
