"""The PDF report: the same HTML printed to A4 by headless Chromium through Playwright.

Uses the system's Chromium (Debian: ``/usr/bin/chromium``; ``PMP_CHROMIUM`` names another), never
a browser download. Without one, :func:`chromium_path` is None and :func:`render_pdf` raises
:class:`PdfUnavailable` with a message saying what to install.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_ARGS", "PdfPrinter", "PdfUnavailable", "chromium_path", "render_pdf"]

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


async def _print(browser: Any, html: str, footer: str, timeout_ms: float) -> bytes:
    context = await browser.new_context(offline=True)
    try:
        page = await context.new_page()
        await page.set_content(html, wait_until="load", timeout=timeout_ms)
        await page.emulate_media(media="print")
        data: bytes = await page.pdf(
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
        return data
    finally:
        await context.close()


def _executable() -> str:
    executable = chromium_path()
    if executable is None:
        raise PdfUnavailable(
            "No Chromium found to print the PDF (looked for PMP_CHROMIUM, /usr/bin/chromium, chromium on PATH): "
            "install Debian's `chromium` package, or use the HTML report and print it from a browser."
        )
    return executable


def _async_playwright() -> Any:
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        raise PdfUnavailable("Playwright is not installed: `pip install playwright` to print PDFs.") from exc
    return async_playwright()


class PdfPrinter:
    """One headless Chromium kept open for many PDFs, for the server: starting Playwright's driver
    and the browser is most of a PDF's time (about 2 of 3.5 s measured), so it is done on the first
    PDF only; each PDF then gets a fresh, offline browser context. A browser that died is started
    again. :meth:`close` at shutdown (the app's lifespan). Use it from one event loop."""

    def __init__(self, timeout_ms: float = 60_000) -> None:
        self._timeout_ms = timeout_ms
        self._playwright: Any = None
        self._browser: Any = None
        self._lock = asyncio.Lock()

    async def _ready(self) -> Any:
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            executable = _executable()
            await self.close_unlocked()
            self._playwright = await _async_playwright().start()
            self._browser = await self._playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, timeout=self._timeout_ms
            )
            return self._browser

    async def render(self, html: str, *, footer: str = "pmp-surveys") -> bytes:
        """:func:`render_pdf` on the kept browser."""
        return await _print(await self._ready(), html, footer, self._timeout_ms)

    async def close_unlocked(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            with contextlib.suppress(Exception):
                await browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                await playwright.stop()

    async def close(self) -> None:
        """Close the browser and Playwright's driver (idempotent)."""
        async with self._lock:
            await self.close_unlocked()


async def render_pdf(
    html: str, *, footer: str = "pmp-surveys", timeout_ms: float = 60_000, printer: PdfPrinter | None = None
) -> bytes:
    """Print `html` (self-contained; nothing is fetched) to an A4 PDF with page numbers: tagged
    (Chromium's tagged PDF, language from ``<html lang>``) and with an outline (bookmarks).

    `printer`: a kept browser (:class:`PdfPrinter`); without one a browser is started and closed."""
    if printer is not None:
        return await printer.render(html, footer=footer)
    executable = _executable()
    async with _async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=timeout_ms)
        try:
            return await _print(browser, html, footer, timeout_ms)
        finally:
            await browser.close()
