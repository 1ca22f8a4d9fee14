"""Plan revisions: immutable catalogue versions, seeded from the files, revised in /admin/plan,
used (and named) by the evaluation and the report, earlier versions reproducible. Real
PostgreSQL and HTTP."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import msgspec
import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.csrf import session_token
from pmp_surveys.accounts.models import UserSession
from pmp_surveys.accounts.service import token_hash
from pmp_surveys.app import create_app
from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.plans.models import CatalogueVersion
from pmp_surveys.settings import Settings
from tests.indicators.conftest import Seeder, share_answers
from tests.indicators.test_api import sign_in

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def csrf_of(session: AsyncSession, token: str) -> str:
    row = await session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    assert row is not None
    return session_token(row.csrf_secret)


def use(client: AsyncTestClient[Litestar], token: str) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)


async def versions(session: AsyncSession, municipality: str) -> list[int]:
    rows = await session.scalars(
        select(CatalogueVersion.version).where(CatalogueVersion.municipality == municipality).order_by("version")
    )
    return list(rows)


async def post(
    client: AsyncTestClient[Litestar], session: AsyncSession, token: str, url: str, **fields: str
) -> Response:
    use(client, token)
    return await client.post(url, data={**fields, "csrf_token": await csrf_of(session, token)}, follow_redirects=False)


async def test_files_seed_one_version_each_and_a_restart_adds_none(
    client: AsyncTestClient[Litestar], session: AsyncSession, settings: Settings
) -> None:
    token = await sign_in(session, "evaluator", "riga")
    use(client, token)
    page = await client.get("/admin/plan")
    assert page.status_code == 200, page.text
    assert await versions(session, "riga") == [1] and await versions(session, "bauska") == [1]
    stored = await session.scalar(select(CatalogueVersion).where(CatalogueVersion.municipality == "riga"))
    assert stored is not None and stored.toml == (ROOT / "analysis/municipalities/riga.toml").read_text("utf-8")
    assert stored.created_by is None and len(stored.content_hash) == 64
    # a second app (a restart, another worker) stores nothing new
    async with AsyncTestClient(app=create_app(settings)) as again:
        again.cookies.set(SESSION_COOKIE, token)
        assert (await again.get("/admin/plan")).status_code == 200
    assert await versions(session, "riga") == [1]


async def test_a_changed_seed_file_becomes_a_new_version_and_a_comment_does_not(
    session: AsyncSession, settings: Settings, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "analysis", tmp_path / "analysis")
    riga = tmp_path / "analysis/municipalities/riga.toml"
    token = await sign_in(session, "operator", None)

    async def start() -> None:
        app = create_app(msgspec.structs.replace(settings, catalogue_dir=tmp_path / "analysis"))
        async with AsyncTestClient(app=app) as client:
            client.cookies.set(SESSION_COOKIE, token)
            assert (await client.get("/admin/plan?municipality=riga")).status_code == 200

    await start()
    riga.write_text("# only a comment added\n" + riga.read_text("utf-8"), "utf-8")
    await start()
    assert await versions(session, "riga") == [1]  # layout and comments are not a revision
    riga.write_text(riga.read_text("utf-8").replace("value = 0.70, plan_text", "value = 0.75, plan_text", 1), "utf-8")
    await start()
    assert await versions(session, "riga") == [1, 2]


async def test_versions_are_immutable_in_the_database(client: AsyncTestClient[Litestar], session: AsyncSession) -> None:
    use(client, await sign_in(session, "evaluator", "riga"))
    assert (await client.get("/admin/plan")).status_code == 200
    with pytest.raises(DBAPIError, match="immutable"):
        await session.execute(text("UPDATE catalogue_versions SET note = 'x' WHERE municipality = 'riga'"))
    await session.rollback()
    with pytest.raises(DBAPIError, match="immutable"):
        await session.execute(text("DELETE FROM catalogue_versions WHERE municipality = 'riga'"))
    await session.rollback()


async def test_revising_a_target_changes_the_evaluation_and_the_earlier_version_reproduces_the_earlier_one(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: Seeder
) -> None:
    await seeded.responses("bauska", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10}))
    await session.commit()
    token = await sign_in(session, "evaluator", "bauska")
    use(client, token)
    before = (await client.get("/api/v1/evaluations/bauska/2026")).json()
    assert before["catalogue_version"]["number"] == 1
    b1 = next(r for r in before["indicators"] if r["code"] == "B1")
    assert (b1["target_year"], b1["target_value"], b1["value"]) == (2025, 0.7, 0.8)

    revised = await post(
        client, session, token, "/admin/plan/indicator",
        municipality="bauska", indicator="B1", year="2025", kind="at_least", value="95", note="mid-term update",
    )  # fmt: skip
    assert revised.status_code == 303, revised.text
    assert await versions(session, "bauska") == [1, 2]
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.revise"))
    assert audit is not None and audit.municipality == "bauska" and audit.details["version"] == 2

    use(client, token)
    after = (await client.get("/api/v1/evaluations/bauska/2026")).json()
    assert after["catalogue_version"]["number"] == 2
    assert after["catalogue_version"]["content_hash"] != before["catalogue_version"]["content_hash"]
    b1_after = next(r for r in after["indicators"] if r["code"] == "B1")
    assert b1_after["target_value"] == 0.95 and b1_after["verdict"] == "not_achieved"
    assert b1_after["verdict"] != b1["verdict"]

    again = (await client.get("/api/v1/evaluations/bauska/2026", params={"catalogue": "1"})).json()
    assert again["catalogue_version"] == before["catalogue_version"]
    assert next(r for r in again["indicators"] if r["code"] == "B1") == b1

    for number in (1, 2):
        report = await client.get("/admin/reports/bauska/2026", params={"catalogue": str(number), "lang": "en"})
        assert report.status_code == 200, report.text
        assert f'data-catalogue-version="{number}"' in report.text
    latest = await client.get("/admin/reports/bauska/2026", params={"format": "json"})
    assert latest.json()["catalogue_version"]["number"] == 2
    missing = await client.get("/api/v1/evaluations/bauska/2026", params={"catalogue": "9"})
    assert missing.status_code == 404


async def test_every_problem_of_an_upload_is_listed_with_its_fix_and_nothing_is_stored(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    token = await sign_in(session, "evaluator", "riga")
    good = (ROOT / "analysis/municipalities/riga.toml").read_text("utf-8")
    bad = good.replace('direction = "rise"', 'direction = "up"', 1).replace('code = "R2"', 'code = "R2"\nbogus = 1', 1)
    response = await post(client, session, token, "/admin/plan/upload", municipality="riga", toml_text=bad)
    assert response.status_code == 422, response.text
    assert response.text.count("<td>CAT") >= 2 and "indicators[0]" in response.text and "CAT102" in response.text
    # each problem with its fix, in the admin's language (Latvian by default; the CLI stays English)
    assert "nezināms lauks `bogus`." in response.text and "izlabojiet rakstību" in response.text
    assert "Remove it or correct its spelling" not in response.text and "unknown field" not in response.text
    syntax = await post(client, session, token, "/admin/plan/upload", municipality="riga", toml_text="code = ")
    assert syntax.status_code == 422 and "CAT101" in syntax.text
    other = await post(
        client, session, token, "/admin/plan/upload", toml_text=good.replace('code = "riga"', 'code = "bauska"', 1)
    )
    assert other.status_code == 422  # an evaluator's file must be their own municipality's
    assert await versions(session, "riga") == [1] and await versions(session, "bauska") == [1]
    same = await post(client, session, token, "/admin/plan/upload", municipality="riga", toml_text=good)
    assert same.status_code == 303 and await versions(session, "riga") == [1]  # unchanged content

    changed = good.replace("value = 0.70, plan_text", "value = 0.72, plan_text", 1)
    assert (await post(client, session, token, "/admin/plan/upload", toml_text=changed)).status_code == 303
    back = await post(client, session, token, "/admin/plan/upload", toml_text=good, note="back to the plan")
    assert back.status_code == 303 and await versions(session, "riga") == [1, 2, 3]  # going back is a revision
    hashes = await session.scalars(
        select(CatalogueVersion.content_hash)
        .where(CatalogueVersion.municipality == "riga")
        .order_by(CatalogueVersion.version)
    )
    first, _, third = list(hashes)
    assert first == third

    use(client, token)
    download = await client.get("/admin/plan/riga/versions/1")
    assert download.status_code == 200 and download.text == good
    assert 'filename="riga-v1.toml"' in download.headers["content-disposition"]
    assert (await client.get("/admin/plan/bauska/versions/1")).status_code == 404


async def test_an_operator_onboards_a_third_municipality_from_a_file(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: Seeder
) -> None:
    third = (ROOT / "analysis/municipalities/bauska.toml").read_text("utf-8")
    third = third.replace('code = "bauska"', 'code = "jelgava"', 1).replace("Bauskas novada", "Jelgavas novada")
    evaluator = await sign_in(session, "evaluator", "riga")
    refused = await post(client, session, evaluator, "/admin/plan/upload", onboard="1", toml_text=third)
    assert refused.status_code == 403
    operator = await sign_in(session, "operator", None)
    stored = await post(client, session, operator, "/admin/plan/upload", onboard="1", toml_text=third)
    assert stored.status_code == 303, stored.text
    assert await versions(session, "jelgava") == [1]
    assert await session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "plan.onboard"))
    use(client, operator)
    dashboard = await client.get("/admin")
    assert "Jelgavas novada" in dashboard.text
    evaluation = await client.get("/api/v1/evaluations/jelgava/2026")
    assert evaluation.status_code == 200, evaluation.text
    assert evaluation.json()["municipality"] == "jelgava"
    page = await client.get("/admin/plan", params={"municipality": "jelgava"})
    assert page.status_code == 200 and "Jelgavas novada" in page.text
    campaign = await post(
        client, session, operator, "/admin/campaigns",
        municipality="jelgava", instrument="parent-satisfaction", wave="2026", title="Vecāki", audience="parents",
    )  # fmt: skip
    assert campaign.status_code == 303, campaign.text  # the new municipality takes campaigns
