"""Teacher head-counts: edit one, import a CSV (a bad row → nothing written), the audit page."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.audit.service import record
from pmp_surveys.schools.models import School
from pmp_surveys.schools.service import parse_headcounts
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]


async def teachers(session: AsyncSession, municipality: str) -> dict[str, int | None]:
    rows = await session.execute(
        select(School.code, School.teachers)
        .where(School.municipality == municipality)
        .execution_options(populate_existing=True)
    )
    return {code: n for code, n in rows}


async def test_edit_one_head_count(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get("/admin/schools")
    assert page.status_code == 200 and "riga-s1" in page.text and "bauska-s1" not in page.text
    token = csrf_from(page.text)
    school = world.riga.schools[1]
    saved = await client.post(f"/admin/schools/{school.id}/teachers", data={"csrf_token": token, "teachers": "42"})
    assert saved.status_code == 303
    assert (await teachers(session, "riga"))["riga-s2"] == 42
    bad = await client.post(f"/admin/schools/{school.id}/teachers", data={"csrf_token": token, "teachers": "-3"})
    assert bad.status_code == 422
    nan = await client.post(f"/admin/schools/{school.id}/teachers", data={"csrf_token": token, "teachers": "many"})
    assert nan.status_code == 422
    assert (await teachers(session, "riga"))["riga-s2"] == 42
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "school.update"))
    assert entry is not None and entry.details == {"teachers": [None, 42]} and entry.municipality == "riga"


async def test_import_is_all_or_nothing(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get("/admin/schools")).text)
    before = await teachers(session, "riga")
    bad_csv = "code,teachers\nriga-s1,31\nriga-s2,abc\nbauska-s1,5\nriga-s1,7\n"
    r = await client.post(
        "/admin/schools/import",
        data={"csrf_token": token},
        files={"file": ("counts.csv", bad_csv.encode(), "text/csv")},
    )
    assert r.status_code == 422
    for expected in ("rinda 3", "rinda 4", "rinda 5", "abc nav vesels skaitlis", "Nav skolas ar kodu bauska-s1"):
        assert expected in r.text
    assert await teachers(session, "riga") == before
    assert await session.scalar(select(AuditEntry).where(AuditEntry.action == "school.import")) is None

    good = await client.post(
        "/admin/schools/import",
        data={"csrf_token": token},
        files={"file": ("counts.csv", b"\xef\xbb\xbfcode;teachers\r\nriga-s1;31\r\nriga-s2;12\r\n", "text/csv")},
    )
    assert good.status_code == 303
    assert await teachers(session, "riga") == {"riga-s1": 31, "riga-s2": 12}
    pasted = await client.post(
        "/admin/schools/import", data={"csrf_token": token, "csv_text": "code,teachers\nriga-s1,33\n"}
    )
    assert pasted.status_code == 303
    assert (await teachers(session, "riga"))["riga-s1"] == 33
    entries = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "school.import")))
    assert len(entries) == 2 and entries[0].details["teachers"] == {"riga-s1": [30, 31], "riga-s2": [None, 12]}


def test_parse_headcounts_reports_every_problem() -> None:
    known = {"a", "b"}
    assert parse_headcounts("code,teachers\na,1\nb,0\n", known) == ({"a": 1, "b": 0}, [])
    _, errors = parse_headcounts("", known)
    assert errors[0]["code"] == "empty"
    _, errors = parse_headcounts("school,count\na,1\n", known)
    assert errors[0]["code"] == "bad_header"
    _, errors = parse_headcounts("code,teachers\na,1,2\nb,100001\nc,1\na,2\n", known)
    assert [(e["field"], e["code"]) for e in errors] == [
        ("line 2", "columns"),
        ("line 3", "out_of_range"),
        ("line 4", "unknown_school"),
    ]
    _, errors = parse_headcounts("code,teachers\na,1\na,2\n", known)
    assert [e["code"] for e in errors] == ["duplicate"]


async def test_schools_api(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    listed = (await client.get("/api/v1/admin/schools")).json()
    assert [s["code"] for s in listed] == ["riga-s1", "riga-s2"]
    school = world.riga.schools[0]
    r = await client.patch(f"/api/v1/admin/schools/{school.id}", json={"teachers": 55})
    assert r.status_code == 200 and r.json()["teachers"] == 55
    bad = await client.patch(f"/api/v1/admin/schools/{school.id}", json={"teachers": -1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "teachers"
    extra = await client.patch(f"/api/v1/admin/schools/{school.id}", json={"teachers": 1, "name": "x"})
    assert extra.status_code == 400
    foreign = world.bauska.schools[0]
    assert (await client.patch(f"/api/v1/admin/schools/{foreign.id}", json={"teachers": 1})).status_code == 404
    assert (await client.get("/api/v1/admin/schools", params={"municipality": "bauska"})).json()[0]["code"] == "riga-s1"


async def test_audit_page_shows_own_municipality_only(client: Client, world: World, session: AsyncSession) -> None:
    for who, school in (("evaluator", world.riga.schools[0]), ("other_evaluator", world.bauska.schools[0])):
        use(client, await signed_in(session, world.users[who]))
        token = csrf_from((await client.get("/admin/schools")).text)
        await client.post(f"/admin/schools/{school.id}/teachers", data={"csrf_token": token, "teachers": "7"})
    evaluator = world.users["evaluator"]
    await record(session, None, "auth.sign_in", "user", evaluator.id, "riga")
    await session.commit()
    use(client, await signed_in(session, evaluator))
    page = await client.get("/admin/audit")
    assert page.status_code == 200 and "riga-s1" in page.text and "bauska-s1" not in page.text
    # names, not codes: the action in Latvian, the user by e-mail, details as text rather than JSON
    assert "Mainīts skolas pedagogu skaits" in page.text and "Pieteicās" in page.text
    assert "school.update" not in page.text.replace('title="school.update"', "")
    assert "auth.sign_in" not in page.text.replace('title="auth.sign_in"', "")
    assert "pedagogi: 30 → 7" in page.text
    assert "{&#34;" not in page.text and '{"teachers"' not in page.text
    assert f"lietotājs {world.users['evaluator'].email}" in page.text
    use(client, await signed_in(session, world.users["operator"]))
    page = await client.get("/admin/audit")
    assert "riga-s1" in page.text and "bauska-s1" in page.text
    use(client, await signed_in(session, world.users["coordinator"]))
    assert (await client.get("/admin/audit")).status_code == 403
