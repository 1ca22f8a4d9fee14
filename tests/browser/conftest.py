"""Browser fixtures: the real app under uvicorn in a background thread, Debian's Chromium via
Playwright, axe-core for the accessibility checks.

Chromium is /usr/bin/chromium (`scripts/browser-deps` installs it); Playwright's own browser
download is not used. Without Chromium or axe-core the tests are skipped locally and fail in CI
(`CI` set), so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from pmp_surveys.app import create_app
from pmp_surveys.settings import Settings
from tests.live import live_server as serve

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Set PMP_SCREENSHOTS=/some/dir to keep screenshots of the pages the tests visit.
SCREENSHOTS = os.environ.get("PMP_SCREENSHOTS")


def _require(path: Path, what: str) -> None:
    if path.exists():
        return
    message = f"{what} not found at {path}; run scripts/browser-deps"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[str]:
    """The app served over HTTP on a free port, against the test database."""
    _require(CHROMIUM, "Chromium")
    _require(AXE, "axe-core")
    # Every test posts from 127.0.0.1 to this one server: the per-client submission limit (tested
    # in tests/pages) would start refusing the suite's posts within a minute, so it is off here.
    with serve(create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))) as url:
        yield url


@pytest.fixture(scope="session")
async def browser(live_server: str) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def phone(browser: Any) -> AsyncIterator[Any]:
    """A page in a fresh 360×740 phone context (no cookies from other tests)."""
    context = await browser.new_context(locale="lv-LV", viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    yield page
    await context.close()


async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the current page."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


async def groups_without_legend(page: Any) -> list[str]:
    """Names of radio/checkbox groups not inside a fieldset with a non-empty legend."""
    result: list[str] = await page.evaluate(
        """() => {
          const bad = new Set();
          for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
            const fs = input.closest('fieldset');
            const legend = fs && fs.querySelector(':scope > legend');
            if (!legend || !legend.textContent.trim()) bad.add(input.name);
          }
          return [...bad];
        }"""
    )
    return result


async def screenshot(page: Any, name: str, at: str | None = None) -> None:
    """The viewport (scrolled to `at` if given) and the full page, when PMP_SCREENSHOTS is set."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    os.makedirs(folder, exist_ok=True)
    if at is not None:
        await page.evaluate("(sel) => document.querySelector(sel).scrollIntoView()", at)
    await page.screenshot(path=str(folder / f"{name}.png"))
    await page.screenshot(path=str(folder / f"{name}-full.png"), full_page=True)


from tests.pages.conftest import loaded, make_campaign, make_school  # noqa: E402

__all__ = ["axe_violations", "groups_without_legend", "loaded", "make_campaign", "make_school", "screenshot"]
