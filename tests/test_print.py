"""A drug page printed to PDF by Chromium reads as a patient leaflet: the key safety box, then the
package leaflet's sections in order, its sources, review dates and public URL, at most six A4 pages
for Ceraxon, and none of the site's navigation, search or developer artefacts (JSON links, the
change log, links that only work on screen)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import recorded_page
from pypdf import PdfReader

from generator.content.models import DrugMonograph
from generator.pages.generate import check
from generator.project import Project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SITE_URL = "https://example.org/medsite/"  # mkdocs.yml's default
# The reader's page's headings in the order of the EU package leaflet (QRD), then its footer.
HEADINGS = [
    "Key safety information",
    "1. What Ceraxon is and what it is used for",
    "What it is used for",
    "2. Before you use Ceraxon",
    "Do not use Ceraxon",
    "Warnings and precautions",
    "Ceraxon and children",
    "Other medicines and Ceraxon",
    "Pregnancy and breastfeeding",
    "Driving and using machines",
    "3. How to use Ceraxon",
    "Dose for children",
    "4. Possible side effects",
    "5. How to store Ceraxon",
    "6. Contents of the pack and other information",
    "What Ceraxon contains",
    "Sources and review",
]
MAX_PAGES = 6  # Ceraxon, the longest monograph, as a leaflet on A4
# What a reader's leaflet must not carry: the JSON export, the commit log, screen-only links, permalinks.
ARTEFACTS = [".json", "JSON", "Latest changes to this page", "For health professionals", "Compare drugs side by side", "¶"]
WIDE = {"width": "1400px", "height": "1000px"}  # wide enough for Material to show both sidebars on screen


@pytest.fixture(scope="module")
def project(targets: dict[str, Path]) -> Path:
    """The project folder of the session's build (tests/conftest.py `targets`)."""
    return targets["site"].parent


@pytest.fixture(scope="module")
def site_url(target_urls: dict[str, str]) -> str:
    """The session's built site, served over loopback (tests/conftest.py)."""
    return target_urls["site"]


def pdf_text(page: Page, **size: str) -> str:
    """The page printed by Chromium (`size` as in `page.pdf`, else A4), as one line of PDF text."""
    return printed(page, **size)[0]


def printed(page: Page, **size: str) -> tuple[str, int]:
    """The page printed by Chromium (`size` as in `page.pdf`, else A4): its text as one line, and its number of pages."""
    pdf = page.pdf(**(size or {"format": "A4"}), print_background=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages)), len(pages)


def site_chrome_lines(page: Page) -> set[str]:
    """Lines of text the site's header, sidebars (navigation, table of contents) and footer show on
    screen and the article itself does not contain."""
    article = re.sub(r"\s+", " ", page.locator("article").inner_text())
    lines = set()
    for part in page.locator(".md-header, .md-sidebar, .md-footer").all():
        lines |= {re.sub(r"\s+", " ", line).strip() for line in part.inner_text().splitlines()}
    return {line for line in lines if len(line) >= 4 and line not in article}


def test_printed_drug_page_is_a_clean_leaflet(project: Path, site_url: str, browser: Browser) -> None:
    catalogue = check(Project.at(project))
    ceraxon = catalogue.get("drug", "ceraxon")
    assert isinstance(ceraxon, DrugMonograph)
    with recorded_page(browser) as recorded:
        page = recorded.page
        page.goto(f"{site_url}drugs/ceraxon/")
        chrome = site_chrome_lines(page)
        assert {"Search", "A–Z index", "Sources"} & chrome, chrome  # what the screen shows around the article
        leaflet, pages = printed(page)
        page.emulate_media(media="screen")
        screen = pdf_text(page, **WIDE)

    # Each heading after the one before it (a plain title such as "Driving" is also a link text in the
    # key safety box); the numbered leaflet headings occur once, so their order is exact.
    positions = [leaflet.find(ceraxon.title)]
    for heading in HEADINGS:
        positions.append(leaflet.find(heading, positions[-1] + 1))
        assert positions[-1] != -1, f"{heading!r} missing or out of order"
    for heading in HEADINGS:
        if heading[0].isdigit():
            assert leaflet.count(heading) == 1, heading
    positions = positions[1:]
    footer = leaflet[positions[-1] :]
    for name in ceraxon.sources:  # by title, never by file name
        assert catalogue.sources[name].title in footer and name not in footer
    assert f"Last reviewed: {ceraxon.last_reviewed.isoformat()}" in footer
    assert f"Next review due: {ceraxon.next_review.isoformat()}" in footer
    assert "Not medical advice." in leaflet
    # Long URLs may wrap; compare without spaces.
    assert f"{SITE_URL}drugs/ceraxon/" in leaflet.replace(" ", "")

    assert not [line for line in chrome if line in leaflet]
    # The check can fail: the same page rendered for the screen (wide, so both sidebars show)
    # carries the navigation and search, and no URL line (that is for paper only).
    assert len([line for line in chrome if line in screen]) >= len(chrome) // 2
    assert "Online version of this page" in leaflet and "Online version of this page" not in screen

    assert pages <= MAX_PAGES, f"the leaflet runs to {pages} A4 pages"
    assert [artefact for artefact in ARTEFACTS if artefact in leaflet] == []
    # The check can fail: on screen the same page carries the JSON link and the link to the professional page.
    assert {"JSON", "For health professionals"} <= {artefact for artefact in ARTEFACTS if artefact in screen}
