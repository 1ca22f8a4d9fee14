"""GET /admin/reports/{municipality}/{wave}: evaluators of that municipality and operators only."""

from __future__ import annotations

import re
from html import unescape

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.reports.controllers import XLSX_TYPE, report_url
from tests.accounts.fixtures import World, signed_in, use
from tests.reports.conftest import CHROMIUM
from tests.reports.readback import html_tables, numbers_in, xlsx_sheets


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


async def test_dashboard_report_for_bauska_has_the_teacher_before_after(
    client: AsyncTestClient[Litestar], session: AsyncSession, world: World, demo_data: Catalogue
) -> None:
    """The dashboard's link carries no baseline; the stated rule (the most recent earlier wave of
    the same instrument) finds the 2024 teacher wave: BT1–BT5 and the scales show their change."""
    use(client, await signed_in(session, world.users["operator"]))
    page = (await client.get("/admin")).text
    links = dict.fromkeys(re.findall(r'href="(/admin/reports/bauska/2026\?[^"]+)"', page))
    lv = next(unescape(link) for link in links if "lang=lv" in link and "format=html" in link)
    assert any("lang=en" in link and "format=html" in link for link in links), "both languages linked"
    assert "baseline=" not in lv
    assert 'name="baseline"' in page and '<option value="2024">2024</option>' in page, "override on the dashboard"
    report = await client.get(lv)
    assert report.status_code == 200, report.text
    tables = html_tables(report.text)
    summary = {r["code"]: r for r in tables["summary"]}
    for code in ("BT1", "BT2", "BT3", "BT4", "BT5"):
        assert "2024" in summary[code]["baseline_source"], code
        assert numbers_in(summary[code]["change"]), f"{code} has a change against 2024"
    scales = tables["teacher-self-efficacy.scales"]
    assert scales and all(numbers_in(r["welch_t"]) and numbers_in(r["hedges_g"]) for r in scales)
    # The evaluator can still ask for the plan's baseline: expected results have none.
    plan = html_tables((await client.get(report_url("bauska", 2026, baseline="plan"))).text)
    assert not numbers_in({r["code"]: r for r in plan["summary"]}["BT1"]["change"])
