"""Nothing meant for developers on a public page: no commit subjects, no source file names, no
"(s)" plurals, no heading twice on one page, no empty theme chrome.

Every public file of the site and the preview is read as text (HTML unescaped), except the JSON
export under `api/`, whose job is to name the source files.
"""

from __future__ import annotations

import collections
import html
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

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
def source_numbers(catalogue: Catalogue) -> list[str]:
    """The number each source file name starts with (000, 001, ...), as notes used to cite them."""
    return [name.split("_", 1)[0] for name in catalogue.sources]


@pytest.mark.parametrize("target", ["site", "preview"])
def test_no_commit_subject_reaches_a_page(targets: dict[str, Path], subjects: list[str], target: str) -> None:
    for path in own_files(targets[target]):
        text = text_of(path)
        found = [subject for subject in subjects if subject in text]
        assert found == [], path


@pytest.mark.parametrize("target", ["site", "preview"])
def test_no_source_file_name_or_number_outside_the_json_export(targets: dict[str, Path], source_numbers: list[str], target: str) -> None:
    cited = re.compile(r"\((?:" + "|".join(source_numbers) + r")\)|\b(?:" + "|".join(source_numbers) + r")\b(?![.,/:\d])")
    for path in own_files(targets[target]):
        text = text_of(path)
        assert SOURCE_FILE.findall(text) == [], path
        if path.suffix == ".html":
            visible = TAG.sub(" ", re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S))
            assert cited.findall(visible) == [], path
    assert (targets["site"] / "api" / "sources.json").is_file() and SOURCE_FILE.search(text_of(targets["site"] / "api" / "sources.json"))


@pytest.mark.parametrize("target", ["site", "preview"])
def test_no_s_in_brackets_for_a_plural(targets: dict[str, Path], target: str) -> None:
    for path in own_files(targets[target]):
        assert PLURAL_S.findall(text_of(path)) == [], path


@pytest.mark.parametrize("target", ["site", "preview"])
def test_no_heading_twice_on_a_page(targets: dict[str, Path], target: str) -> None:
    pages = sorted(targets[target].rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        found = headings(page.read_text(encoding="utf-8"))
        assert found, page
        repeated = [text for text, count in collections.Counter(found).items() if count > 1]
        assert repeated == [], page


def test_no_empty_banner_or_footer_and_a_named_search_dialog(targets: dict[str, Path]) -> None:
    """The theme draws a dark strip for an announcement block with any output and a footer even when
    it has nothing to say; the preview's banner is the one announcement."""
    for page in sorted(targets["site"].rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'class="md-banner' not in text and "<footer" not in text, page
        assert re.search(r'<div class="md-search"[^>]*role="dialog"[^>]*aria-label="Search"', text), page
    preview_home = (targets["preview"] / "index.html").read_text(encoding="utf-8")
    assert 'class="md-banner"' in preview_home and "Preview of pull request" in preview_home


def test_the_site_name_is_short_enough_for_a_phone_header() -> None:
    """At 390 px the header has room for about 24 characters of the site name beside its two buttons."""
    name = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert name and len(name.group(1)) <= 24, name
