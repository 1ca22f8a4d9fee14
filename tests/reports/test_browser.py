"""The report in a real headless Chromium: no console errors, no request leaving the file, no
serious accessibility violation; a full-page screenshot and the PDF are kept for people to look at
(``.pmp/screenshots/reports`` or ``PMP_SCREENSHOTS``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.files import pdf_footer
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.pdf import CHROMIUM_ARGS, render_pdf
from tests.reports.conftest import CHROMIUM, SCREENSHOTS, require_chromium

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"


async def _open(html_file: Path, shot: Path) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    found: dict[str, Any] = {"console": [], "errors": [], "requests": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: found["console"].append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: found["errors"].append(str(e)))
            page.on("request", lambda r: found["requests"].append(r.url))
            await page.goto(html_file.as_uri(), wait_until="load")
            await page.screenshot(path=str(shot), full_page=True)
            found["svg"] = await page.locator("svg.chart").count()
            found["verdicts"] = await page.locator("#summary .verdict").count()
            if AXE.exists():
                await page.add_script_tag(path=str(AXE))
                result = await page.evaluate(
                    "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
                )
                found["axe"] = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
        finally:
            await browser.close()
    return found


@pytest.mark.parametrize("lang", ["lv", "en"])
async def test_report_renders_in_chromium(
    session: AsyncSession, demo_data: Catalogue, tmp_path: Path, lang: str
) -> None:
    require_chromium()
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2022)
    html_file = tmp_path / f"report-{lang}.html"
    html_file.write_text(render_html(report, lang), encoding="utf-8")  # type: ignore[arg-type]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"riga-2026-{lang}.png"
    found = await _open(html_file, shot)
    assert found["errors"] == [] and found["console"] == [], found
    assert found["requests"] == [html_file.as_uri()], "the report fetches nothing"
    assert found["svg"] >= 4 and found["verdicts"] == len(report.evaluation.indicators)
    assert found.get("axe", []) == [], found.get("axe")
    assert shot.stat().st_size > 50_000


async def test_pdf_from_the_same_html(session: AsyncSession, demo_data: Catalogue) -> None:
    require_chromium()
    report = await build_report(session, demo_data.municipality("bauska"), 2026)
    pdf = await render_pdf(render_html(report, "lv"), footer=pdf_footer(report, "lv"))
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 5, "title, summary, chart, three surveys and methods start on their own pages"
    # EN 301 549 clause 10: tagged (a structure tree, marked content), the document language, bookmarks
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert re.search(rb"/Lang\s*\((?:lv|\xfe\xff\x00l\x00v)\)", pdf), "document language lv"
    assert b"/Outlines" in pdf
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "bauska-2026-lv.pdf"
    target.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # PNGs of the first pages, for a person to look at
        subprocess.run(  # noqa: ASYNC221 - a short, local conversion in a test
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "4", str(target), str(SCREENSHOTS / "bauska-2026-lv-page")],
            check=True,
            timeout=60,
        )


async def test_metadata_block_reflows_at_320px(session: AsyncSession, demo_data: Catalogue, tmp_path: Path) -> None:
    """WCAG 1.4.10 (reflow): at 320 CSS px the report's metadata block needs no horizontal scrolling."""
    require_chromium()
    from playwright.async_api import async_playwright

    report = await build_report(session, demo_data.municipality("riga"), 2026)
    html_file = tmp_path / "narrow.html"
    html_file.write_text(render_html(report, "lv"), encoding="utf-8")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 320, "height": 640})
            await page.goto(html_file.as_uri(), wait_until="load")
            box = await page.evaluate(
                "() => { const m = document.querySelector('dl.meta'); return [m.scrollWidth, m.clientWidth, "
                "m.getBoundingClientRect().right]; }"
            )
        finally:
            await browser.close()
    scroll_width, client_width, right = box
    assert scroll_width <= client_width and right <= 320, box
