"""Administrative figures in the browser's pages: a bad file lists every row with its fix and stores
nothing; a good XLSX is previewed, then stored whole with a history row and an audit entry; one
figure is entered and corrected by hand; another municipality's rows are refused."""

from __future__ import annotations

import io

import xlsxwriter
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.evaldata.models import FigureUpload
from pmp_surveys.indicators.models import AdminFigure
from tests.accounts.fixtures import World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]


def workbook(rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("VIIS")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


async def stored(session: AsyncSession) -> dict[tuple[str, str, int], tuple[int, int]]:
    rows = await session.execute(
        select(
            AdminFigure.municipality,
            AdminFigure.indicator,
            AdminFigure.year,
            AdminFigure.numerator,
            AdminFigure.denominator,
        ).execution_options(populate_existing=True)
    )
    return {(m, i, y): (n, d) for m, i, y, n, d in rows}


async def test_bad_file_lists_every_row_then_xlsx_is_previewed_and_stored(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    page = await client.get("/admin/figures")
    assert page.status_code == 200 and "Rīgas valstspilsētas pašvaldība" in page.text
    token = csrf_from(page.text)
    bad = (
        "municipality,indicator,year,numerator,denominator\n"
        "riga,R3,2025,500,900\n"
        "riga,R3,2026,abc,900\n"  # row 3: not a count
        "bauska,B5,2026,1,2\n"  # row 4: another municipality
        "riga,R1,2026,5,10\n"  # row 5: a survey indicator
        "riga,R4,2026,950,900\n"  # row 6: numerator > denominator
    )
    r = await client.post(
        "/admin/figures/preview", data={"csrf_token": token}, files={"file": ("viis.csv", bad.encode(), "text/csv")}
    )
    assert r.status_code == 422
    for code in ("ADM220", "ADM215", "ADM212", "ADM221"):
        assert code in r.text
    for row in ('<th scope="row">3</th>', '<th scope="row">4</th>', '<th scope="row">5</th>', '<th scope="row">6</th>'):
        assert row in r.text
    # the problem and its fix in the admin's language (Latvian by default), the code kept beside them
    assert "skaitītājs 950 pārsniedz saucēju 900." in r.text and "kolonnas nav samainītas" in r.text
    assert "nav vesels skaitlis ≥ 0." in r.text and "not a whole number" not in r.text
    assert "Check the columns are not swapped." not in r.text and "exceeds denominator" not in r.text
    client.cookies.set("pmp_admin_lang", "en")
    en = await client.post(
        "/admin/figures/preview", data={"csrf_token": token}, files={"file": ("viis.csv", bad.encode(), "text/csv")}
    )
    assert "numerator 950 exceeds denominator 900. (ADM221)" in en.text.replace('<span class="hint">', "").replace(
        "</span>", ""
    )
    assert "Check the columns are not swapped." in en.text
    client.cookies.set("pmp_admin_lang", "lv")
    assert await stored(session) == {}

    xlsx = workbook(
        [
            ["municipality", "indicator", "year", "numerator", "denominator"],
            ["riga", "R3", 2025, 500, 900],
            ["riga", "R4", 2026, 12, 900],
        ]
    )
    preview = await client.post(
        "/admin/figures/preview",
        data={"csrf_token": token},
        files={"file": ("viis.xlsx", xlsx, "application/octet-stream")},
    )
    assert preview.status_code == 200, preview.text
    assert "viis.xlsx" in preview.text and "Saglabāt visas 2 rindas" in preview.text
    assert await stored(session) == {}  # a preview writes nothing
    text = preview.text.split('name="csv_text" value="', 1)[1].split('"', 1)[0]
    assert "riga,R3,2025,500,900" in text
    done = await client.post(
        "/admin/figures/import",
        data={"csrf_token": token, "municipality": "riga", "filename": "viis.xlsx", "csv_text": text},
    )
    assert done.status_code == 303
    assert await stored(session) == {("riga", "R3", 2025): (500, 900), ("riga", "R4", 2026): (12, 900)}
    history = (await client.get(done.headers["location"])).text
    assert "viis.xlsx" in history and "Saglabātas 2 rindas (2 jaunas, 0 aizstātas)." in history
    upload = await session.scalar(select(FigureUpload))
    assert upload is not None and upload.municipality == "riga" and upload.rows == 2
    assert upload.user_id == world.users["evaluator"].id
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "figures.import"))
    assert entry is not None and entry.municipality == "riga" and entry.details["file"] == "viis.xlsx"


async def test_one_figure_entered_and_corrected(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    token = csrf_from((await client.get("/admin/figures")).text)
    one = {
        "csrf_token": token,
        "indicator": "R3",
        "year": "2026",
        "school": "",
        "numerator": "70",
        "denominator": "100",
    }
    assert (await client.post("/admin/figures/one", data=one)).status_code == 303
    assert (await client.post("/admin/figures/one", data={**one, "numerator": "71"})).status_code == 303
    assert await stored(session) == {("riga", "R3", 2026): (71, 100)}
    listed = (await client.get("/admin/figures")).text
    assert "71,0 %" in listed and "71.0 %" not in listed  # Latvian: a decimal comma
    client.cookies.set("pmp_admin_lang", "en")
    assert "71.0 %" in (await client.get("/admin/figures")).text  # English keeps the point
    client.cookies.set("pmp_admin_lang", "lv")
    wrong = await client.post("/admin/figures/one", data={**one, "numerator": "171"})
    assert wrong.status_code == 422 and "skaitītājs 171 pārsniedz saucēju 100." in wrong.text
    assert "exceeds denominator" not in wrong.text
    survey = await client.post("/admin/figures/one", data={**one, "indicator": "R1"})
    assert survey.status_code == 422 and "ADM212" not in survey.text and "mēra ar aptauju" in survey.text
    assert await stored(session) == {("riga", "R3", 2026): (71, 100)}
    assert await session.scalar(select(func.count()).select_from(FigureUpload)) == 2


async def test_other_municipality_cannot_write_riga(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["other_evaluator"]))
    page = await client.get("/admin/figures?municipality=riga")  # an evaluator sees their own only
    assert page.status_code == 200 and "Bauskas" in page.text and "Rīgas valstspilsētas" not in page.text
    token = csrf_from(page.text)
    r = await client.post(
        "/admin/figures/preview",
        data={
            "csrf_token": token,
            "municipality": "riga",
            "csv_text": "municipality,indicator,year,numerator,denominator\nriga,R3,2026,1,2\n",
        },
    )
    assert r.status_code == 422 and "ADM215" in r.text
    own = await client.post(
        "/admin/figures/import",
        data={"csrf_token": token, "csv_text": "municipality,indicator,year,numerator,denominator\nriga,R3,2026,1,2\n"},
    )
    assert own.status_code == 422 and "ADM215" in own.text
    assert await stored(session) == {}


async def test_saved_notice_is_only_a_known_one(client: Client, world: World, session: AsyncSession) -> None:
    """`?saved=` carries counts, never text: any other text is not echoed as a success notice."""
    use(client, await signed_in(session, world.users["evaluator"]))
    forged = (await client.get("/admin/figures", params={"saved": "Your account is locked; call 555"})).text
    assert "Your account is locked" not in forged and 'class="notice"' not in forged
    known = (await client.get("/admin/figures", params={"saved": "figures_stored:3,2,1"})).text
    assert "Saglabātas 3 rindas (2 jaunas, 1 aizstātas)." in known
    for page in ("/admin/plan", "/admin/schools", "/admin/margins", "/admin/activities"):  # the same on every page
        shown = (await client.get(page, params={"saved": "Your account is locked; call 555"})).text
        assert "Your account is locked" not in shown and 'class="notice"' not in shown, page
