"""The same content built by both engines: MkDocs + Material (the default) and Zensical.

Both builds are cold (a fresh copy of the project, no cache); their seconds are printed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from browser import recorded_page, search
from budgets import report, serve_site
from conftest import copy_project, run

pytestmark = pytest.mark.slow  # builds with both engines

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ENGINES = ("mkdocs", "zensical")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture catalogue built by each engine into its own folder of one project copy."""
    project = copy_project(tmp_path_factory.mktemp("engines") / "project")
    built: dict[str, Path] = {}
    for engine in ENGINES:
        site = project / f"site-{engine}"
        # MkDocs is built without --engine: it must stay the default.
        options = ["--engine", engine] if engine != "mkdocs" else []
        start = time.perf_counter()
        result = run(project, "build", "--site-dir", str(site), *options, timeout=300)
        seconds = time.perf_counter() - start
        assert result.returncode == 0, (engine, result.stderr)
        print(f"\n{engine}: cold build of the fixture catalogue in {seconds:.1f} s ({result.stdout.strip()})")
        print("\n".join(f"  {line}" for line in report(site)))
        built[engine] = site
    return built


def page_urls(site: Path) -> set[str]:
    """Every page of a built site as its URL path (`drugs/cellex/`), the 404 page left out."""
    urls = set()
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        if relative != "404.html":
            urls.add(re.sub(r"(^|/)index\.html$", r"\1", relative))
    return urls


def sitemap_urls(site: Path) -> set[str]:
    """URL paths listed in sitemap.xml, relative to the site's base path."""
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return {urlsplit(location).path.removeprefix("/medsite/") for location in locations}


def test_both_engines_build_the_same_pages(sites: dict[str, Path]) -> None:
    mkdocs, zensical = (page_urls(sites[engine]) for engine in ENGINES)
    assert len(mkdocs) >= 24
    assert {"", "drugs/", "drugs/cellex/", "a-z/", "sources/"} <= mkdocs
    assert mkdocs == zensical, f"only MkDocs: {sorted(mkdocs - zensical)}; only Zensical: {sorted(zensical - mkdocs)}"
    for engine in ENGINES:
        assert sitemap_urls(sites[engine]) == mkdocs, engine
        robots = (sites[engine] / "robots.txt").read_text(encoding="utf-8")
        assert "Disallow: /medsite/pr-preview/" in robots and "Sitemap: https://example.org/medsite/sitemap.xml" in robots, engine
    # Both keep the theme overrides: disclaimer, JSON-LD and Open Graph on a drug page.
    for engine in ENGINES:
        html = (sites[engine] / "drugs" / "cellex" / "index.html").read_text(encoding="utf-8")
        assert "Not medical advice." in html and '<script type="application/ld+json">' in html and 'property="og:title"' in html, engine


def test_a_failed_zensical_build_leaves_the_previous_site_untouched(project: Path) -> None:
    assert run(project, "build", "--engine", "zensical", timeout=300).returncode == 0
    before = {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    about = project / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [a page that does not exist](nowhere.md).\n", encoding="utf-8")
    failed = run(project, "build", "--engine", "zensical", timeout=300)
    assert failed.returncode == 1
    # `check` now finds a dead link in a hand-written page before any engine runs; either way, one located line.
    first = failed.stderr.strip().splitlines()[0]
    assert re.search(r"about\.md:\d+:(\d+: page does not exist| \(body\): link 'nowhere\.md' leads to no page)", first), failed.stderr
    after = {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob("site.*")), "no staging folder is left behind"


def zensical_search(page: Page, query: str, found: bool = True) -> list[str]:
    """Type `query` into Zensical's search dialog (in a shadow root) and return the result links' hrefs.

    Waits for this query's results, or (`found=False`) for "No results": the dialog also says
    "No results" for a moment while the index is still loading, so that alone proves nothing.
    """
    page.locator(".md-search__button").first.click()
    box = page.locator("dialog[aria-label='Search'] input[role='combobox']")
    box.fill("")
    box.press_sequentially(query, delay=10)
    results = page.locator("dialog[aria-label='Search'] ol[role='listbox'] a[role='option']")
    nothing = page.locator("dialog[aria-label='Search'] [role='status']", has_text="No results")
    (results.and_(page.locator(f"[href*='h={query}']")) if found else nothing).first.wait_for(timeout=15_000)
    # Zensical re-renders the list on each keystroke: read it once it holds this query's results alone and
    # has stopped changing, or the first result may still be one for a shorter prefix.
    hrefs: list[str] = []
    for _ in range(20):
        current = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
        if current == hrefs and all(f"h={query}" in href for href in current):
            break
        hrefs = current
        page.wait_for_timeout(150)
    return hrefs


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_a_drug_in_both_engines(sites: dict[str, Path], browser: Browser, engine: str) -> None:
    with serve_site(sites[engine]) as (url, _), recorded_page(browser) as recorded:
        page = recorded.page
        page.goto(url)
        hrefs = search(page, "Ceraxon") if engine == "mkdocs" else zensical_search(page, "Ceraxon")
        drug_links = [href for href in hrefs if urlsplit(href).path.rstrip("/").endswith("drugs/ceraxon")]
        assert drug_links, hrefs
        assert urlsplit(hrefs[0]).path.rstrip("/").endswith("drugs/ceraxon"), "the drug's own page is the first result"
        page.goto(urljoin(page.url, drug_links[0]))
        assert re.fullmatch(r"Ceraxon\W?", page.locator("h1").first.inner_text()), "the drug page (its heading, perhaps with a permalink sign)"
        # A word that is on no page finds nothing.
        page.goto(url)
        if engine == "mkdocs":
            page.locator("input.md-search__input").press_sequentially("zzqxv", delay=10)
            page.locator(".md-search-result__meta", has_text="No matching pages").wait_for(timeout=15_000)
            assert page.locator(".md-search-result__item").count() == 0
        else:
            assert zensical_search(page, "zzqxv", found=False) == []
            assert page.locator("dialog[aria-label='Search'] [role='status']").inner_text() == "No results"
        assert not recorded.foreign_requests((url,))
