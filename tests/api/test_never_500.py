"""Property: whatever a client sends, the submission API answers 2xx or a clear 4xx — never a
500 — and stores a row only for a 201.

Bodies are drawn by hypothesis (derandomised, so CI runs the same cases every time): real and
made-up question ids, values of every JSON type, wrong shapes at every level, stray fields.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.app import create_app
from pmp_surveys.responses.models import Response
from pmp_surveys.settings import Settings
from tests.api.conftest import PARENT_ANSWERS, MakeCampaign

QUESTION_IDS = [*PARENT_ANSWERS, "programme_other", "comment"]
OPTION_VALUES = ["bea", "cap", "other", "yes", "no", "dont_know", "age_4_7", "", "BEA", "x" * 300]

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(OPTION_VALUES),
    st.text(max_size=60),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
answer_value = st.one_of(
    st.integers(min_value=-3, max_value=12),
    st.sampled_from(OPTION_VALUES),
    st.lists(st.sampled_from(OPTION_VALUES)),
    json_value,
)
answers = st.dictionaries(
    st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=20)), answer_value, max_size=len(QUESTION_IDS) + 2
)
# Mostly the valid answers with a few keys perturbed, so deep validation paths are reached too.
perturbed = st.builds(lambda changes: {**PARENT_ANSWERS, **changes}, answers)
body = st.one_of(
    st.fixed_dictionaries({"answers": st.one_of(answers, perturbed)}),
    st.fixed_dictionaries(
        {"answers": perturbed},
        optional={
            "lang": st.one_of(st.sampled_from(["lv", "ru", "uk", "en", "de", ""]), json_value),
            "extra": json_value,
        },
    ),
    json_value,
)


@pytest.fixture
async def client(settings: Settings, engine: Any) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The app with the per-client rate limit off: hundreds of posts from one test client."""
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))
    async with AsyncTestClient(app=app) as client:
        yield client


def draw_bodies(count: int) -> list[Any]:
    drawn: list[Any] = []

    @settings(max_examples=count, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(body)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


async def test_any_body_gets_2xx_or_a_clear_4xx_and_only_201s_store(
    client: AsyncTestClient[Litestar], make_campaign: MakeCampaign, session: AsyncSession
) -> None:
    slug = await make_campaign()
    created = 0
    for i, value in enumerate(draw_bodies(300)):
        r = await client.post(
            f"/api/v1/campaigns/{slug}/responses",
            content=json.dumps(value),
            headers={"Idempotency-Key": f"fuzz-{i}", "Content-Type": "application/json"},
        )
        assert r.status_code in (201, 400, 409, 413, 422), (value, r.status_code, r.text)
        if r.status_code >= 400:
            problem = r.json()
            assert problem["title"] and problem["status"] == r.status_code, problem
            if r.status_code in (400, 422):
                assert problem.get("errors"), (value, problem)
        created += r.status_code == 201
    stored = await session.scalar(select(func.count()).select_from(Response))
    assert stored == created
    assert created > 0  # the perturbed bodies include valid ones: the property is not vacuous


async def test_raw_bytes_never_500(client: AsyncTestClient[Litestar], make_campaign: MakeCampaign) -> None:
    slug = await make_campaign()
    drawn: list[bytes] = []

    @settings(max_examples=100, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=200))
    def collect(value: bytes) -> None:
        drawn.append(value)

    collect()
    for i, raw in enumerate(drawn):
        r = await client.post(
            f"/api/v1/campaigns/{slug}/responses",
            content=raw,
            headers={"Idempotency-Key": f"raw-{i}", "Content-Type": "application/json"},
        )
        assert 400 <= r.status_code < 500, (raw, r.status_code, r.text)
