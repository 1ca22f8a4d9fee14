"""GET /api/v1/evaluations/{municipality}/{wave}: evaluators of that municipality only."""

from __future__ import annotations

import msgspec
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.models import User
from pmp_surveys.accounts.passwords import hash_password
from pmp_surveys.accounts.service import start_session
from pmp_surveys.indicators.repository import IndicatorRepository
from tests.indicators.conftest import Seeder, share_answers


async def sign_in(session: AsyncSession, role: str, municipality: str | None, school_id: int | None = None) -> str:
    user = User(
        email=f"{role}-{municipality}@example.lv",
        name=role,
        password_hash=hash_password("correct horse battery"),
        role=role,
        municipality=municipality,
        school_id=school_id,
        active=True,
    )
    session.add(user)
    await session.flush()
    token = await start_session(session, user)
    await session.commit()
    return token


async def get(client: AsyncTestClient[Litestar], url: str, token: str | None, **params: str) -> Response:
    """GET as the user of `token` (None: signed out)."""
    client.cookies.clear()
    if token is not None:
        client.cookies.set(SESSION_COOKIE, token)
    return await client.get(url, params=params)


async def test_evaluators_see_only_their_municipality(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: Seeder
) -> None:
    await seeded.responses("bauska", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10}))
    await seeded.responses("bauska", "resident-perception", 2026, share_answers("availability_rating", {4: 2, 1: 1}))
    await session.commit()
    bauska = await sign_in(session, "evaluator", "bauska")
    riga = await sign_in(session, "evaluator", "riga")
    school = (await IndicatorRepository(session).schools("bauska"))[0].id
    coordinator = await sign_in(session, "coordinator", "bauska", school)

    response = await get(client, "/api/v1/evaluations/bauska/2026", bauska)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["format_version"] == "1.3" and body["municipality"] == "bauska" and body["wave"] == 2026
    b1 = next(r for r in body["indicators"] if r["code"] == "B1")
    assert b1["value"] == 0.8 and b1["n"] == 50
    b2 = next(r for r in body["indicators"] if r["code"] == "B2")
    assert b2["suppressed"] is True and b2["value"] is None and b2["n"] is None

    csv = await get(client, "/api/v1/evaluations/bauska/2026.csv", bauska)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    header, *rows = csv.text.splitlines()
    assert header.startswith("\ufeffcode,") and len(rows) == len(body["indicators"])  # BOM for Excel

    published = await get(client, "/api/v1/evaluations/bauska/2026", bauska, baseline="published")
    assert published.json()["baseline"] == "published"

    other = await get(client, "/api/v1/evaluations/bauska/2026", riga)
    assert other.status_code == 404
    assert (await get(client, "/api/v1/evaluations/bauska/2026.csv", riga)).status_code == 404
    assert (await get(client, "/api/v1/evaluations/bauska/2026", coordinator)).status_code == 403
    assert (await get(client, "/api/v1/evaluations/bauska/2026", None)).status_code == 401


async def test_bad_parameters_are_422(client: AsyncTestClient[Litestar], session: AsyncSession, seeded: Seeder) -> None:
    token = await sign_in(session, "evaluator", "bauska")
    bad_wave = await get(client, "/api/v1/evaluations/bauska/twenty", token)
    assert bad_wave.status_code == 422 and bad_wave.json()["errors"][0]["field"] == "wave"
    bad_baseline = await get(client, "/api/v1/evaluations/bauska/2026", token, baseline="x")
    assert bad_baseline.status_code == 422 and bad_baseline.json()["errors"][0]["field"] == "baseline"
    operator = await sign_in(session, "operator", None)
    unknown = await get(client, "/api/v1/evaluations/nowhere/2026", operator)
    assert unknown.status_code == 404
    ok = msgspec.json.decode((await get(client, "/api/v1/evaluations/bauska/2026", token)).content)
    assert all(r["verdict"] in {"no_data", "no_target", "suppressed"} or r["value"] for r in ok["indicators"])
