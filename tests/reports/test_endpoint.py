"""GET /admin/reports/{municipality}/{wave}: evaluators of that municipality and operators only."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.reports.controllers import XLSX_TYPE, report_url
from tests.accounts.fixtures import World, signed_in, use
from tests.reports.conftest import CHROMIUM
from tests.reports.readback import html_tables, xlsx_sheets


async def test_own_evaluator_gets_every_format(
    client: AsyncTestClient[Litestar], session: AsyncSession, world: World
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    response = await client.get(report_url("riga", 2026, baseline="2022", lang="en"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    rows = html_tables(response.text)["summary"]
    assert len(rows) == 16 and all(r["verdict"] for r in rows)
    assert "SYNTHETIC DEMO DATA" not in response.text, "no demo campaigns here"
    xlsx = await client.get(report_url("riga", 2026, lang="lv", fmt="xlsx"))
    assert xlsx.status_code == 200 and xlsx.headers["content-type"] == XLSX_TYPE
    assert "attachment" in xlsx.headers["content-disposition"]
    assert "Kopsavilkums" in xlsx_sheets(xlsx.content)
    data = await client.get(report_url("riga", 2026, fmt="json"))
    assert data.status_code == 200 and data.json()["municipality"] == "riga"
    pdf = await client.get(report_url("riga", 2026, fmt="pdf"))
    if CHROMIUM.exists():
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 503 and "Chromium" in pdf.text


@pytest.mark.parametrize(("who", "status"), [("other_evaluator", 404), ("coordinator", 403)])
async def test_others_are_refused(
    client: AsyncTestClient[Litestar], session: AsyncSession, world: World, who: str, status: int
) -> None:
    use(client, await signed_in(session, world.users[who]))
    response = await client.get(report_url("riga", 2026))
    assert response.status_code == status
    assert "data-table" not in response.text


async def test_operator_sees_any_municipality_and_strangers_sign_in_first(
    client: AsyncTestClient[Litestar], session: AsyncSession, world: World
) -> None:
    use(client, None)
    response = await client.get(report_url("bauska", 2026))
    assert response.status_code in (302, 303) and "/admin/login" in response.headers["location"]
    use(client, await signed_in(session, world.users["operator"]))
    assert (await client.get(report_url("bauska", 2026))).status_code == 200
    assert (await client.get(report_url("nowhere", 2026))).status_code == 404
    bad = await client.get("/admin/reports/bauska/2026?baseline=yesterday")
    assert bad.status_code == 422
