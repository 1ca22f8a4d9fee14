"""POST /api/v1/campaigns/{slug}/responses: every status the API promises, and nothing partial."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from httpx import AsyncClient
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.responses.models import Response
from tests.api.conftest import PARENT_ANSWERS, MakeCampaign


def url(slug: str) -> str:
    return f"/api/v1/campaigns/{slug}/responses"


async def post(client: AsyncClient, slug: str, body: Any, key: str | None = None, **kw: Any) -> Any:
    headers = {} if key is None else {"Idempotency-Key": key}
    return await client.post(url(slug), json=body, headers=headers, **kw)


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Response)) or 0)


async def test_valid_submission_is_stored_once_and_acknowledged_with_201(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    r = await post(client, slug, {"answers": PARENT_ANSWERS}, key="k-1")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "stored"
    assert r.json()["replayed"] is False
    assert await count(session) == 1
    row = (await session.execute(select(Response))).scalar_one()
    # typed layout: one small integer per coded variable, overall satisfaction among them
    assert 5 in row.codes
    assert row.idempotency_key != b"k-1" and len(row.idempotency_key) == 32  # hashed, not raw


async def test_nothing_identifying_is_stored_with_answers(session: AsyncSession, engine: Any) -> None:
    columns = (
        await session.execute(
            text("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'responses'")
        )
    ).all()
    names = {c[0] for c in columns}
    assert not names & {"ip", "ip_address", "user_agent", "access_code", "code", "created_at", "submitted_at"}
    types = {c[0]: c[1] for c in columns}
    assert types["submitted_on"] == "date"  # the day only, no time of day


async def test_same_key_same_body_replays_without_storing_again(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    first = await post(client, slug, {"answers": PARENT_ANSWERS}, key="retry-1")
    second = await post(client, slug, {"answers": PARENT_ANSWERS}, key="retry-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["replayed"] is True
    assert second.headers["Idempotent-Replayed"] == "true"
    assert await count(session) == 1


async def test_same_key_different_body_is_409(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    assert (await post(client, slug, {"answers": PARENT_ANSWERS}, key="k")).status_code == 201
    changed = {**PARENT_ANSWERS, "overall_satisfaction": 1}
    r = await post(client, slug, {"answers": changed}, key="k")
    assert r.status_code == 409
    assert r.json()["type"] == "idempotency_key_reused"
    assert await count(session) == 1


async def test_concurrent_identical_posts_store_one_row(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    key = str(uuid.uuid4())
    results = await asyncio.gather(*(post(client, slug, {"answers": PARENT_ANSWERS}, key=key) for _ in range(20)))
    assert {r.status_code for r in results} == {201}
    assert sum(not r.json()["replayed"] for r in results) == 1
    assert await count(session) == 1


async def test_unknown_campaign_is_404(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    await make_campaign()
    r = await post(client, "no-such-survey", {"answers": PARENT_ANSWERS}, key="k")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_not_yet_open_is_409_and_closed_is_410(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    future = await make_campaign("later", opens_in=timedelta(days=3))
    past = await make_campaign("ended", closed_ago=timedelta(minutes=1))
    closed = await make_campaign("closed", status="closed")
    draft = await make_campaign("draft", status="draft")
    r = await post(client, future, {"answers": PARENT_ANSWERS}, key="a")
    assert r.status_code == 409 and "opens" in r.json()["title"]
    for slug in (past, closed):
        r = await post(client, slug, {"answers": PARENT_ANSWERS}, key="b")
        assert r.status_code == 410 and "closed" in r.json()["title"]
    assert (await post(client, draft, {"answers": PARENT_ANSWERS}, key="c")).status_code == 409
    assert await count(session) == 0


async def test_missing_idempotency_key_is_400(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    r = await post(client, slug, {"answers": PARENT_ANSWERS})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_invalid_answers_get_one_message_per_question(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    answers = dict(PARENT_ANSWERS)
    del answers["overall_satisfaction"]  # missing required
    answers["aspect_topics"] = 7  # out of range
    answers["programme"] = "yoga"  # unknown option
    answers["favourite_colour"] = "blue"  # unknown question
    answers["aspect_leader"] = [4]  # wrong type
    answers["programme_other"] = "x"  # condition not met (programme is not "other")
    r = await post(client, slug, {"answers": answers}, key="bad")
    assert r.status_code == 422, r.text
    by_field = {e["field"]: e["code"] for e in r.json()["errors"]}
    assert by_field["overall_satisfaction"] == "required"
    assert by_field["aspect_topics"] == "out_of_range"
    assert by_field["favourite_colour"] == "unknown_question"
    assert by_field["aspect_leader"] == "wrong_type"
    assert by_field["programme"] == "unknown_option"
    assert all(e["message"] for e in r.json()["errors"])
    assert await count(session) == 0


async def test_condition_not_met_is_reported(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    r = await post(client, slug, {"answers": {**PARENT_ANSWERS, "programme_other": "chess club"}}, key="c")
    assert r.status_code == 422
    assert {e["field"]: e["code"] for e in r.json()["errors"]} == {"programme_other": "condition_not_met"}


async def test_messages_follow_the_requested_language(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign
) -> None:
    slug = await make_campaign()
    answers = {k: v for k, v in PARENT_ANSWERS.items() if k != "overall_satisfaction"}
    messages = {}
    for lang in ("lv", "ru", "uk", "en"):
        r = await post(client, slug, {"answers": answers, "lang": lang}, key=f"m-{lang}")
        assert r.status_code == 422
        messages[lang] = r.json()["errors"][0]["message"]
    assert len(set(messages.values())) == 4, messages
    r = await client.post(url(slug) + "?lang=ru", json={"answers": answers}, headers={"Idempotency-Key": "q"})
    assert r.json()["errors"][0]["message"] == messages["ru"]


async def test_malformed_and_unknown_fields_are_400_never_500(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    headers = {"Idempotency-Key": "m", "Content-Type": "application/json"}
    for body in (
        b"{not json",
        b"[]",
        b'{"answers": 3}',
        b'{"answers": {}, "extra": 1}',
        b'{"lang": "de", "answers": {}}',
        b"",
    ):
        r = await client.post(url(slug), content=body, headers=headers)
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
    assert await count(session) == 0


async def test_oversized_body_is_413(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    big = {"answers": {**PARENT_ANSWERS, "comment": "x" * 200_000}}
    r = await post(client, slug, big, key="big")
    assert r.status_code == 413


async def test_too_long_text_is_422(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    r = await post(client, slug, {"answers": {**PARENT_ANSWERS, "comment": "x" * 1001}}, key="long")
    assert r.status_code == 422
    assert r.json()["errors"][0] == {**r.json()["errors"][0], "field": "comment", "code": "too_long"}


async def test_response_pins_the_instrument_version(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    assert (await post(client, slug, {"answers": PARENT_ANSWERS}, key="v")).status_code == 201
    row = (
        await session.execute(
            text(
                "SELECT r.instrument_version_id = c.instrument_version_id FROM responses r"
                " JOIN campaigns c ON c.id = r.campaign_id"
            )
        )
    ).scalar_one()
    assert row is True
