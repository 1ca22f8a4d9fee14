"""The PDF report: the same HTML printed to A4 by headless Chromium through Playwright.

Uses the system's Chromium (Debian: ``/usr/bin/chromium``; ``PMP_CHROMIUM`` names another), never
a browser download. Without one, :func:`chromium_path` is None and :func:`render_pdf` raises
:class:`PdfUnavailable` with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "PdfUnavailable", "chromium_path", "render_pdf"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"


class PdfUnavailable(RuntimeError):
    """No Chromium (or no Playwright) to print the PDF with."""


def chromium_path() -> str | None:
    """The Chromium executable to print with, or None."""
    configured = os.environ.get("PMP_CHROMIUM")
    for candidate in (configured, DEFAULT_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _footer(label: str) -> str:
    return (
        "<div style='font-size:7pt;color:#5f6368;width:100%;padding:0 12mm;display:flex;"
        "justify-content:space-between;font-family:DejaVu Sans,Arial,sans-serif'>"
        f"<span>{label}</span><span><span class='pageNumber'></span> / <span class='totalPages'></span></span></div>"
    )


async def render_pdf(html: str, *, footer: str = "pmp-surveys", timeout_ms: float = 60_000) -> bytes:
    """Print `html` (self-contained; nothing is fetched) to an A4 PDF with page numbers: tagged
    (Chromium's tagged PDF, language from ``<html lang>``) and with an outline (bookmarks)."""
    executable = chromium_path()
    if executable is None:
        raise PdfUnavailable(
            "No Chromium found to print the PDF (looked for PMP_CHROMIUM, /usr/bin/chromium, chromium on PATH): "
            "install Debian's `chromium` package, or use the HTML report and print it from a browser."
        )
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        raise PdfUnavailable("Playwright is not installed: `pip install playwright` to print PDFs.") from exc
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=timeout_ms)
        try:
            context = await browser.new_context(offline=True)
            page = await context.new_page()
            await page.set_content(html, wait_until="load", timeout=timeout_ms)
            await page.emulate_media(media="print")
            return await page.pdf(
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=_footer(footer),
                margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                # EN 301 549 clause 10: a tagged PDF (structure for screen readers, the document
                # language from <html lang>) with bookmarks from the headings.
                tagged=True,
                outline=True,
            )
        finally:
            await browser.close()
