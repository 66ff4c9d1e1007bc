"""Reader-side budgets on the fixture catalogue's built site (MkDocs, the default engine), in Chromium.

What is counted (see tests/budgets.py): every response the home page load makes, until the
network is idle, at its gzip size. The theme would fetch the whole search index as the page loads;
our override holds that request back until search is opened, so the index is not part of it.
Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import search
from budgets import (
    HOME_BUDGET,
    HTML_PAGE_BUDGET,
    KIB,
    SEARCH_INDEX_BUDGET_PER_PAGE,
    home_page_transfer,
    largest_html_pages,
    opened_home_page,
    report,
    search_index,
)
from conftest import site_and_live

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def site(targets: dict[str, Path]) -> Path:
    """The session's built site (tests/conftest.py `targets`)."""
    return targets["site"]


def test_home_page_transfers_at_most_150_kib_gzip(site: Path, browser: Browser) -> None:
    home = home_page_transfer(site, browser)
    print("\n" + "\n".join(report(site, home)))
    for response in home.responses:
        print(f"  {response.path}: {response.raw / KIB:.1f} KiB raw, {response.gzip / KIB:.1f} KiB gzip")
    paths = [r.path for r in home.responses]
    assert "/" in paths and any(p.endswith(".css") for p in paths) and any(p.endswith(".js") for p in paths)
    # The index waits until search is opened (site-overrides/assets/javascripts/deferred-search-index.js).
    assert "/search/search_index.json" not in paths
    assert home.gzip_total <= HOME_BUDGET, f"{home.gzip_total / KIB:.1f} KiB"


def test_search_index_is_fetched_when_search_is_opened_and_search_works(site: Path, browser: Browser) -> None:
    with opened_home_page(site, browser) as (page, sent):
        assert "/search/search_index.json" not in [r.path for r in sent]
        assert any("drugs/ceraxon/" in href for href in search(page, "citicoline"))
        assert "/search/search_index.json" in [r.path for r in sent]


def test_a_query_fetches_the_manifest_its_shards_and_the_pages_it_shows_not_a_whole_index(site: Path, browser: Browser) -> None:
    """Our worker (site-overrides/assets/javascripts/search-worker.js) answers from the sharded index."""
    with opened_home_page(site, browser) as (page, sent):
        assert "search-worker.js" in page.locator("#__config").inner_text()
        before = len(sent)
        assert any("procedures/m2-macrophage-therapy/" in href for href in search(page, "macrophage"))
        paths = [r.path for r in sent[before:]]
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []  # what Material's page script fetches whole holds no documents
    assert "/search/shards/manifest.json" in paths
    shards = {p for p in paths if p.startswith("/search/shards/t/")}
    # Typed letter by letter: "ma" (6d61), and the one-letter shard "m" unless the next key overtook
    # that query before it fetched (the worker drops a query a newer one replaced); no other shard.
    assert "/search/shards/t/6d61.json" in shards and shards <= {"/search/shards/t/6d.json", "/search/shards/t/6d61.json"}, shards
    all_shards = list((site / "search/shards/t").iterdir())
    assert len(all_shards) > 10 * len(shards)
    shown = {p for p in paths if p.startswith("/search/shards/p/")}
    assert 0 < len(shown) <= 10 * len("macrophage")  # at most the ten pages shown per keystroke


def test_the_home_page_measure_sees_a_heavy_asset(site: Path, browser: Browser, tmp_path: Path) -> None:
    """The measure can fail: an incompressible 160 KiB script added to the home page breaks the budget."""
    heavy = tmp_path / "site"
    shutil.copytree(site, heavy)
    (heavy / "heavy.js").write_bytes(os.urandom(160 * KIB))  # random bytes do not compress
    index = heavy / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</body>", '<script src="heavy.js"></script></body>'), encoding="utf-8")
    home = home_page_transfer(heavy, browser)
    assert "/heavy.js" in [r.path for r in home.responses]
    assert home.gzip_total > HOME_BUDGET


@site_and_live
def test_search_index_is_at_most_3_kib_gzip_per_page(deliverable: Path, target: str) -> None:
    index = search_index(deliverable)
    assert index.path == "search/shards"  # the public site's sharded index (generator/pages/search_shards.py)
    assert index.pages >= (2 if target == "live" else 24)
    assert index.gzip < index.raw
    assert index.gzip_per_page <= SEARCH_INDEX_BUDGET_PER_PAGE, f"{index.gzip_per_page / KIB:.2f} KiB per page"


@site_and_live
def test_no_html_page_is_over_300_kib(deliverable: Path, tmp_path: Path) -> None:
    largest = largest_html_pages(deliverable, 3)
    print("\nlargest HTML pages: " + ", ".join(f"{path} {size / KIB:.1f} KiB" for path, size in largest))
    assert largest[0][1] <= HTML_PAGE_BUDGET, largest[0]
    # The check sees a page over the budget anywhere in the tree.
    (tmp_path / "deep" / "page").mkdir(parents=True)
    (tmp_path / "deep" / "page" / "index.html").write_bytes(b"<p>" * (HTML_PAGE_BUDGET // 3 + 1))
    (tmp_path / "index.html").write_text("<p>small</p>", encoding="utf-8")
    assert largest_html_pages(tmp_path, 1) == [("deep/page/index.html", (HTML_PAGE_BUDGET // 3 + 1) * 3)]
