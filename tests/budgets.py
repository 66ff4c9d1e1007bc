"""Reader-side budgets of a built site: what the home page costs to open, search index, page size.

Figures, for tests and the benchmark alike:

- **home page transfer**: the site is served over loopback and the home page opened in
  Chromium; every response body the server sends until the network is idle is counted, each at
  its gzip-compressed size (level 6, what web servers typically use). Both engines would
  fetch the search index as the page loads; site-overrides/assets/javascripts/deferred-search-index.js
  holds it back until search is opened. Should it be fetched anyway, it is counted, and its share
  is reported on its own.
- **search index**: raw and gzip size, and gzip bytes per page of the site. For the public site's
  sharded index (`search/shards/`, generator/pages/search_shards.py) the sum over its files, each
  gzipped on its own as it is sent.
- **largest HTML page**, raw bytes.

Playwright (a test dependency) is imported only by `home_page_transfer`, which takes a running
browser, e.g. `tests/browser.chromium()`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

KIB = 1024
HOME_BUDGET = 150 * KIB  # gzip bytes transferred by opening the home page
SEARCH_INDEX_BUDGET_PER_PAGE = 3 * KIB  # gzip bytes of search index per page
HTML_PAGE_BUDGET = 300 * KIB  # raw bytes of any one HTML page
# The sharded index (public site), then MkDocs + Material's whole index, then Zensical's.
SHARDED_INDEX = "search/shards"
SEARCH_INDEX_PATHS = ("search/search_index.json", "search.json")
# Pages that are not part of the site's content (served for any missing URL).
NOT_PAGES = ("404.html",)


def gzip_size(data: bytes) -> int:
    """Size of `data` gzip-compressed at level 6, with a fixed header time so it is reproducible."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass(frozen=True)
class Response:
    """One response the server sent: its path, and body size raw and gzipped."""

    path: str
    raw: int
    gzip: int


@dataclass
class HomeTransfer:
    """Everything the home page load fetched."""

    responses: list[Response] = field(default_factory=list)

    @property
    def gzip_total(self) -> int:
        """Gzip bytes of every response."""
        return sum(r.gzip for r in self.responses)

    @property
    def search_index_gzip(self) -> int:
        """Gzip bytes of the search index among them (0 if it was not fetched)."""
        return sum(r.gzip for r in self.responses if r.path.lstrip("/") in SEARCH_INDEX_PATHS)


@dataclass(frozen=True)
class SearchIndex:
    """The search index file: sizes, and gzip bytes per page of the site."""

    path: str
    raw: int
    gzip: int
    pages: int

    @property
    def gzip_per_page(self) -> float:
        """Gzip bytes of index per site page."""
        return self.gzip / max(self.pages, 1)


def html_pages(site_dir: Path) -> list[Path]:
    """Every content page of a built site (not the 404 page)."""
    return sorted(p for p in site_dir.rglob("*.html") if p.relative_to(site_dir).as_posix() not in NOT_PAGES)


def search_index(site_dir: Path) -> SearchIndex:
    """The site's search index, whichever engine built it; FileNotFoundError if there is none."""
    if (site_dir / SHARDED_INDEX / "manifest.json").is_file():
        files = [path.read_bytes() for path in sorted((site_dir / SHARDED_INDEX).rglob("*.json"))]
        return SearchIndex(SHARDED_INDEX, sum(map(len, files)), sum(map(gzip_size, files)), len(html_pages(site_dir)))
    for relative in SEARCH_INDEX_PATHS:
        path = site_dir / relative
        if path.is_file():
            data = path.read_bytes()
            return SearchIndex(relative, len(data), gzip_size(data), len(html_pages(site_dir)))
    raise FileNotFoundError(f"no search index in {site_dir} (looked for {', '.join(SEARCH_INDEX_PATHS)})")


def largest_html_pages(site_dir: Path, count: int = 3) -> list[tuple[str, int]]:
    """The `count` largest HTML pages as (path in the site, raw bytes), largest first."""
    sizes = [(p.relative_to(site_dir).as_posix(), p.stat().st_size) for p in site_dir.rglob("*.html")]
    return sorted(sizes, key=lambda item: (-item[1], item[0]))[:count]


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records every body it sends, by path."""

    def __init__(self, *args: Any, sent: list[Response], **kwargs: Any) -> None:
        self.sent = sent
        super().__init__(*args, **kwargs)

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        data = source.read()
        self.sent.append(Response(self.path.split("?")[0], len(data), gzip_size(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the record is what matters; a line per request would drown the test output


@contextmanager
def serve_site(site_dir: Path) -> Iterator[tuple[str, list[Response]]]:
    """Serve `site_dir` on a free loopback port; yield its URL and the list responses are recorded in."""
    sent: list[Response] = []
    handler = functools.partial(_RecordingHandler, directory=str(site_dir), sent=sent)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def opened_home_page(site_dir: Path, browser: Browser) -> Iterator[tuple[Page, list[Response]]]:
    """Serve `site_dir`, open its home page in a fresh context and wait until the network is idle;
    yield the page and the list its responses are recorded in (it keeps growing as the page works)."""
    with serve_site(site_dir) as (url, sent):
        context = browser.new_context(service_workers="block")
        try:
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            yield page, sent
        finally:
            context.close()


def home_page_transfer(site_dir: Path, browser: Browser) -> HomeTransfer:
    """Every response the home page load makes, until the network is idle."""
    with opened_home_page(site_dir, browser) as (_, sent):
        return HomeTransfer(list(sent))


def report(site_dir: Path, home: HomeTransfer | None = None) -> list[str]:
    """The figures as printable lines, each with its budget."""
    index = search_index(site_dir)
    largest = largest_html_pages(site_dir, 1)[0]
    lines = []
    if home is not None:
        lines.append(
            f"home page: {home.gzip_total / KIB:.1f} KiB gzip in {len(home.responses)} responses "
            f"(search index {home.search_index_gzip / KIB:.1f} KiB of it; budget {HOME_BUDGET / KIB:.0f} KiB)"
        )
    lines.append(
        f"search index {index.path}: {index.raw / KIB:.1f} KiB raw, {index.gzip / KIB:.1f} KiB gzip, "
        f"{index.pages} pages, {index.gzip_per_page / KIB:.2f} KiB gzip per page (budget {SEARCH_INDEX_BUDGET_PER_PAGE / KIB:.0f} KiB)"
    )
    lines.append(f"largest HTML page: {largest[0]} {largest[1] / KIB:.1f} KiB (budget {HTML_PAGE_BUDGET / KIB:.0f} KiB)")
    return lines
