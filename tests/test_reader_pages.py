"""Nothing meant for developers on a public page: no commit subjects, no source file names, no
"(s)" plurals, no heading twice on one page, no empty theme chrome.

Every public file of each deliverable (the fixture catalogue's site, offline bundle and preview, and
as `live` the live content's site) is read as text (HTML unescaped), except the JSON export under
`api/`, whose job is to name the source files. Whether notes cite sources by name is a property of
the content, so it is checked on the live site only.
"""

from __future__ import annotations

import collections
import html
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, gated, site_and_live

from generator.content.catalogue import Catalogue

TEXT_SUFFIXES = (".html", ".xml", ".json", ".txt", ".js")
SOURCE_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
PLURAL_S = re.compile(r"\w\(s\)")
HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def public_files(site: Path) -> list[Path]:
    """Every text file a reader can fetch, except the JSON export (api/)."""
    return sorted(p for p in site.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file() and p.relative_to(site).parts[0] != "api")


def own_files(site: Path) -> list[Path]:
    """The public files the project writes: not the theme's scripts (minified bundles, search languages)."""
    return [p for p in public_files(site) if ".min." not in p.name and "lunr" not in p.relative_to(site).parts]


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8", errors="replace"))


def headings(page: str) -> list[str]:
    """The text of every heading of an HTML page, without its permalink."""
    return [" ".join(html.unescape(TAG.sub("", PERMALINK.sub("", inner))).split()) for _, inner in HEADING.findall(page)]


@pytest.fixture(scope="module")
def subjects() -> list[str]:
    """Every commit subject of the project's history."""
    log = subprocess.run(["git", "log", "--format=%s"], cwd=ROOT, capture_output=True, text=True, check=False)
    if log.returncode != 0:
        pytest.skip("not a git checkout: no commit subjects to look for")
    found = [line.strip() for line in log.stdout.splitlines() if line.strip()]
    assert found
    return found


@pytest.fixture(scope="module")
def live_source_numbers(live_catalogue: Catalogue) -> list[str]:
    """The number each live source file name starts with (000, 001, ...), as notes once cited them."""
    return [name.split("_", 1)[0] for name in live_catalogue.sources]


@gated
def test_no_commit_subject_reaches_a_page(deliverable: Path, subjects: list[str]) -> None:
    for path in own_files(deliverable):
        text = text_of(path)
        found = [subject for subject in subjects if subject in text]
        assert found == [], path


@gated
def test_no_source_file_name_outside_the_json_export(deliverable: Path) -> None:
    files = own_files(deliverable)
    assert len(files) > 20
    for path in files:
        assert SOURCE_FILE.findall(text_of(path)) == [], path
    sources_json = deliverable / "api" / "sources.json"
    assert SOURCE_FILE.search(text_of(sources_json)), "the JSON export names the source files"


@pytest.mark.live
def test_live_pages_cite_sources_by_name_not_number(live_site: Path, live_source_numbers: list[str]) -> None:
    """A note says "the product listing", never "(001)": the number is part of a file name readers never see."""
    numbers = "|".join(live_source_numbers)
    cited = re.compile(rf"\((?:{numbers})\)|(?<![\w.,/:-])(?:{numbers})(?![\w.,/:-])")
    for path in sorted(live_site.rglob("*.html")):
        visible = TAG.sub(" ", re.sub(r"<(script|style)\b.*?</\1>", " ", text_of(path), flags=re.S))
        assert cited.findall(visible) == [], path


@gated
def test_no_s_in_brackets_for_a_plural(deliverable: Path) -> None:
    for path in own_files(deliverable):
        assert PLURAL_S.findall(text_of(path)) == [], path


@gated
def test_no_heading_twice_on_a_page(deliverable: Path) -> None:
    pages = sorted(deliverable.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        found = headings(page.read_text(encoding="utf-8"))
        assert found, page
        repeated = [text for text, count in collections.Counter(found).items() if count > 1]
        assert repeated == [], page


@site_and_live
def test_no_empty_banner_or_footer_and_a_named_search_dialog(deliverable: Path) -> None:
    """The theme draws a dark strip for an announcement block with any output and a footer even when
    it has nothing to say."""
    for page in sorted(deliverable.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'class="md-banner' not in text and "<footer" not in text, page
        assert re.search(r'<div class="md-search"[^>]*role="dialog"[^>]*aria-label="Search"', text), page


def test_the_preview_banner_is_the_one_announcement(targets: dict[str, Path]) -> None:
    preview_home = (targets["preview"] / "index.html").read_text(encoding="utf-8")
    assert 'class="md-banner"' in preview_home and "Preview of pull request" in preview_home


def test_the_site_name_is_short_enough_for_a_phone_header() -> None:
    """At 390 px the header has room for about 24 characters of the site name beside its two buttons."""
    name = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert name and len(name.group(1)) <= 24, name
