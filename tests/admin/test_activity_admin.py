"""The plan's activities table: evaluators keep it per year at /admin/activities (bad rows refused
with field errors), a row may be linked to an indicator, and the table is in the mid-term report
(HTML) and its workbook (XLSX) with the linked indicator's value from the evaluation."""

from __future__ import annotations

import io

from litestar import Litestar
from litestar.testing import AsyncTestClient
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.evaldata.models import PlanActivity
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]

ROW = {
    "year": "2026",
    "goal": "Mazināt PMP risku",
    "activity": "Supervīzijas pedagogiem",
    "funding": "12 000 EUR",
    "planned_result": "50 % pedagogu apmeklē supervīzijas",
    "achieved": "46 %",
    "indicator": "R3",
    "survey_item": "teacher-self-efficacy:attended_supervision",
    "impact": "Pozitīva",
    "factors": "Palīdzēja: skolu vadība",
}


async def test_activities_table_in_admin_report_and_workbook(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get("/admin/activities")
    assert page.status_code == 200
    token = csrf_from(page.text)
    bad = await client.post(
        "/admin/activities", data={"csrf_token": token, **ROW, "goal": " ", "indicator": "R99", "year": "1999"}
    )
    assert bad.status_code == 422 and 'value="Supervīzijas pedagogiem"' in bad.text
    assert await session.scalar(select(func.count()).select_from(PlanActivity)) == 0

    assert (await client.post("/admin/activities", data={"csrf_token": token, **ROW})).status_code == 303
    row = await session.scalar(select(PlanActivity))
    assert row is not None and row.municipality == "riga" and row.indicator == "R3"
    edited = await client.post(
        "/admin/activities", data={"csrf_token": token, **ROW, "id": str(row.id), "achieved": "48 %"}
    )
    assert edited.status_code == 303
    # a figure for the linked indicator, so the report can show its value
    one = {"csrf_token": token, "indicator": "R3", "year": "2026", "numerator": "58", "denominator": "100"}
    assert (await client.post("/admin/figures/one", data=one)).status_code == 303

    html = await client.get("/admin/reports/riga/2026", params={"format": "html"})
    assert html.status_code == 200, html.text[:500]
    section = html.text.split('id="activities"', 1)[1].split("</section>", 1)[0]
    assert "Supervīzijas pedagogiem" in section and "48 %" in section and "rādītājs R3: 58%" in section
    xlsx = await client.get("/admin/reports/riga/2026", params={"format": "xlsx"})
    assert xlsx.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    assert "Pasākumi" in book.sheet_names
    cells = [str(c) for r in book.get_sheet_by_name("Pasākumi").to_python() for c in r]
    assert "Supervīzijas pedagogiem" in cells and "12 000 EUR" in cells

    # Bauska's evaluator can neither see nor delete Rīga's row
    use(client, await signed_in(session, world.users["other_evaluator"]))
    other = await client.get("/admin/activities")
    assert "Supervīzijas" not in other.text
    gone = await client.post("/admin/activities/delete", data={"csrf_token": csrf_from(other.text), "id": str(row.id)})
    assert gone.status_code == 404
    changed = await client.post(
        "/admin/activities", data={"csrf_token": csrf_from(other.text), **ROW, "id": str(row.id), "indicator": "B3"}
    )
    assert changed.status_code == 404
    assert await session.scalar(select(func.count()).select_from(PlanActivity)) == 1
    actions = list(await session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("activity.%"))))
    assert actions == ["activity.add", "activity.update"]
