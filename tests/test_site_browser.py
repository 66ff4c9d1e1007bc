"""The public site in Chromium over loopback, on a desktop and a 390 px phone, plus trust fields
on every page of every target and of the live content's site."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import DESKTOP, MOBILE, recorded_page, search
from conftest import gated

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Pages that are not content: the 404 (any URL), the preview's own list of changes and the offline copy's download page.
NOT_CONTENT = re.compile(r"(^|/)(404\.html|preview-changes(/index)?\.html|downloads(/index)?\.html)$")


@gated
def test_every_page_of_every_target_shows_disclaimer_sources_and_review_dates(deliverable: Path, target: str) -> None:
    checked = 0
    for page in sorted(deliverable.rglob("*.html")):
        relative = page.relative_to(deliverable).as_posix()
        text = page.read_text(encoding="utf-8")
        assert "Not medical advice." in text, relative
        if NOT_CONTENT.search(relative):
            continue
        assert re.search(r"Last reviewed: \d{4}-\d{2}-\d{2}", text), relative
        assert re.search(r"Next review due: \d{4}-\d{2}-\d{2}", text), relative
        assert 'id="sources-and-review"' in text, relative
        checked += 1
    assert checked >= (2 if target == "live" else 22)


@pytest.fixture(scope="module")
def site_url(target_urls: dict[str, str]) -> str:
    """The public site over loopback, at the path it was built for."""
    return target_urls["site"]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile-390"])
def test_reader_finds_a_drug_by_navigation_and_by_search(browser: Browser, site_url: str, viewport: dict[str, int]) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # imported only where a browser runs

    with recorded_page(browser, viewport) as recorded:
        page = recorded.page
        page.goto(site_url)
        if viewport is MOBILE:
            # On a phone: open the drawer, go to the Drugs section's index, pick the drug from it.
            page.locator("label.md-header__button[for='__drawer']").click()
            page.locator("nav.md-nav--primary a.md-nav__link", has_text="Drugs").first.click()
            page.wait_for_url("**/drugs/")
            link = page.locator("article a", has_text="Cellex").first
        else:
            link = page.locator("nav.md-nav--primary a.md-nav__link", has_text="Cellex").first
        link.wait_for(state="visible")
        link.click()
        page.wait_for_url("**/drugs/cellex/")
        assert page.locator("h1").inner_text().startswith("Cellex")
        hits = search(page, "citicoline")
        assert any("drugs/ceraxon/" in href for href in hits), hits
        if viewport is MOBILE:
            # Material's search overlay grows from a scaled circle; while that transition runs it
            # overhangs the viewport, so wait for the page to settle rather than read one frame.
            settled = f"document.documentElement.scrollWidth <= {MOBILE['width']}"
            try:
                page.wait_for_function(settled, timeout=5_000)
            except PlaywrightTimeout:
                width = page.evaluate("document.documentElement.scrollWidth")
                pytest.fail(f"page scrolls sideways on a phone: {width} px wide")
        assert recorded.foreign_requests((site_url, "data:", "blob:")) == []
