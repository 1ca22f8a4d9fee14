"""The export routes: evaluators of the campaign's municipality only, every format downloadable."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pyreadstat
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .conftest import TEACHER, Arrange, SignIn

BASE = "/api/v1/exports/campaigns"


@pytest.fixture
async def teachers(arrange: Arrange) -> str:
    c = await arrange.campaign("http-teachers", "teacher-self-efficacy")
    school = await arrange.school("skola-a")
    small = await arrange.school("skola-b", teachers=3)
    await arrange.respond(c, TEACHER, school=school, times=6)
    await arrange.respond(c, TEACHER | {"tses_01": 9}, school=small, times=4)
    return c.slug


async def test_evaluator_downloads_csv(
    client: AsyncTestClient[Litestar], teachers: str, sign_in: SignIn, session: AsyncSession
) -> None:
    client.cookies.update(await sign_in("evaluator", "bauska"))
    r = await client.get(f"{BASE}/{teachers}/responses.csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="http-teachers.csv"'
    assert r.headers["cache-control"] == "no-store"
    frame = pl.read_csv(io.BytesIO(r.content), infer_schema_length=0)
    assert frame.height == 10
    # skola-b's 4 rows may not be the blank-code rows (issue #10, path 1): the blank group is all 10
    assert frame["school"].null_count() == 10
    logged = await session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'export.download'"))
    assert logged == 1


@pytest.mark.parametrize(
    ("role", "municipality", "status"),
    [("evaluator", "riga", 404), ("coordinator", "bauska", 403), ("operator", None, 200)],
)
async def test_who_may_export(
    client: AsyncTestClient[Litestar],
    teachers: str,
    sign_in: SignIn,
    arrange: Arrange,
    role: str,
    municipality: str | None,
    status: int,
) -> None:
    school_id = (await arrange.school("coord-skola")).id if role == "coordinator" else None
    client.cookies.update(await sign_in(role, municipality, school_id))
    for path in ("responses.csv", "responses.sav", "codebook.json"):
        r = await client.get(f"{BASE}/{teachers}/{path}")
        assert r.status_code == status, (path, r.text)


async def test_signed_out_is_401_and_unknown_campaign_404(
    client: AsyncTestClient[Litestar], teachers: str, sign_in: SignIn
) -> None:
    assert (await client.get(f"{BASE}/{teachers}/responses.csv")).status_code == 401
    client.cookies.update(await sign_in("evaluator", "bauska"))
    assert (await client.get(f"{BASE}/no-such-campaign/responses.csv")).status_code == 404
    assert (await client.get(f"{BASE}/{teachers}/responses.csv?lang=de")).status_code == 400


async def test_parquet_and_sav_downloads(
    client: AsyncTestClient[Litestar], teachers: str, sign_in: SignIn, tmp_path: Path
) -> None:
    client.cookies.update(await sign_in("evaluator", "bauska"))
    r = await client.get(f"{BASE}/{teachers}/responses.parquet?lang=en")
    assert r.status_code == 200, r.text
    frame = pl.read_parquet(io.BytesIO(r.content))
    assert frame.height == 10 and frame["tses_01"].to_list().count(9) == 4

    r = await client.get(f"{BASE}/{teachers}/responses.sav?lang=ru")
    assert r.status_code == 200, r.text
    path = tmp_path / "t.sav"
    path.write_bytes(r.content)
    data, meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert data.height == 10
    assert meta.variable_value_labels["attended_supervision"] == {1.0: "Да", 0.0: "Нет"}


@pytest.mark.parametrize(("fmt", "kind"), [("json", "application/json"), ("csv", "text/csv"), ("html", "text/html")])
async def test_codebook_routes(
    client: AsyncTestClient[Litestar], teachers: str, sign_in: SignIn, fmt: str, kind: str
) -> None:
    client.cookies.update(await sign_in("evaluator", "bauska"))
    r = await client.get(f"{BASE}/{teachers}/codebook.{fmt}?lang=uk")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(kind)
    assert "tses_01" in r.text and "Нічого" in r.text


async def test_wave_routes(client: AsyncTestClient[Litestar], arrange: Arrange, sign_in: SignIn) -> None:
    from .conftest import PARENT

    for slug in ("wave-a", "wave-b"):
        await arrange.respond(await arrange.campaign(slug), PARENT, times=3)
    base = "/api/v1/exports/waves/bauska/parent-satisfaction/2026"
    client.cookies.update(await sign_in("evaluator", "bauska"))
    r = await client.get(f"{base}/responses.csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="bauska-parent-satisfaction-2026.csv"'
    assert pl.read_csv(io.BytesIO(r.content))["response"].to_list() == [1, 2, 3, 4, 5]
    book = (await client.get(f"{base}/codebook.json")).json()
    assert book["campaigns"] == ["wave-a", "wave-b"] and book["responses"] == 5
    assert (await client.get(f"{base}/responses.xlsx")).status_code == 404
    assert (await client.get("/api/v1/exports/waves/bauska/parent-satisfaction/2030/responses.csv")).status_code == 404
    client.cookies.clear()
    client.cookies.update(await sign_in("evaluator", "riga"))
    assert (await client.get(f"{base}/responses.csv")).status_code == 404
