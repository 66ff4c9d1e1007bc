"""Debian's Chromium driven by Playwright, recording every request a page makes.

Never `playwright install`: the browser is /usr/bin/chromium (`make test` installs it).
Playwright itself is imported only when `chromium()` starts a browser, so a module may import
these helpers and still be collected (e.g. by `make test-fast`) without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium phones home at start-up; the machine's closed network refuses it.
QUIET = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--allow-file-access-from-files",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@dataclass
class RecordedPage:
    """A page plus every URL it requested."""

    page: Page
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self, allowed_prefixes: tuple[str, ...]) -> list[str]:
        """Requests whose URL starts with none of `allowed_prefixes`."""
        return [url for url in self.requests if not url.startswith(allowed_prefixes)]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium (the session's `browser` fixture in tests/conftest.py starts one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def recorded_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Iterator[RecordedPage]:
    """A fresh page in its own context, recording requests (including those of workers)."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    recorded = RecordedPage(page)

    def record(request: Request) -> None:
        recorded.requests.append(request.url)

    context.on("request", record)
    try:
        yield recorded
    finally:
        context.close()


def search(page: Page, query: str) -> list[str]:
    """Type `query` into Material's search and return the result links' hrefs."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").click()
    box.fill("")
    box.press_sequentially(query, delay=10)  # Material reacts to key events, not to a bare value change
    # Material tags each result link with the highlighted query (?h=...): wait for this query's
    # results, not the previous query's still on screen.
    results = page.locator(f".md-search-result__item a.md-search-result__link[href*='h={quote_plus(query.lower())}']")
    results.first.wait_for(timeout=15_000)
    return [results.nth(i).get_attribute("href") or "" for i in range(results.count())]


@dataclass
class SearchAnswer:
    """What search shows for one query: each result group's page (address without `?h=…`), in
    order, every result's address and title, and the line above them (the count, and any note)."""

    pages: list[str]
    results: list[tuple[str, str]]  # every result: its address (without `?h=…`) and title
    meta: str
    note_links: list[str]


def search_answer(page: Page, query: str, timeout: float = 15_000) -> SearchAnswer:
    """Put `query` in Material's search box and wait for our worker's answer to it.

    The line above the results carries `data-query` once it describes this query's answer
    (site-overrides/assets/javascripts/search-notes.js); the results are on screen by then.
    """
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").click()
    box.fill(query)
    box.press("End")  # Material reads the query on a key event, not on a bare value change
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("([q]) => document.querySelector('.md-search-result__meta').dataset.query === q", arg=[query.strip()], timeout=timeout)
    pages = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link:first-child", "els => els.map(e => e.href.split('?')[0])")
    results = page.eval_on_selector_all(
        ".md-search-result__item a.md-search-result__link", "els => els.map(e => [e.href.split('?')[0], e.querySelector('h1, h2').textContent])"
    )
    links = meta.locator("a").evaluate_all("els => els.map(e => e.href)")
    return SearchAnswer(pages, [(href, title) for href, title in results], meta.inner_text(), links)
