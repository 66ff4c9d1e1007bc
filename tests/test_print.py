"""A drug page printed to PDF by Chromium reads as a leaflet: the monograph's sections in order,
its sources, review dates and URL, and none of the site's navigation or search."""

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
# The monograph's section headings in the order the page gives them (SmPC order), then its footer.
HEADINGS = [
    "Composition",
    "Pharmaceutical forms",
    "4.1 Indications",
    "4.2 Dosage and administration",
    "Use in children",
    "4.3 Contraindications",
    "4.4 Warnings and precautions",
    "4.5 Interactions",
    "4.6 Pregnancy and breastfeeding",
    "4.7 Driving and using machines",
    "4.8 Side effects",
    "4.9 Overdose",
    "5.1 Pharmacodynamics",
    "5.2 Pharmacokinetics",
    "6.3 Shelf life",
    "6.4 Storage",
    "6.5 Packaging",
    "Sources and review",
]
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
    pdf = page.pdf(**(size or {"format": "A4"}), print_background=True)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


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
        leaflet = pdf_text(page)
        page.emulate_media(media="screen")
        screen = pdf_text(page, **WIDE)

    # Each heading after the one before it (a plain title such as "Use in children" is also a
    # link text near the top); the numbered SmPC headings occur once, so their order is exact.
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
