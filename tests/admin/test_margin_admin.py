"""Population margins in /admin/margins: a wrong table lists every problem and stores nothing; once
a margin with its source is stored, R2 is weighted (raked) in the evaluation API, with the value
computed independently below; deleting it brings back the simple estimate."""

from __future__ import annotations

import math

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.evaldata.margins import parse_margin
from pmp_surveys.evaldata.models import PopulationMargin
from tests.accounts.fixtures import World, csrf_from, signed_in, use
from tests.indicators.conftest import Seeder

Client = AsyncTestClient[Litestar]
FEMALE, MALE = 1, 2


async def r2(client: Client) -> dict[str, object]:
    body = (await client.get("/api/v1/evaluations/riga/2026")).json()
    return next(r for r in body["indicators"] if r["code"] == "R2")


async def test_margins_make_r2_weighted(client: Client, world: World, session: AsyncSession) -> None:
    seeder = Seeder(session)
    answers = (
        [{"availability_rating": 5, "sex": FEMALE}] * 30
        + [{"availability_rating": 2, "sex": FEMALE}] * 10
        + [{"availability_rating": 4, "sex": MALE}] * 30
        + [{"availability_rating": 1, "sex": MALE}] * 30
    )
    await seeder.responses("riga", "resident-perception", 2026, answers)
    await session.commit()
    use(client, await signed_in(session, world.users["evaluator"]))
    before = await r2(client)
    assert before["design_used"] == "simple" and before["value"] == 0.6

    page = await client.get("/admin/margins")
    assert page.status_code == 200 and "age_band" in page.text
    token = csrf_from(page.text)
    bad = await client.post(
        "/admin/margins",
        data={"csrf_token": token, "source": "", "csv_text": "sex,population\nfemale,600\nmalee,400\nmale,-4\n"},
    )
    assert bad.status_code == 422
    for expected in ("Norādiet avotu", "rinda 3", "Nezināma atbildes vērtība", "rinda 4", "veselam skaitlim"):
        assert expected in bad.text
    assert await session.scalar(select(func.count()).select_from(PopulationMargin)) == 0

    good = await client.post(
        "/admin/margins",
        data={
            "csrf_token": token,
            "source": "CSP IRD060, 2025-01-01",
            "csv_text": "sex,population\nfemale,600\nmale,400\n",
        },
    )
    assert good.status_code == 303
    shown = (await client.get(good.headers["location"])).text
    assert "CSP IRD060, 2025-01-01" in shown and "1000" in shown
    # the table names each cell by the questionnaire's label in the admin's language, not its value
    assert '<td title="female">Sieviete</td>' in shown and "<td>female</td>" not in shown
    client.cookies.set("pmp_admin_lang", "en")
    assert '<td title="male">Male</td>' in (await client.get(good.headers["location"])).text
    client.cookies.set("pmp_admin_lang", "lv")
    after = await r2(client)
    # Post-stratification by sex (one margin): weights 600/40 and 400/60.
    w_f, w_m = 600 / 40, 400 / 60
    expected = (w_f * 30 + w_m * 30) / (w_f * 40 + w_m * 60)
    assert after["design_used"] == "weighted"
    assert math.isclose(float(after["value"]), expected, rel_tol=1e-9)  # type: ignore[arg-type]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "margins.set"))
    assert entry is not None and entry.municipality == "riga" and entry.details["total"] == 1000

    # Bauska's evaluator neither sees nor removes Rīga's margins.
    use(client, await signed_in(session, world.users["other_evaluator"]))
    other = await client.get("/admin/margins?municipality=riga")
    assert "CSP IRD060" not in other.text
    await client.post("/admin/margins/delete", data={"csrf_token": csrf_from(other.text), "variables": "sex"})
    assert await session.scalar(select(func.count()).select_from(PopulationMargin)) == 2

    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get("/admin/margins")).text)
    gone = await client.post("/admin/margins/delete", data={"csrf_token": token, "variables": "sex"})
    assert gone.status_code == 303
    assert (await r2(client))["design_used"] == "simple"


def test_parse_margin_joint_and_every_problem() -> None:
    choices = {"age_band": {"age_18_24": "", "age_25_34": ""}, "sex": {"female": "", "male": ""}}
    variables, cells, errors = parse_margin(
        "age_band,sex,population\nage_18_24,female,10\nage_18_24,male,12\n", choices
    )
    assert variables == ["age_band", "sex"] and cells == [(["age_18_24", "female"], 10), (["age_18_24", "male"], 12)]
    assert errors == []
    _, _, errors = parse_margin("district,population\nx,1\n", choices)
    assert [e["code"] for e in errors] == ["margin_variable"]
    _, _, errors = parse_margin("sex,population\nfemale,1\nfemale,2\nmale\nmale,0\n", choices)
    assert [(e["field"], e["code"]) for e in errors] == [
        ("line 3", "margin_duplicate"),
        ("line 4", "margin_columns"),
        ("line 5", "margin_count"),
    ]
