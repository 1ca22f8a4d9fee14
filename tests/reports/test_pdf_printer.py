"""The server's kept browser for PDFs (`PdfPrinter`): the same PDF as a browser started for one
print, one browser for many PDFs, a new one when it died, closed at the end."""

from __future__ import annotations

import re

import pytest

from pmp_surveys.reports.pdf import PdfPrinter, render_pdf
from tests.reports.conftest import require_chromium

pytestmark = pytest.mark.browser

HTML = "<!doctype html><html lang='lv'><head><meta charset='utf-8'><title>t</title></head><body>{}</body></html>"


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


async def test_kept_browser_prints_like_a_fresh_one_and_restarts() -> None:
    require_chromium()
    html = HTML.format("<h1>Pārskats</h1>" + "<p style='break-before: page'>2</p>")
    fresh = await render_pdf(html, footer="x")
    printer = PdfPrinter()
    try:
        first = await printer.render(html, footer="x")
        browser = printer._browser
        second = await render_pdf(HTML.format("<p>cits</p>"), footer="y", printer=printer)
        assert printer._browser is browser, "the second PDF reuses the browser"
        assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
        assert pages(first) == pages(fresh) == 2
        await browser.close()  # the browser died: the next PDF starts another
        third = await printer.render(html)
        assert printer._browser is not browser
        assert pages(third) == 2
    finally:
        await printer.close()
    assert printer._browser is None
    await printer.close()  # idempotent
